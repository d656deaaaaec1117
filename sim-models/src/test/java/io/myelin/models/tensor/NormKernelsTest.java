package io.myelin.models.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hidden layers' BatchNorm and fused BatchNorm/LIF/dropout kernels against plain loops of the layers' float and
 * double expressions: bit for bit, for feature counts that are and are not whole vectors.
 */
class NormKernelsTest {
    private static float[] random(Random r, int n, double scale, double offset) {
        float[] d = new float[n];
        for (int k = 0; k < n; k++) {
            d[k] = (float) (offset + scale * r.nextGaussian());
        }
        return d;
    }

    @ParameterizedTest(name = "{0} features, columns {1} to {2}, rows 2 to 9")
    @CsvSource({"37, 0, 37", "37, 5, 30", "64, 32, 64", "3, 0, 3"})
    void batchNormStatisticsAndBackwardEqualThePlainLoops(int n, int c0, int c1) {
        Random r = new Random(n * 100L + c0);
        int rows = 9;
        float[] g = random(r, rows * n, 0.3, 0), x = random(r, rows * n, 2, 0.5);
        float[] mean = random(r, n, 0.5, 0), invStd = random(r, n, 0.3, 1);
        double[] sum = new double[c1 - c0], sumRef = new double[c1 - c0];
        NormOps.columnSums(x, 2, rows, n, c0, c1, sum);
        for (int row = 2; row < rows; row++) {
            for (int c = c0; c < c1; c++) {
                double v = x[row * n + c];
                sumRef[c - c0] += v;
            }
        }
        assertArrayEquals(sumRef, sum, "sums");
        double[] mu = new double[c1 - c0], sq = new double[c1 - c0], sqRef = new double[c1 - c0];
        for (int c = 0; c < mu.length; c++) {
            mu[c] = sum[c] / (rows - 2);
        }
        NormOps.squaredDeviations(x, mu, 2, rows, n, c0, c1, sq);
        for (int row = 2; row < rows; row++) {
            for (int c = c0; c < c1; c++) {
                double v = x[row * n + c] - mu[c - c0];
                sqRef[c - c0] += v * v;
            }
        }
        assertArrayEquals(sqRef, sq, "squared deviations");
        double[] db = new double[c1 - c0], dg = new double[c1 - c0];
        double[] dbRef = new double[c1 - c0], dgRef = new double[c1 - c0];
        NormOps.gradientSums(g, x, mean, invStd, 2, rows, n, c0, c1, db, dg);
        for (int row = 2; row < rows; row++) {
            for (int c = c0; c < c1; c++) {
                float xh = (x[row * n + c] - mean[c]) * invStd[c];
                dbRef[c - c0] += g[row * n + c];
                dgRef[c - c0] += (double) g[row * n + c] * xh;
            }
        }
        assertArrayEquals(dbRef, db);
        assertArrayEquals(dgRef, dg);
        float[] k = random(r, n, 1, 0), mb = random(r, n, 0.1, 0), mg = random(r, n, 0.1, 0);
        float[] dx = new float[rows * n], dxRef = new float[rows * n];
        NormOps.inputGradient(g, x, dx, mean, invStd, k, mb, mg, 1, rows, n);
        for (int row = 1; row < rows; row++) {
            for (int c = 0; c < n; c++) {
                float xh = (x[row * n + c] - mean[c]) * invStd[c];
                dxRef[row * n + c] = k[c] * (g[row * n + c] - mb[c] - xh * mg[c]);
            }
        }
        assertArrayEquals(dxRef, dx);
        float[] inPlace = g.clone();
        NormOps.inputGradient(inPlace, x, inPlace, mean, invStd, k, mb, mg, 1, rows, n);
        for (int i = n; i < rows * n; i++) {
            assertEquals(dxRef[i], inPlace[i], "in place, element " + i);
        }
    }

    @ParameterizedTest(name = "{0} features, mask {1}")
    @CsvSource({"37, true", "64, false", "5, true", "48, true"})
    void fusedRowsEqualTheLayersLoops(int n, boolean withMask) {
        Random r = new Random(n + (withMask ? 1 : 0));
        int steps = 12;
        float tau = 1.005f, th = 1f, keep = 1f - 1f / tau;
        double halfAlpha = 5.0 / 2, slope = Math.PI / 2 * 5.0;
        float[] x = random(r, steps * n, 1.5, 0.3), mean = random(r, n, 0.3, 0), invStd = random(r, n, 0.2, 1);
        float[] gamma = random(r, n, 0.3, 1), beta = random(r, n, 0.3, 0.2);
        float[] mask = null;
        if (withMask) {
            mask = new float[n];
            for (int c = 0; c < n; c++) {
                mask[c] = r.nextDouble() < 0.4 ? 0f : 1f / 0.6f;
            }
        }
        float[] h = new float[steps * n], out = new float[steps * n], v = new float[n];
        float[] hRef = new float[steps * n], outRef = new float[steps * n], vRef = new float[n];
        int spikes = 0, spikesRef = 0;
        for (int t = 0; t < steps; t++) {
            spikes += NormLifOps.forwardRow(x, h, out, v, 0, mask, 0, t * n, n, mean, invStd, gamma, beta, tau, th);
            for (int c = 0; c < n; c++) {
                int i = t * n + c;
                float xh = (x[i] - mean[c]) * invStd[c];
                float y = gamma[c] * xh + beta[c];
                float hi = vRef[c] - vRef[c] / tau + y;
                hRef[i] = hi;
                float s = hi >= th ? 1f : 0f;
                spikesRef += (int) s;
                vRef[c] = hi >= th ? 0f : hi;
                outRef[i] = mask == null ? s : s * mask[c];
            }
        }
        assertArrayEquals(hRef, h, "membrane");
        assertArrayEquals(outRef, out, "dropped spikes");
        assertEquals(spikesRef, spikes);
        assertTrue(spikes > 0 && spikes < steps * n, "some neurons fire, others do not: " + spikes);
        float[] g = random(r, steps * n, 0.5, 0), dh = new float[steps * n], dhRef = new float[steps * n];
        float[] dv = new float[n], dvRef = new float[n];
        for (int t = steps - 1; t >= 0; t--) {
            NormLifOps.backwardRow(g, mask, 0, h, dh, dv, 0, t * n, n, th, keep, halfAlpha, slope);
            for (int c = 0; c < n; c++) {
                int i = t * n + c;
                float gs = mask == null ? g[i] : g[i] * mask[c];
                double z = slope * (h[i] - th);
                float sur = (float) (halfAlpha / (1 + z * z));
                float d = gs * sur + dvRef[c] * (1f - (h[i] >= th ? 1f : 0f));
                dhRef[i] = d;
                dvRef[c] = d * keep;
            }
        }
        assertArrayEquals(dhRef, dh, "membrane gradient");
    }
}
