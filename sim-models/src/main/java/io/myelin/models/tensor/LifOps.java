package io.myelin.models.tensor;

/**
 * The LIF layer's forward step, {@code H = V - V / tau + X}, spike where {@code H >= threshold}, hard reset to 0, over
 * a contiguous range of neurons: on the Vector API when it is on ({@link WindowOps#vectorized()}), else scalar, with
 * the same result either way.
 */
public final class LifOps {
    private LifOps() {
    }

    /**
     * One time step for neurons {@code [from, to)}: reads {@code x[base + k]} and the membrane {@code v[k - from]},
     * writes {@code h[base + k]}, spikes {@code s[base + k]} (1 or left 0) and the new membrane.
     */
    public static void step(float[] x, float[] h, float[] s, float[] v, int base, int from, int to, float tau,
                            float threshold) {
        int k = WindowOps.vectorized() ? VectorLifOps.step(x, h, s, v, base, from, to, tau, threshold) : from;
        for (; k < to; k++) {
            float vi = v[k - from];
            float hi = vi - vi / tau + x[base + k];
            h[base + k] = hi;
            if (hi >= threshold) {
                s[base + k] = 1f;
                v[k - from] = 0f;
            } else {
                v[k - from] = hi;
            }
        }
    }

    /**
     * The ATan surrogate {@code dS/dH = (alpha/2) / (1 + (pi/2 * alpha * (h - threshold))^2)}: {@code h - threshold}
     * in float, the rest in double ({@code halfAlpha = alpha / 2}, {@code slope = pi / 2 * alpha}), rounded to float.
     */
    public static float surrogate(float h, float threshold, double halfAlpha, double slope) {
        double z = slope * (h - threshold);
        return (float) (halfAlpha / (1 + z * z));
    }
}
