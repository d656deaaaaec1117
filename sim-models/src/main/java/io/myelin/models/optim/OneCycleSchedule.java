package io.myelin.models.optim;

/**
 * PyTorch's {@code OneCycleLR} with its defaults (cosine annealing, {@code pct_start} 0.3, {@code div_factor} 25,
 * {@code final_div_factor} 1e4, beta1 cycled between 0.95 and 0.85), stepped once per epoch over {@code totalSteps}
 * epochs as SNN-delays does. {@link #apply(int, ParamGroup)} sets the group's lr and beta1 for a step index.
 */
public final class OneCycleSchedule implements Schedule {
    private final double maxLr;
    private final int totalSteps;
    private final double pctStart = 0.3;
    private final double divFactor = 25;
    private final double finalDivFactor = 1e4;
    private final double baseMomentum = 0.85;
    private final double maxMomentum = 0.95;

    public OneCycleSchedule(double maxLr, int totalSteps) {
        if (!(maxLr > 0) || totalSteps < 1) {
            throw new IllegalArgumentException("one-cycle needs max lr > 0 and at least one step");
        }
        this.maxLr = maxLr;
        this.totalSteps = totalSteps;
    }

    /** Learning rate at step {@code k} (0-based). */
    public double lr(int k) {
        double initial = maxLr / divFactor, min = initial / finalDivFactor;
        return phase(k, initial, maxLr, min);
    }

    /** Adam beta1 at step {@code k}. */
    public double beta1(int k) {
        return phase(k, maxMomentum, baseMomentum, maxMomentum);
    }

    @Override
    public void apply(int k, ParamGroup g) {
        g.lr = lr(k);
        g.beta1 = beta1(k);
    }

    private double phase(int k, double start, double mid, double end) {
        double end1 = pctStart * totalSteps - 1, end2 = totalSteps - 1;
        int step = Math.min(k, totalSteps - 1);
        if (step <= end1) {
            return anneal(start, mid, step / end1);
        }
        return anneal(mid, end, (step - end1) / (end2 - end1));
    }

    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }
}
