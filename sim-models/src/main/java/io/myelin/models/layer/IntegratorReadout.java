package io.myelin.models.layer;

import io.myelin.models.tensor.SeqTensor;

/**
 * The non-firing LIF readout of SNN-delays (threshold 1e9): {@code V[t] = V[t-1] - V[t-1] / tau + X[t]}, output V
 * at every step. Same float expression as {@link Lif} and the engine.
 */
public final class IntegratorReadout implements Layer {
    private final float tau;

    public IntegratorReadout(double tauSteps) {
        if (!(tauSteps > 0)) {
            throw new IllegalArgumentException("tau must be > 0 steps, got " + tauSteps);
        }
        this.tau = (float) tauSteps;
    }

    public float tauSteps() {
        return tau;
    }

    @Override
    public SeqTensor forward(SeqTensor x, boolean training) {
        int T = x.steps, m = x.batch * x.features;
        float[] xd = x.data, out = new float[xd.length], v = new float[m];
        for (int t = 0; t < T; t++) {
            int base = t * m;
            for (int k = 0; k < m; k++) {
                float vi = v[k];
                vi = vi - vi / tau + xd[base + k];
                v[k] = vi;
                out[base + k] = vi;
            }
        }
        return new SeqTensor(T, x.batch, x.features, out);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        int T = gradOut.steps, m = gradOut.batch * gradOut.features;
        float[] g = gradOut.data, dx = new float[g.length], dv = new float[m];
        float keep = 1f - 1f / tau;
        for (int t = T - 1; t >= 0; t--) {
            int base = t * m;
            for (int k = 0; k < m; k++) {
                float d = g[base + k] + dv[k];
                dx[base + k] = d;
                dv[k] = d * keep;
            }
        }
        return new SeqTensor(T, gradOut.batch, gradOut.features, dx);
    }
}
