package io.myelin.models.attention;

import io.myelin.kernels.quant.JavaIntegerOps;
import io.myelin.models.attention.LinearSpikeAttention;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static io.myelin.testing.FiniteDifferences.assertClose;
import static io.myelin.testing.FiniteDifferences.dot;
import static io.myelin.testing.FiniteDifferences.doubles;
import static io.myelin.testing.FiniteDifferences.gradient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linear spike-driven attention against a dense double-precision formula written here, against the integer attention
 * of sim-kernels (bit for bit), and its backward against central finite differences of the double formula.
 */
class LinearSpikeAttentionTest {
    static final int T = 5, B = 4, C = 4, D = 4;
    static final double SCALE = 0.125;
    /** Valid tokens per sample: none, partial, full, one. */
    static final int[] VALID = {0, 3, T, 1};

    /** A[n, b, h-block] = (scale / L_b) sum_i Q[n][i] sum_{m < L_b} K[m][i] V[m][j], 0 for n >= L_b. */
    static double[] dense(double[] q, double[] k, double[] v, int heads, int[] valid) {
        int d = C / heads;
        double[] a = new double[q.length];
        for (int b = 0; b < B; b++) {
            int L = valid[b];
            for (int h = 0; h < heads; h++) {
                for (int n = 0; n < L; n++) {
                    for (int j = 0; j < d; j++) {
                        double s = 0;
                        for (int i = 0; i < d; i++) {
                            for (int m = 0; m < L; m++) {
                                s += q[at(n, b, h * d + i)] * k[at(m, b, h * d + i)] * v[at(m, b, h * d + j)];
                            }
                        }
                        a[at(n, b, h * d + j)] = SCALE / L * s;
                    }
                }
            }
        }
        return a;
    }

    static int at(int t, int b, int c) {
        return (t * B + b) * C + c;
    }

    static int[] counts(Random r) {
        int[] c = new int[T * B * C];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextDouble() < 0.3 ? 0 : r.nextInt(D + 1);
        }
        return c;
    }

    static float[] spikes(int[] counts) {
        float[] f = new float[counts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = counts[i] / (float) D;
        }
        return f;
    }

    static SeqTensor t(float[] f) {
        return new SeqTensor(T, B, C, f);
    }

    @ParameterizedTest(name = "{0} head(s)")
    @ValueSource(ints = {1, 2})
    void forwardOnSpikesEqualsTheDenseFormulaAndTheIntegerPathBitForBit(int heads) {
        Random r = new Random(17 + heads);
        int[] qc = counts(r), kc = counts(r), vc = counts(r);
        float[] q = spikes(qc), k = spikes(kc), v = spikes(vc);
        LinearSpikeAttention att = new LinearSpikeAttention(heads, SCALE);
        SeqTensor a = att.forward(t(q), t(k), t(v), VALID);
        double[] ref = dense(doubles(q), doubles(k), doubles(v), heads, VALID);
        int nonZero = 0;
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], a.data[i], 1e-6 * Math.max(1, Math.abs(ref[i])), "A " + i);
            nonZero += a.data[i] != 0 ? 1 : 0;
        }
        assertTrue(nonZero > 20, "the test needs non-zero attention, got " + nonZero);
        // padded tokens are exactly 0
        for (int b = 0; b < B; b++) {
            for (int n = VALID[b]; n < T; n++) {
                for (int c = 0; c < C; c++) {
                    assertEquals(0f, a.data[at(n, b, c)]);
                }
            }
        }
        // integer attention over the counts, times c_b / D^3
        int[] ai = new JavaIntegerOps().linearAttention(qc, kc, vc, T, B, C, heads, VALID);
        float[] expected = new float[ai.length];
        for (int b = 0; b < B; b++) {
            float c = LinearSpikeAttention.factor(SCALE, VALID[b]);
            assertEquals(VALID[b] == 0 ? 0f : (float) (SCALE / VALID[b]), c);
            for (int n = 0; n < T; n++) {
                for (int ch = 0; ch < C; ch++) {
                    int i = at(n, b, ch);
                    expected[i] = (float) ((double) ai[i] / (D * D * D)) * c;
                }
            }
        }
        assertArrayEquals(expected, a.data, "bit for bit with the integer path");
        // threads own samples: the same bits with two workers
        try (Workers w = new Workers(2)) {
            LinearSpikeAttention par = new LinearSpikeAttention(heads, SCALE);
            par.setWorkers(w);
            assertArrayEquals(a.data, par.forward(t(q), t(k), t(v), VALID).data);
        }
    }

    @ParameterizedTest(name = "{0} head(s)")
    @ValueSource(ints = {1, 2})
    void backwardMatchesFiniteDifferencesForQKV(int heads) {
        Random r = new Random(29 + heads);
        float[][] x = new float[3][T * B * C];
        for (float[] f : x) {
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) r.nextGaussian();
            }
        }
        float[] g = new float[T * B * C];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) r.nextGaussian();
        }
        LinearSpikeAttention att = new LinearSpikeAttention(heads, SCALE);
        att.forward(t(x[0]), t(x[1]), t(x[2]), VALID);
        SeqTensor[] grads = att.backward(t(g));
        double[] gd = doubles(g), q = doubles(x[0]), k = doubles(x[1]), v = doubles(x[2]);
        double h = 1e-4;
        assertClose(gradient(a -> dot(dense(a, k, v, heads, VALID), gd), q, h), grads[0].data, 1e-4, "dQ");
        assertClose(gradient(a -> dot(dense(q, a, v, heads, VALID), gd), k, h), grads[1].data, 1e-4, "dK");
        assertClose(gradient(a -> dot(dense(q, k, a, heads, VALID), gd), v, h), grads[2].data, 1e-4, "dV");
        // padded tokens of the zero-length sample get no gradient
        for (int n = 0; n < T; n++) {
            for (int c = 0; c < C; c++) {
                for (SeqTensor s : grads) {
                    assertEquals(0f, s.data[at(n, 0, c)]);
                }
            }
        }
    }
}
