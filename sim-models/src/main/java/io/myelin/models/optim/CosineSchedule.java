package io.myelin.models.optim;

/**
 * Cosine annealing to zero over {@code totalSteps} epochs ({@code CosineAnnealingLR(T_max = epochs)}, closed form):
 * {@code lr_k = base * (1 + cos(pi k / T)) / 2}.
 */
public final class CosineSchedule implements Schedule {
    private final double baseLr;
    private final int totalSteps;

    public CosineSchedule(double baseLr, int totalSteps) {
        if (!(baseLr > 0) || totalSteps < 1) {
            throw new IllegalArgumentException("cosine schedule needs lr > 0 and at least one step");
        }
        this.baseLr = baseLr;
        this.totalSteps = totalSteps;
    }

    public double lr(int k) {
        return baseLr * (1 + Math.cos(Math.PI * k / totalSteps)) / 2;
    }

    @Override
    public void apply(int k, ParamGroup g) {
        g.lr = lr(k);
    }
}
