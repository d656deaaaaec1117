package io.myelin.models.tensor;

/**
 * One row of a hidden layer's fused training forward pass ({@code layer.NormLifDropout}): BatchNorm with the batch's
 * statistics, the LIF step and the dropout mask, over the {@code n} features of one (step, sample) row. On the Vector
 * API when it is on ({@link WindowOps#vectorized()}), else scalar; either way the float operations of the three
 * layers' own passes ({@code BatchNormOverTime}, {@link LifOps}, {@code SequenceDropout}) in their order, so the same
 * bits.
 */
public final class NormLifOps {
    private NormLifOps() {
    }

    /**
     * For features {@code c < n} of the row at {@code base}: {@code xhat = (x - mean[c]) * invStd[c]},
     * {@code y = gamma[c] * xhat + beta[c]}, {@code H = V - V / tau + y} written to {@code h}, a spike where
     * {@code H >= threshold} (then {@code V = 0}, else {@code V = H}; the membrane {@code v[vOff + c]}), and
     * {@code out = S * mask[maskOff + c]} ({@code S} itself without a mask). Returns the row's spikes.
     */
    public static int forwardRow(float[] x, float[] h, float[] out, float[] v, int vOff, float[] mask, int maskOff,
                                 int base, int n, float[] mean, float[] invStd, float[] gamma, float[] beta,
                                 float tau, float threshold) {
        int spikes = 0;
        int c = 0;
        if (WindowOps.vectorized()) {
            long r = VectorNormLifOps.forwardRow(x, h, out, v, vOff, mask, maskOff, base, n, mean, invStd, gamma,
                    beta, tau, threshold);
            c = (int) (r >>> 32);
            spikes = (int) r;
        }
        for (; c < n; c++) {
            float xh = (x[base + c] - mean[c]) * invStd[c];
            float y = gamma[c] * xh + beta[c];
            float vi = v[vOff + c];
            float hi = vi - vi / tau + y;
            h[base + c] = hi;
            float s;
            if (hi >= threshold) {
                s = 1f;
                v[vOff + c] = 0f;
                spikes++;
            } else {
                s = 0f;
                v[vOff + c] = hi;
            }
            out[base + c] = mask == null ? s : s * mask[maskOff + c];
        }
        return spikes;
    }

    /**
     * One step back through dropout and the LIF neurons for features {@code c < n} of the row at {@code base}:
     * {@code gs = g * mask[maskOff + c]} ({@code g} without a mask), {@code dH = gs * surrogate(H) + dV * (1 - S)} with
     * {@code S = H >= threshold}, written to {@code dh}; {@code dV = dH * keep} carried to the step before in
     * {@code dv[vOff + c]}. {@link LifOps#surrogate} gives the surrogate.
     */
    public static void backwardRow(float[] g, float[] mask, int maskOff, float[] h, float[] dh, float[] dv, int vOff,
                                   int base, int n, float threshold, float keep, double halfAlpha, double slope) {
        int c = WindowOps.vectorized()
                ? VectorNormLifOps.backwardRow(g, mask, maskOff, h, dh, dv, vOff, base, n, threshold, keep, halfAlpha,
                slope) : 0;
        for (; c < n; c++) {
            float gk = mask == null ? g[base + c] : g[base + c] * mask[maskOff + c];
            float hv = h[base + c];
            float s = hv >= threshold ? 1f : 0f;
            float d = gk * LifOps.surrogate(hv, threshold, halfAlpha, slope) + dv[vOff + c] * (1f - s);
            dh[base + c] = d;
            dv[vOff + c] = d * keep;
        }
    }
}
