package io.myelin.models.layer;

import cern.jet.random.engine.MersenneTwister;
import io.myelin.models.tensor.SeqTensor;

/**
 * Dropout with one mask per sequence and feature, shared over all time steps, scaled by {@code 1/(1-p)} (SNN-delays);
 * identity in evaluation. The mask comes from a seed the caller sets per batch, so a run is reproducible and a resumed
 * run draws the same masks.
 */
public final class SequenceDropout implements Layer {
    private final double p;
    private long seed;
    private float[] mask;
    private int batch, features;
    private io.myelin.models.tensor.Workers workers = io.myelin.models.tensor.Workers.serial();

    public SequenceDropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    public double probability() {
        return p;
    }

    /** The seed of the next training-mode mask. */
    public void setSeed(long s) {
        this.seed = s;
    }

    @Override
    public SeqTensor forward(SeqTensor x, boolean training) {
        if (!training || p == 0) {
            mask = null;
            return x;
        }
        drawMask(x.batch, x.features);
        float[] d = x.data, y = new float[d.length];
        applyMask(d, y, x.steps, batch * features);
        return new SeqTensor(x.steps, batch, features, y);
    }

    /**
     * Draws the training-mode mask of a batch of {@code batch} sequences of {@code features} from the seed set last,
     * as {@link #forward} does, and keeps it for {@link #backward} and {@link #mask()}; returns it (null when
     * {@code p == 0}: the identity). For a fused pass ({@link NormLifDropout}) that multiplies by it itself.
     */
    public float[] drawMask(int batch, int features) {
        if (p == 0) {
            mask = null;
            return null;
        }
        this.batch = batch;
        this.features = features;
        int m = batch * features;
        mask = new float[m];
        MersenneTwister rng = WeightInit.rng(seed);
        float scale = (float) (1 / (1 - p));
        for (int k = 0; k < m; k++) {
            mask[k] = rng.raw() >= p ? scale : 0f;
        }
        return mask;
    }

    /**
     * The last training-mode mask, {@code [batch][features]}: the factor every step of the gradient is multiplied by
     * ({@code 0} or {@code 1/(1-p)}); null when the last forward pass was the identity.
     */
    public float[] mask() {
        return mask;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        if (mask == null) {
            return gradOut;
        }
        int m = batch * features;
        float[] g = gradOut.data, dx = new float[g.length];
        applyMask(g, dx, gradOut.steps, m);
        return new SeqTensor(gradOut.steps, batch, features, dx);
    }

    private void applyMask(float[] in, float[] out, int steps, int m) {
        final float[] mk = mask;
        workers.forRange(steps, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int base = t * m;
                for (int k = 0; k < m; k++) {
                    out[base + k] = in[base + k] * mk[k];
                }
            }
        });
    }

    /** Threads take ranges of time steps. */
    public void setWorkers(io.myelin.models.tensor.Workers w) {
        this.workers = w;
    }
}
