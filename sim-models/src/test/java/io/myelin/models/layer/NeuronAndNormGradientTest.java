package io.myelin.models.layer;

import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.tensor.SeqTensor;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Function;

import static io.myelin.testing.FiniteDifferences.assertClose;
import static io.myelin.testing.FiniteDifferences.doubles;
import static io.myelin.testing.FiniteDifferences.floats;
import static io.myelin.testing.FiniteDifferences.gradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BatchNorm, LIF (surrogate), readout, loss and Dense against double-precision references and central finite
 * differences of them.
 */
class NeuronAndNormGradientTest {
    static final int T = 6, B = 3, N = 4;

    static double[] random(int n, long seed, double lo, double hi) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            d[k] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return d;
    }

    static double[] bnRef(double[] x, double[] gamma, double[] beta) {
        int rows = T * B;
        double[] y = new double[x.length];
        for (int c = 0; c < N; c++) {
            double mean = 0, var = 0;
            for (int r = 0; r < rows; r++) {
                mean += x[r * N + c];
            }
            mean /= rows;
            for (int r = 0; r < rows; r++) {
                var += Math.pow(x[r * N + c] - mean, 2);
            }
            var /= rows;
            for (int r = 0; r < rows; r++) {
                y[r * N + c] = gamma[c] * (x[r * N + c] - mean) / Math.sqrt(var + 1e-5) + beta[c];
            }
        }
        return y;
    }

    @Test
    void batchNormOverTimeAndBatch() {
        double[] x = random(T * B * N, 1, -2, 3), r = random(T * B * N, 2, -1, 1);
        BatchNormOverTime bn = new BatchNormOverTime("bn", N);
        double[] gamma = {0.5, 1.5, -1.0, 2.0}, beta = {0.1, -0.2, 0.3, 0.0};
        for (int c = 0; c < N; c++) {
            bn.gamma().value[c] = (float) gamma[c];
            bn.beta().value[c] = (float) beta[c];
        }
        SeqTensor y = bn.forward(new SeqTensor(T, B, N, floats(x)), true);
        assertClose(bnRef(x, gamma, beta), y.data, 1e-5, "y");
        SeqTensor dx = bn.backward(new SeqTensor(T, B, N, floats(r)));
        assertClose(gradient(v -> bnRef(v, gamma, beta), x, r), dx.data, 1e-3, "dx");
        assertClose(gradient(g -> bnRef(x, g, beta), gamma, r), bn.gamma().grad, 1e-3, "dgamma");
        assertClose(gradient(b -> bnRef(x, gamma, b), beta, r), bn.beta().grad, 1e-3, "dbeta");
        // running statistics: momentum 0.1 from (0, 1), unbiased variance
        for (int c = 0; c < N; c++) {
            double mean = 0, var = 0;
            for (int k = 0; k < T * B; k++) {
                mean += x[k * N + c];
            }
            mean /= T * B;
            for (int k = 0; k < T * B; k++) {
                var += Math.pow(x[k * N + c] - mean, 2);
            }
            var /= T * B - 1;
            assertEquals(0.1 * mean, bn.runningMean()[c], 1e-6);
            assertEquals(0.9 + 0.1 * var, bn.runningVar()[c], 1e-5);
        }
    }

    /**
     * The statistics and parameter gradients are summed per block of rows by whichever thread takes the block, then
     * block by block: 1, 2 and 3 threads, with 2,350 rows (two whole blocks and a part) and 37 features (rows that
     * are not whole vectors), give the same bits as one thread in every output, gradient and running statistic.
     */
    @Test
    void batchNormIsBitIdenticalForAnyThreadCount() {
        int steps = 47, batch = 50, features = 37;
        assertTrue(steps * batch > 2 * BatchNormOverTime.STAT_BLOCK_ROWS, "more than two blocks of rows");
        float[] x = floats(random(steps * batch * features, 3, -2, 3));
        float[] g = floats(random(steps * batch * features, 4, -1, 1));
        float[][] want = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (io.myelin.models.tensor.Workers w = new io.myelin.models.tensor.Workers(threads)) {
                BatchNormOverTime bn = new BatchNormOverTime("bn", features);
                bn.setWorkers(w);
                for (int c = 0; c < features; c++) {
                    bn.gamma().value[c] = 0.5f + 0.03f * c;
                    bn.beta().value[c] = 0.2f - 0.01f * c;
                }
                float[] y = bn.forward(new SeqTensor(steps, batch, features, x.clone()), true).data;
                float[] dx = bn.backward(new SeqTensor(steps, batch, features, g.clone())).data;
                float[][] got = {y, dx, bn.gamma().grad.clone(), bn.beta().grad.clone(), bn.runningMean().clone(),
                        bn.runningVar().clone()};
                if (want == null) {
                    want = got;
                    continue;
                }
                for (int k = 0; k < got.length; k++) {
                    assertTrue(java.util.Arrays.equals(want[k], got[k]), "array " + k + " differs at " + threads
                            + " threads");
                }
            }
        }
    }

    /**
     * LIF with detached reset: the surrogate is the derivative of s(h) = atan(pi/2 alpha (h - 1)) / pi + 1/2, so the
     * backward pass must equal the finite differences of a forward whose output is s(h) and whose reset pattern is
     * held fixed at the hard spikes.
     */
    @Test
    void lifSurrogateGradientIsTheDerivativeOfTheSmoothedForward() {
        double tau = 1.3, alpha = 5;
        double[] x = random(T * B * N, 3, 0, 1.4), r = random(T * B * N, 4, -1, 1);
        Lif lif = new Lif(tau, 1.0, alpha);
        SeqTensor s = lif.forward(new SeqTensor(T, B, N, floats(x)), true);
        int spikes = 0;
        for (float v : s.data) {
            spikes += (int) v;
        }
        assertTrue(spikes > 3 && spikes < s.data.length - 3, "the test needs some spikes, got " + spikes);
        float[] hard = s.data.clone();
        Function<double[], double[]> smooth = in -> {
            double[] out = new double[in.length], v = new double[B * N];
            for (int t = 0; t < T; t++) {
                for (int k = 0; k < B * N; k++) {
                    int idx = t * B * N + k;
                    double h = v[k] - v[k] / tau + in[idx];
                    out[idx] = Math.atan(Math.PI / 2 * alpha * (h - 1)) / Math.PI + 0.5;
                    v[k] = h * (1 - hard[idx]);
                }
            }
            return out;
        };
        SeqTensor dx = lif.backward(new SeqTensor(T, B, N, floats(r)));
        assertClose(gradient(smooth, x, r), dx.data, 1e-3, "dx");
    }

    @Test
    void lifForwardByHand() {
        // tau = 2 steps: H = V/2 + X, threshold 1, hard reset to 0
        Lif lif = new Lif(2.0, 1.0, 5);
        float[] x = {0.6f, 0.6f, 0.2f, 1.0f};
        SeqTensor s = lif.forward(new SeqTensor(4, 1, 1, x), true);
        // H: 0.6, 0.9, 0.65, 1.325 -> spikes at t = 3 only
        assertEquals(0f, s.data[0]);
        assertEquals(0f, s.data[1]);
        assertEquals(0f, s.data[2]);
        assertEquals(1f, s.data[3]);
        assertEquals(0.65f, lif.lastMembrane().data[2], 1e-6);
    }

    static double[] readoutLoss(double[] x, int[] valid, int[] labels, int C, double tau) {
        // returns a one-element "output": the loss
        int rows = x.length / C;
        int steps = rows / B;
        double[] v = new double[B * C], acc = new double[B * C];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < B; b++) {
                double max = -1e300;
                double[] vv = new double[C];
                for (int c = 0; c < C; c++) {
                    int k = b * C + c;
                    v[k] = v[k] - v[k] / tau + x[(t * B + b) * C + c];
                    vv[c] = v[k];
                    max = Math.max(max, v[k]);
                }
                if (t >= valid[b]) {
                    continue;
                }
                double z = 0;
                for (int c = 0; c < C; c++) {
                    z += Math.exp(vv[c] - max);
                }
                for (int c = 0; c < C; c++) {
                    acc[b * C + c] += Math.exp(vv[c] - max) / z;
                }
            }
        }
        double loss = 0;
        for (int b = 0; b < B; b++) {
            double z = 0;
            for (int c = 0; c < C; c++) {
                z += Math.exp(acc[b * C + c]);
            }
            loss += -(acc[b * C + labels[b]] - Math.log(z));
        }
        return new double[]{loss / B};
    }

    @Test
    void readoutAndSumSoftmaxCrossEntropy() {
        int C = 5;
        double tau = 1.005;
        double[] x = random(T * B * C, 5, -2, 2);
        int[] valid = {6, 4, 5}, labels = {2, 0, 4};
        IntegratorReadout ro = new IntegratorReadout(tau);
        SeqTensor v = ro.forward(new SeqTensor(T, B, C, floats(x)), true);
        SumSoftmaxCrossEntropy.Result res = SumSoftmaxCrossEntropy.evaluate(v, valid, labels);
        assertEquals(readoutLoss(x, valid, labels, C, tau)[0], res.loss(), 1e-5);
        SeqTensor dx = ro.backward(res.gradV());
        assertClose(gradient(in -> readoutLoss(in, valid, labels, C, tau), x, new double[]{1}), dx.data, 1e-3, "dx");
    }

    @Test
    void denseLayer() {
        int in = 6, out = 3;
        Dense d = new Dense("d", in, out, 7);
        double[] w = doubles(d.weight().value);
        double[] x = random(T * B * in, 8, -1, 1), r = random(T * B * out, 9, -1, 1);
        for (int k = 0; k < x.length; k += 3) {
            x[k] = 0;   // some zeros: the spike-driven path must skip them without changing anything
        }
        Function<double[][], double[]> ref = a -> {
            double[] y = new double[T * B * out];
            for (int row = 0; row < T * B; row++) {
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        y[row * out + o] += a[0][o * in + i] * a[1][row * in + i];
                    }
                }
            }
            return y;
        };
        SeqTensor y = d.forward(new SeqTensor(T, B, in, floats(x)), true);
        assertClose(ref.apply(new double[][]{w, x}), y.data, 1e-5, "y");
        SeqTensor dx = d.backward(new SeqTensor(T, B, out, floats(r)));
        assertClose(gradient(v -> ref.apply(new double[][]{w, v}), x, r), dx.data, 1e-3, "dx");
        assertClose(gradient(v -> ref.apply(new double[][]{v, x}), w, r), d.weight().grad, 1e-3, "dW");
    }

    @Test
    void dropoutMaskIsSharedOverTimeAndScaled() {
        SequenceDropout d = new SequenceDropout(0.4);
        d.setSeed(17);
        float[] ones = new float[T * B * N];
        java.util.Arrays.fill(ones, 1f);
        SeqTensor y = d.forward(new SeqTensor(T, B, N, ones), true);
        int dropped = 0;
        for (int k = 0; k < B * N; k++) {
            float first = y.data[k];
            assertTrue(first == 0f || Math.abs(first - 1 / 0.6f) < 1e-6);
            if (first == 0f) {
                dropped++;
            }
            for (int t = 1; t < T; t++) {
                assertEquals(first, y.data[t * B * N + k]);
            }
        }
        assertTrue(dropped > 0 && dropped < B * N);
        SeqTensor g = d.backward(new SeqTensor(T, B, N, ones));
        assertTrue(java.util.Arrays.equals(y.data, g.data));
        assertTrue(d.forward(new SeqTensor(T, B, N, ones), false).data == ones, "identity in evaluation");
    }
}
