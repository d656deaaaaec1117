package io.myelin.models.layer;

import io.myelin.models.tensor.SeqTensor;

/**
 * Discrete-time LIF neurons as SNN-delays trains them (SpikingJelly {@code LIFNode}, {@code decay_input=False};
 * docs/references.md §2), over a whole sequence:
 * <pre>
 *   H[t] = V[t-1] - V[t-1] / tau + X[t];   S[t] = H[t] &gt;= vThreshold;   V[t] = H[t] (1 - S[t])   (V[-1] = 0)
 * </pre>
 * with the reset detached from the graph and the ATan surrogate
 * {@code dS/dH = (alpha/2) / (1 + (pi/2 * alpha * (H - vThreshold))^2)}. The float expression is exactly the
 * engine's discrete LIF update, so an exported network integrates bit for bit alike.
 */
public final class Lif implements Layer {
    private final float tau;
    private final float vThreshold;
    private final double alpha;
    private final double halfAlpha;
    private final double slope;
    private SeqTensor h;
    private SeqTensor s;
    private io.myelin.models.tensor.Workers workers = io.myelin.models.tensor.Workers.serial();

    /**
     * @param tauSteps membrane time constant in steps (tau_ms / dt_ms; 1.005 for SHD)
     * @param alpha    ATan surrogate sharpness (5)
     */
    public Lif(double tauSteps, double vThreshold, double alpha) {
        if (!(tauSteps > 0)) {
            throw new IllegalArgumentException("tau must be > 0 steps, got " + tauSteps);
        }
        this.tau = (float) tauSteps;
        this.vThreshold = (float) vThreshold;
        this.alpha = alpha;
        this.halfAlpha = alpha / 2;
        this.slope = Math.PI / 2 * alpha;
    }

    /** Neurons are independent: threads take ranges of (sample, neuron) columns. */
    public void setWorkers(io.myelin.models.tensor.Workers w) {
        this.workers = w;
    }

    public float tauSteps() {
        return tau;
    }

    public float vThreshold() {
        return vThreshold;
    }

    /** ATan surrogate sharpness. */
    public double surrogateAlpha() {
        return alpha;
    }

    /** {@code dS/dH} at membrane value {@code h}: the ATan surrogate, computed in double and rounded to float. */
    public float surrogate(float h) {
        return io.myelin.models.tensor.LifOps.surrogate(h, vThreshold, halfAlpha, slope);
    }

    /** {@code alpha / 2}, the surrogate's peak. */
    public double surrogatePeak() {
        return halfAlpha;
    }

    /** {@code pi / 2 * alpha}, the surrogate's slope factor. */
    public double surrogateSlope() {
        return slope;
    }

    /** {@code dV[t]/dV[t-1]} without a spike: {@code 1 - 1/tau} in float. */
    public float leak() {
        return 1f - 1f / tau;
    }

    @Override
    public SeqTensor forward(SeqTensor x, boolean training) {
        int T = x.steps, m = x.batch * x.features;
        float[] xd = x.data, hd = new float[xd.length], sd = new float[xd.length];
        workers.forRange(m, (k0, k1) -> {
            float[] v = new float[k1 - k0];
            for (int t = 0; t < T; t++) {
                io.myelin.models.tensor.LifOps.step(xd, hd, sd, v, t * m, k0, k1, tau, vThreshold);
            }
        });
        h = new SeqTensor(T, x.batch, x.features, hd);
        s = new SeqTensor(T, x.batch, x.features, sd);
        return s;
    }

    /** The membrane values H of the last forward pass (before reset). */
    public SeqTensor lastMembrane() {
        return h;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        int T = gradOut.steps, m = gradOut.batch * gradOut.features;
        float[] g = gradOut.data, hd = h.data, sd = s.data, dx = new float[g.length];
        float keep = leak();
        workers.forRange(m, (c0, c1) -> {
            float[] dv = new float[c1 - c0];   // dL/dV[t] flowing back from step t+1
            for (int t = T - 1; t >= 0; t--) {
                int base = t * m;
                for (int k = c0; k < c1; k++) {
                    float sur = surrogate(hd[base + k]);
                    float dh = g[base + k] * sur + dv[k - c0] * (1f - sd[base + k]);
                    dx[base + k] = dh;
                    dv[k - c0] = dh * keep;
                }
            }
        });
        return new SeqTensor(T, gradOut.batch, gradOut.features, dx);
    }
}
