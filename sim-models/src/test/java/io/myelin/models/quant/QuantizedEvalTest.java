package io.myelin.models.quant;

import io.myelin.models.layer.BatchNormOverTime;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.dcls.DclsPathChooser;
import io.myelin.models.layer.dcls.ForwardPath;
import io.myelin.models.tensor.SeqTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evaluation mode of the quantized layers: {@code step_o * sum_i q[o][i] x[i]} (with each synapse's rounded delay for
 * the delayed dense) computed here from the integer levels, bit for bit on spike-count inputs; close to the
 * fake-quantized training output on real inputs; and the BatchNorm fold of a quantized projection.
 */
class QuantizedEvalTest {
    static final int T = 3, B = 2, IN = 7, OUT = 3;

    /** Multiples of 1/4 in 0..2 (spike counts over D = 4), about a third zero. */
    static float[] quarters(int n, Random r) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = r.nextDouble() < 0.35 ? 0f : r.nextInt(9) / 4f;
        }
        return x;
    }

    static float[] reals(int n, Random r) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = r.nextDouble() < 0.3 ? 0f : (float) (r.nextGaussian() * 1.3);
        }
        return x;
    }

    /** The integer levels by LSQ's rule, from the latent weights and steps: round half to even of clip(w / s). */
    static int[] levelsByRule(float[] w, float[] s, int in, BitWidth bits) {
        int[] q = new int[w.length];
        for (int k = 0; k < w.length; k++) {
            double v = w[k] / s[k / in];
            q[k] = (int) Math.rint(Math.max(-bits.qNeg, Math.min(bits.qPos, v)));
        }
        return q;
    }

    @ParameterizedTest
    @EnumSource(BitWidth.class)
    void quantizedLinearEvalIsStepTimesLevelSums(BitWidth bits) {
        Random r = new Random(40 + bits.ordinal());
        QuantizedLinear l = new QuantizedLinear("ql", IN, OUT, bits, 7 + bits.ordinal());
        float[] x = quarters(T * B * IN, r);
        SeqTensor y = l.forward(new SeqTensor(T, B, IN, x), false);
        int[] q = l.levels();
        float[] s = l.step().value;
        assertArrayEquals(levelsByRule(l.weight().value, s, IN, bits), q);
        int nonZeroLevels = 0;
        for (int v : q) {
            assertTrue(v >= -bits.qNeg && v <= bits.qPos);
            nonZeroLevels += v != 0 ? 1 : 0;
        }
        assertTrue(nonZeroLevels > q.length / 3, "the test needs non-zero levels, got " + nonZeroLevels);
        float[] expected = new float[T * B * OUT];
        for (int row = 0; row < T * B; row++) {
            for (int o = 0; o < OUT; o++) {
                double sum = 0;   // exact: quarters times small integers
                for (int i = 0; i < IN; i++) {
                    sum += q[o * IN + i] * (double) x[row * IN + i];
                }
                expected[row * OUT + o] = s[o] * (float) sum;
            }
        }
        assertArrayEquals(expected, y.data, "eval = step_o * sum(levels * x), exact for multiples of 1/4");
        assertArrayEquals(new SeqTensor(T, B, IN, x).data, x, "input untouched");

        // the training (fake-quant) output: sum (q s) x, equal up to float rounding
        SeqTensor yt = l.forward(new SeqTensor(T, B, IN, x), true);
        for (int row = 0; row < T * B; row++) {
            for (int o = 0; o < OUT; o++) {
                double mag = 0;
                for (int i = 0; i < IN; i++) {
                    mag += Math.abs(q[o * IN + i] * (double) s[o] * x[row * IN + i]);
                }
                int k = row * OUT + o;
                assertEquals(y.data[k], yt.data[k], 1e-5 * Math.max(mag, 1e-30), "train vs eval " + k);
            }
        }
        // real-valued input: eval against the double formula, and training within 1e-5 relative
        float[] xr = reals(T * B * IN, r);
        SeqTensor ye = l.forward(new SeqTensor(T, B, IN, xr), false), ytr = l.forward(new SeqTensor(T, B, IN, xr), true);
        for (int row = 0; row < T * B; row++) {
            for (int o = 0; o < OUT; o++) {
                double sum = 0, mag = 0;
                for (int i = 0; i < IN; i++) {
                    sum += q[o * IN + i] * (double) xr[row * IN + i];
                    mag += Math.abs(q[o * IN + i] * (double) s[o] * xr[row * IN + i]);
                }
                int k = row * OUT + o;
                assertEquals(s[o] * sum, ye.data[k], 1e-6 * mag + 1e-30, "eval on real input " + k);
                assertEquals(ye.data[k], ytr.data[k], 1e-5 * mag + 1e-30, "train vs eval on real input " + k);
            }
        }
    }

    /**
     * y[t'][b][o] = step_o * sum_i q[o][i] x[t' - d_oi][b][i] for 0 <= t' < T + (taps - 1) / 2, with d the rounded
     * integer delay of each synapse, on both of the layer's forward paths.
     */
    @ParameterizedTest(name = "{0} bits, forward path {1}")
    @CsvSource({"B4, SYNAPSE_SCATTER", "B4, FEATURE_MAJOR", "TERNARY, SYNAPSE_SCATTER", "B8, FEATURE_MAJOR"})
    void quantizedDelayedDenseEvalIsThePerSynapseIntegerDelaySum(BitWidth bits, ForwardPath path) {
        int in = 4, out = 3, taps = 5, steps = 6, batch = 2;
        Random r = new Random(50 + bits.ordinal());
        QuantizedDelayedDense l = new QuantizedDelayedDense("qd", in, out, taps, 3.0, bits, 12);
        l.delays().setPathChooser(DclsPathChooser.byCost().with(path));
        float[] x = new float[steps * batch * in];
        for (int k = 0; k < x.length; k++) {
            x[k] = r.nextDouble() < 0.4 ? 0f : r.nextInt(5);   // binned spike counts
        }
        SeqTensor y = l.forward(new SeqTensor(steps, batch, in, x), false);
        int T2 = steps + (taps - 1) / 2;
        assertEquals(T2, l.outputSteps(steps));
        assertEquals(T2, y.steps);
        int[] q = l.levels();
        float[] s = l.step().value;
        assertArrayEquals(levelsByRule(l.weight().value, s, in, bits), q);
        DclsDelayedDense dl = l.delays();
        int[] delay = new int[out * in];
        java.util.Set<Integer> distinct = new java.util.HashSet<>();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                delay[o * in + i] = dl.roundedDelaySteps(o, i);
                // tap n = clip(rint(P) + taps/2, 0, taps - 1) delays by taps - 1 - n steps
                float p = dl.position().value[o * in + i];
                int n = (int) Math.max(0, Math.min(taps - 1, Math.rint(p) + taps / 2));
                assertEquals(taps - 1 - n, delay[o * in + i], "delay of synapse " + o + "," + i);
                distinct.add(delay[o * in + i]);
            }
        }
        assertTrue(distinct.size() >= 3, "the test needs several different delays, got " + distinct);
        float[] expected = new float[T2 * batch * out];
        for (int t = 0; t < T2; t++) {
            for (int b = 0; b < batch; b++) {
                for (int o = 0; o < out; o++) {
                    long sum = 0;
                    for (int i = 0; i < in; i++) {
                        int src = t - delay[o * in + i];
                        if (src >= 0 && src < steps) {
                            sum += (long) q[o * in + i] * (long) x[(src * batch + b) * in + i];
                        }
                    }
                    expected[(t * batch + b) * out + o] = s[o] * (float) sum;
                }
            }
        }
        assertArrayEquals(expected, y.data, "eval = step_o * sum_i q_oi x[t - d_oi]");
        // the training-mode layer still works after an evaluation pass (the kernel is rebuilt from q * s)
        SeqTensor yt = l.forward(new SeqTensor(steps, batch, in, x), true);
        assertEquals(T2, yt.steps);
    }

    /** Evaluation folds the BatchNorm: y = a (q x) + b, equal to BN-eval(step * (q x)) up to float rounding. */
    @ParameterizedTest
    @EnumSource(value = BitWidth.class, names = {"TERNARY", "B4"})
    void quantizedProjectionEvalFoldsTheBatchNorm(BitWidth bits) {
        Random r = new Random(60 + bits.ordinal());
        QuantizedProjection p = new QuantizedProjection("qp", IN, OUT, bits, 4, 8);
        // some training passes so the running statistics are not the initial (0, 1)
        for (int k = 0; k < 3; k++) {
            p.forward(new SeqTensor(T, B, IN, quarters(T * B * IN, r)), true);
        }
        BatchNormOverTime bn = p.norm();
        QuantizedLinear ql = (QuantizedLinear) p.linear();
        float[] x = quarters(T * B * IN, r);
        SeqTensor y = p.forward(new SeqTensor(T, B, IN, x), false);
        int[] q = ql.levels();
        float[] s = ql.step().value;
        QuantizedProjection.Folded folded = p.folded();
        assertArrayEquals(q, folded.levels());
        for (int o = 0; o < OUT; o++) {
            double scale = bn.gamma().value[o] / Math.sqrt(bn.runningVar()[o] + BatchNormOverTime.EPS);
            assertEquals((float) (s[o] * scale), folded.a()[o], "a_o = s_o gamma_o / sqrt(var_o + eps)");
            assertEquals((float) (bn.beta().value[o] - scale * bn.runningMean()[o]), folded.b()[o], 1e-6,
                    "b_o = beta_o - gamma_o mean_o / sqrt(var_o + eps)");
        }
        for (int row = 0; row < T * B; row++) {
            for (int o = 0; o < OUT; o++) {
                double sum = 0;
                for (int i = 0; i < IN; i++) {
                    sum += q[o * IN + i] * (double) x[row * IN + i];
                }
                int k = row * OUT + o;
                assertEquals((float) sum * folded.a()[o] + folded.b()[o], y.data[k], "the folded expression, bit for bit");
                double bnEval = bn.gamma().value[o] * (s[o] * sum - bn.runningMean()[o])
                        / Math.sqrt(bn.runningVar()[o] + BatchNormOverTime.EPS) + bn.beta().value[o];
                assertEquals(bnEval, y.data[k], 1e-5 * Math.max(1, Math.abs(bnEval)), "BN-eval(step * q x) " + k);
            }
        }
    }
}
