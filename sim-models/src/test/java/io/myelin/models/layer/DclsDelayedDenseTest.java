package io.myelin.models.layer;

import io.myelin.models.layer.dcls.DclsPathChooser;
import io.myelin.models.layer.dcls.ForwardPath;
import io.myelin.models.layer.dcls.InputGradientPath;
import io.myelin.models.layer.dcls.KernelGradientPath;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static io.myelin.testing.FiniteDifferences.assertClose;
import static io.myelin.testing.FiniteDifferences.doubles;
import static io.myelin.testing.FiniteDifferences.floats;
import static io.myelin.testing.FiniteDifferences.gradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DCLS against a plain double-precision implementation of docs/references.md §3 (kernel formula, padding, truncation),
 * and its gradients against central finite differences of that reference.
 */
class DclsDelayedDenseTest {
    static final int I = 5, O = 4, TD = 7, T = 9, B = 2;

    /** Reference forward in double: y[t2][b][o] = sum_i sum_n K[o,i,n] x[t2 + n - (Td-1)][b][i]. */
    static double[] reference(double[] w, double[] p, double sigma, double trunc, boolean rounded, double[] x) {
        int t2n = T + (TD - 1) / 2;
        double[] y = new double[t2n * B * O];
        for (int o = 0; o < O; o++) {
            for (int i = 0; i < I; i++) {
                double[] k = kernel(w[o * I + i], p[o * I + i], sigma, trunc, rounded);
                for (int t2 = 0; t2 < t2n; t2++) {
                    for (int b = 0; b < B; b++) {
                        double s = 0;
                        for (int n = 0; n < TD; n++) {
                            int t = t2 + n - (TD - 1);
                            if (t >= 0 && t < T) {
                                s += k[n] * x[(t * B + b) * I + i];
                            }
                        }
                        y[(t2 * B + b) * O + o] += s;
                    }
                }
            }
        }
        return y;
    }

    static double[] kernel(double w, double p, double sigma, double trunc, boolean rounded) {
        double[] k = new double[TD];
        if (rounded) {
            int n = (int) Math.max(0, Math.min(TD - 1, Math.rint(p) + TD / 2));
            k[n] = w;
            return k;
        }
        double mu = p + TD / 2, sum = 0;
        double[] g = new double[TD];
        for (int n = 0; n < TD; n++) {
            g[n] = Math.exp(-0.5 * Math.pow((n - mu) / sigma, 2));
            sum += g[n];
        }
        for (int n = 0; n < TD; n++) {
            boolean inWindow = trunc <= 0 || Math.abs(n - mu) <= trunc * sigma;
            k[n] = inWindow ? w * g[n] / (sum + 1e-7) : 0;
        }
        return k;
    }

    record Setup(DclsDelayedDense layer, double[] x, double[] r) {
    }

    static Setup setup(double sig, double trunc, double density, long seed) {
        DclsDelayedDense layer = new DclsDelayedDense("l", I, O, TD, DclsDelayedDense.DelayMode.LEARNED, trunc, seed);
        layer.setSig(sig);
        Random rnd = new Random(seed);
        double[] x = new double[T * B * I];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < density ? (float) (0.5 + rnd.nextDouble()) : 0;
        }
        double[] r = new double[(T + (TD - 1) / 2) * B * O];
        for (int k = 0; k < r.length; k++) {
            r[k] = (float) rnd.nextGaussian();
        }
        return new Setup(layer, x, r);
    }

    @ParameterizedTest(name = "sig {0}, truncation {1}, paths {2}, {3}, {4}")
    @CsvSource({"3.0, 0, TAP_ROW_SCATTER, TAP_ROWS, SHIFTED_ROWS", "3.0, 0, FEATURE_MAJOR, TAP_ROWS, SHIFTED_ROWS",
            "1.0, 3, TAP_ROW_SCATTER, TAP_ROWS, SHIFTED_ROWS", "1.0, 3, FEATURE_MAJOR, TAP_ROWS, SHIFTED_ROWS",
            "0.23, 2, TAP_ROW_SCATTER, TAP_ROWS, SHIFTED_ROWS", "0.23, 2, FEATURE_MAJOR, TAP_ROWS, SHIFTED_ROWS",
            "3.0, 0, SYNAPSE_SCATTER, SYNAPSE_GATHER, SHIFTED_ROWS", "3.0, 0, FEATURE_MAJOR, SYNAPSE_GATHER, SHIFTED_ROWS",
            "1.0, 3, SYNAPSE_SCATTER, SYNAPSE_GATHER, SHIFTED_ROWS", "0.23, 2, SYNAPSE_SCATTER, SYNAPSE_GATHER, SHIFTED_ROWS",
            "3.0, 0, WINDOWED, SYNAPSE_GATHER, WINDOWED", "1.0, 3, WINDOWED, SYNAPSE_GATHER, WINDOWED",
            "0.23, 2, WINDOWED, TAP_ROWS, WINDOWED", "3.0, 0, EVENT_TAP_ROWS, BLOCKED, BLOCKED",
            "1.0, 3, BLOCKED, BLOCKED, BLOCKED", "0.23, 2, EVENT_TAP_ROWS, BLOCKED, BLOCKED"})
    void forwardMatchesReferenceAndGradientsMatchFiniteDifferences(double sig, double trunc, ForwardPath forward,
                                                                   KernelGradientPath kernel, InputGradientPath input) {
        Setup s = setup(sig, trunc, 0.6, 11);
        DclsDelayedDense l = s.layer();
        l.setPathChooser(DclsPathChooser.forced(forward, kernel, input));
        double sigma = Math.abs(sig) + 0.27;
        double[] w = doubles(l.weight().value), p = doubles(l.position().value);
        SeqTensor y = l.forward(new SeqTensor(T, B, I, floats(s.x())), true);
        double[] ref = reference(w, p, sigma, trunc, false, s.x());
        for (int k = 0; k < ref.length; k++) {
            assertEquals(ref[k], y.data[k], 1e-5, "output " + k);
        }
        SeqTensor dx = l.backward(new SeqTensor(y.steps, B, O, floats(s.r())));
        assertClose(gradient(v -> reference(v, p, sigma, trunc, false, s.x()), w, s.r()), l.weight().grad, 1e-3, "dW");
        assertClose(gradient(v -> reference(w, v, sigma, trunc, false, s.x()), p, s.r()), l.position().grad, 1e-3, "dP");
        assertClose(gradient(v -> reference(w, p, sigma, trunc, false, v), s.x(), s.r()), dx.data, 1e-3, "dx");
    }

    @Test
    void fixedDelaysTrainOneTapPerSynapse() {
        DclsDelayedDense l = new DclsDelayedDense("f", I, O, TD, DclsDelayedDense.DelayMode.FIXED, 3, 13);
        Setup s = setup(0, 0, 0.6, 13);
        double[] w = doubles(l.weight().value), p = doubles(l.position().value);
        for (double v : p) {
            assertEquals(Math.rint(v), v, "fixed positions are integers");
        }
        assertEquals(1, l.params().size(), "positions are not trained");
        SeqTensor y = l.forward(new SeqTensor(T, B, I, floats(s.x())), true);
        double[] ref = reference(w, p, 1, 0, true, s.x());
        for (int k = 0; k < ref.length; k++) {
            assertEquals(ref[k], y.data[k], 1e-5);
        }
        SeqTensor dx = l.backward(new SeqTensor(y.steps, B, O, floats(s.r())));
        assertClose(gradient(v -> reference(v, p, 1, 0, true, s.x()), w, s.r()), l.weight().grad, 1e-3, "dW");
        assertClose(gradient(v -> reference(w, p, 1, 0, true, v), s.x(), s.r()), dx.data, 1e-3, "dx");
    }

    @Test
    void positionGradientIsNotTrivial() {
        Setup s = setup(1.0, 0, 0.6, 3);
        DclsDelayedDense l = s.layer();
        SeqTensor y = l.forward(new SeqTensor(T, B, I, floats(s.x())), true);
        l.backward(new SeqTensor(y.steps, B, O, floats(s.r())));
        double norm = 0;
        for (float g : l.position().grad) {
            norm += g * g;
        }
        assertTrue(norm > 1e-3, "position gradients must carry signal, |g|^2 = " + norm);
    }

    @Test
    void evaluationIsAnExplicitIntegerDelayPerSynapse() {
        Setup s = setup(0.23, 3, 0.5, 5);
        DclsDelayedDense l = s.layer();
        SeqTensor y = l.forward(new SeqTensor(T, B, I, floats(s.x())), false);
        float[] w = l.weight().value;
        // by hand: y[t2][b][o] = sum_i W[o,i] x[t2 - d(o,i)][b][i], d = roundedDelaySteps
        for (int t2 = 0; t2 < y.steps; t2++) {
            for (int b = 0; b < B; b++) {
                for (int o = 0; o < O; o++) {
                    double e = 0;
                    for (int i = 0; i < I; i++) {
                        int d = l.roundedDelaySteps(o, i);
                        assertTrue(d >= 0 && d < TD);
                        int t = t2 - d;
                        if (t >= 0 && t < T) {
                            e += w[o * I + i] * (float) s.x()[(t * B + b) * I + i];
                        }
                    }
                    assertEquals(e, y.get(t2, b, o), 1e-5);
                }
            }
        }
    }

    @Test
    void smallestSigmaConvergesToTheRoundedDelay() {
        // With integer positions the Gaussian kernel at sigma -> 0 is the one-hot rounded kernel; at the schedule's
        // floor (sigma 0.27 + |SIG|) the neighbouring taps carry exp(-0.5 / sigma^2) of the weight.
        Setup s = setup(0.0, 0, 1.0, 9);
        DclsDelayedDense l = s.layer();
        for (int k = 0; k < l.position().value.length; k++) {
            l.position().value[k] = Math.round(l.position().value[k]);
        }
        SeqTensor x = new SeqTensor(T, B, I, floats(s.x()));
        float[] rounded = l.forward(x, false).data.clone();
        double previous = Double.MAX_VALUE;
        for (double sig : new double[]{1.0, 0.5, 0.2, 0.05, 0.0}) {
            l.setSig(sig);
            float[] train = l.forward(x, true).data;
            double err = 0;
            for (int k = 0; k < train.length; k++) {
                err = Math.max(err, Math.abs(train[k] - rounded[k]));
            }
            assertTrue(err < previous, "error must shrink with sigma: " + err + " at SIG " + sig);
            previous = err;
        }
        assertTrue(previous < 0.02, "at sigma 0.27 the kernel is within 2% of one-hot, error " + previous);
    }

    @Test
    void sparseAndDensePathsAgree() {
        Setup s = setup(2.0, 3, 0.3, 21);
        DclsDelayedDense l = s.layer();
        SeqTensor x = new SeqTensor(T, B, I, floats(s.x()));
        l.setPathChooser(DclsPathChooser.byCost(false).with(ForwardPath.TAP_ROW_SCATTER));
        float[] sparse = l.forward(x, true).data.clone();
        SeqTensor r = new SeqTensor(T + (TD - 1) / 2, B, O, floats(s.r()));
        float[] dxS = l.backward(r).data.clone();
        float[] gwS = l.weight().grad.clone(), gpS = l.position().grad.clone();
        l.weight().zeroGrad();
        l.position().zeroGrad();
        l.setPathChooser(DclsPathChooser.byCost(false).with(ForwardPath.FEATURE_MAJOR));
        float[] dense = l.forward(x, true).data;
        float[] dxD = l.backward(r).data;
        for (int k = 0; k < sparse.length; k++) {
            assertEquals(sparse[k], dense[k], 1e-5);
        }
        for (int k = 0; k < gwS.length; k++) {
            assertEquals(gwS[k], l.weight().grad[k], 1e-4);
            assertEquals(gpS[k], l.position().grad[k], 1e-4);
        }
        for (int k = 0; k < dxS.length; k++) {
            assertEquals(dxS[k], dxD[k], 1e-6);
        }
    }

    @ParameterizedTest(name = "sig {0}, truncation {1}")
    @CsvSource({"2.0, 3", "0.23, 2", "3.0, 0"})
    void perSynapseAndTapRowPathsAgree(double sig, double trunc) {
        Setup s = setup(sig, trunc, 0.3, 23);
        DclsDelayedDense l = s.layer();
        SeqTensor x = new SeqTensor(T, B, I, floats(s.x()));
        SeqTensor r = new SeqTensor(T + (TD - 1) / 2, B, O, floats(s.r()));
        l.setPathChooser(DclsPathChooser.forced(ForwardPath.TAP_ROW_SCATTER, KernelGradientPath.TAP_ROWS,
                InputGradientPath.SHIFTED_ROWS));
        float[] rows = l.forward(x, true).data.clone();
        float[] dxR = l.backward(r).data.clone();
        float[] gwR = l.weight().grad.clone(), gpR = l.position().grad.clone();
        l.weight().zeroGrad();
        l.position().zeroGrad();
        l.setPathChooser(DclsPathChooser.forced(ForwardPath.SYNAPSE_SCATTER, KernelGradientPath.SYNAPSE_GATHER,
                InputGradientPath.SHIFTED_ROWS));
        float[] bySynapse = l.forward(x, true).data;
        float[] dxS = l.backward(r).data;
        // the forward sums every output element in the same order on both paths
        assertTrue(java.util.Arrays.equals(rows, bySynapse), "forward paths differ");
        for (int k = 0; k < gwR.length; k++) {
            assertEquals(gwR[k], l.weight().grad[k], 1e-5);
            assertEquals(gpR[k], l.position().grad[k], 1e-5);
        }
        assertTrue(java.util.Arrays.equals(dxR, dxS), "the input gradient does not depend on the path");
    }

    @Test
    void maskedInputGradientIsTheUnmaskedOneWhereKept() {
        Setup s = setup(1.0, 3, 0.3, 31);
        DclsDelayedDense l = s.layer();
        SeqTensor x = new SeqTensor(T, B, I, floats(s.x()));
        SeqTensor r = new SeqTensor(T + (TD - 1) / 2, B, O, floats(s.r()));
        l.forward(x, true);
        float[] full = l.backward(r).data;
        float[] keep = new float[B * I];
        Random rnd = new Random(5);
        for (int k = 0; k < keep.length; k++) {
            keep[k] = rnd.nextBoolean() ? 2.5f : 0f;
        }
        keep[0] = 0f;
        keep[1] = 2.5f;
        l.setInputGradientMask(keep);
        l.forward(x, true);
        float[] masked = l.backward(r).data;
        for (int t = 0; t < T; t++) {
            for (int k = 0; k < B * I; k++) {
                int e = t * B * I + k;
                assertEquals(keep[k] != 0f ? full[e] : 0f, masked[e], 0f, "element " + e);
            }
        }
    }

    @ParameterizedTest(name = "per synapse {0}")
    @CsvSource({"false", "true"})
    void resultsWithAMaskDoNotDependOnTheThreadCount(boolean bySynapse) {
        Setup s = setup(1.0, 3, 0.3, 8);
        SeqTensor x = new SeqTensor(T, B, I, floats(s.x()));
        SeqTensor r = new SeqTensor(T + (TD - 1) / 2, B, O, floats(s.r()));
        float[] keep = new float[B * I];
        for (int k = 0; k < keep.length; k++) {
            keep[k] = k % 3 == 0 ? 0f : 1f;
        }
        float[][] out = new float[3][], grads = new float[3][], gw = new float[3][], gp = new float[3][];
        for (int threads = 1; threads <= 3; threads++) {
            DclsDelayedDense l = setup(1.0, 3, 0.3, 8).layer();
            l.setPathChooser(bySynapse
                    ? DclsPathChooser.forced(ForwardPath.SYNAPSE_SCATTER, KernelGradientPath.SYNAPSE_GATHER,
                    InputGradientPath.SHIFTED_ROWS)
                    : DclsPathChooser.forced(ForwardPath.TAP_ROW_SCATTER, KernelGradientPath.TAP_ROWS,
                    InputGradientPath.SHIFTED_ROWS));
            l.setInputGradientMask(keep);
            try (Workers w = new Workers(threads)) {
                l.setWorkers(w);
                out[threads - 1] = l.forward(x, true).data;
                grads[threads - 1] = l.backward(r).data;
                gw[threads - 1] = l.weight().grad;
                gp[threads - 1] = l.position().grad;
            }
        }
        for (int k = 1; k < 3; k++) {
            assertTrue(java.util.Arrays.equals(out[0], out[k]));
            assertTrue(java.util.Arrays.equals(grads[0], grads[k]));
            assertTrue(java.util.Arrays.equals(gw[0], gw[k]));
            assertTrue(java.util.Arrays.equals(gp[0], gp[k]));
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Setup s = setup(2.0, 3, 0.3, 4);
        SeqTensor x = new SeqTensor(T, B, I, floats(s.x()));
        SeqTensor r = new SeqTensor(T + (TD - 1) / 2, B, O, floats(s.r()));
        float[][] out = new float[3][];
        float[][] grads = new float[3][];
        for (int threads = 1; threads <= 3; threads++) {
            DclsDelayedDense l = setup(2.0, 3, 0.3, 4).layer();
            try (Workers w = new Workers(threads)) {
                l.setWorkers(w);
                out[threads - 1] = l.forward(x, true).data;
                grads[threads - 1] = l.backward(r).data;
            }
        }
        for (int k = 1; k < 3; k++) {
            assertTrue(java.util.Arrays.equals(out[0], out[k]));
            assertTrue(java.util.Arrays.equals(grads[0], grads[k]));
        }
    }
}
