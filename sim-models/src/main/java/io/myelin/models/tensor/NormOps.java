package io.myelin.models.tensor;

/**
 * The statistics and the backward pass of BatchNorm over time ({@code layer.BatchNormOverTime}) on flat rows of
 * {@code n} features, with the normalised input {@code xhat = (x - mean) * invStd} recomputed in float from the input
 * rather than stored. On the Vector API when it is on ({@link WindowOps#vectorized()}), else scalar; either way the
 * same float and double operations per element, and every column's sums in row order, so the same bits.
 */
public final class NormOps {
    private NormOps() {
    }

    /** For rows {@code [r0, r1)} in order and features {@code c0 <= c < c1}: {@code sum[c - c0] += x}, in double. */
    public static void columnSums(float[] x, int r0, int r1, int n, int c0, int c1, double[] sum) {
        for (int r = r0; r < r1; r++) {
            int b = r * n;
            int c = WindowOps.vectorized() ? VectorNormOps.columnSums(x, b, c0, c1, sum) : c0;
            for (; c < c1; c++) {
                double v = x[b + c];
                sum[c - c0] += v;
            }
        }
    }

    /**
     * For rows {@code [r0, r1)} in order and features {@code c0 <= c < c1}:
     * {@code sq[c - c0] += (x - mean[c - c0])^2}, in double.
     */
    public static void squaredDeviations(float[] x, double[] mean, int r0, int r1, int n, int c0, int c1,
                                         double[] sq) {
        for (int r = r0; r < r1; r++) {
            int b = r * n;
            int c = WindowOps.vectorized() ? VectorNormOps.squaredDeviations(x, mean, b, c0, c1, sq) : c0;
            for (; c < c1; c++) {
                double v = x[b + c] - mean[c - c0];
                sq[c - c0] += v * v;
            }
        }
    }

    /**
     * For rows {@code [r0, r1)} in order and features {@code c0 <= c < c1}: {@code db[c - c0] += g} and
     * {@code dg[c - c0] += (double) g * xhat}, in double.
     */
    public static void gradientSums(float[] g, float[] x, float[] mean, float[] invStd, int r0, int r1, int n,
                                    int c0, int c1, double[] db, double[] dg) {
        for (int r = r0; r < r1; r++) {
            int b = r * n;
            int c = WindowOps.vectorized() ? VectorNormOps.gradientSums(g, x, mean, invStd, b, c0, c1, db, dg) : c0;
            for (; c < c1; c++) {
                float xh = (x[b + c] - mean[c]) * invStd[c];
                db[c - c0] += g[b + c];
                dg[c - c0] += (double) g[b + c] * xh;
            }
        }
    }

    /**
     * For rows {@code [r0, r1)}: {@code dx = k[c] * (g - mb[c] - xhat * mg[c])} in float ({@code dx} may be
     * {@code g}).
     */
    public static void inputGradient(float[] g, float[] x, float[] dx, float[] mean, float[] invStd, float[] k,
                                     float[] mb, float[] mg, int r0, int r1, int n) {
        for (int r = r0; r < r1; r++) {
            int b = r * n;
            int c = WindowOps.vectorized() ? VectorNormOps.inputGradient(g, x, dx, mean, invStd, k, mb, mg, b, n) : 0;
            for (; c < n; c++) {
                float xh = (x[b + c] - mean[c]) * invStd[c];
                dx[b + c] = k[c] * (g[b + c] - mb[c] - xh * mg[c]);
            }
        }
    }
}
