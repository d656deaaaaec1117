package io.myelin.models.layer.dcls;

import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way the DCLS layer computes its sums (each forward, kernel-gradient and input-gradient path, forced through
 * the chooser) against a double-precision reference written from the formula (docs/dcls.md): the input padded with
 * {@code taps - 1} zeros on the left and {@code (taps - 1) / 2} on the right, cross-correlated with the normalised,
 * truncated Gaussian kernel. The reference's gradients: the kernel's exactly (the loss {@code sum y r} is linear in K
 * and in x), the weight's through {@code dK/dW = K(W = 1)}, the position's through central differences of the kernel
 * in P. At wide, narrow and floor sigmas, with and without truncation and a dropout mask on the input gradient; one
 * and two threads must give the same bits.
 */
class DclsPathsTest {
    static final int I = 13, O = 10, TD = 25, T = 30, B = 3;
    static final int T2 = T + (TD - 1) / 2;

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (ForwardPath f : ForwardPath.values()) {
            for (KernelGradientPath k : KernelGradientPath.values()) {
                for (InputGradientPath g : InputGradientPath.values()) {
                    for (double sig : new double[]{12.0, 2.0, 0.23}) {
                        for (double trunc : new double[]{0, 3}) {
                            for (boolean mask : new boolean[]{false, true}) {
                                all.add(Arguments.of(f, k, g, sig, trunc, mask));
                            }
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    /** The kernel of one synapse over the taps, from the formula; {@code rounded}: one tap at the rounded position. */
    static double[] kernel(double w, double p, double sigma, double trunc, boolean rounded) {
        double[] k = new double[TD];
        double mu = p + Math.floor(TD / 2.0);
        if (rounded) {
            k[(int) Math.min(TD - 1, Math.max(0, Math.rint(p) + Math.floor(TD / 2.0)))] = w;
            return k;
        }
        double norm = 1e-7;
        for (int n = 0; n < TD; n++) {
            norm += Math.exp(-0.5 * ((n - mu) / sigma) * ((n - mu) / sigma));
        }
        for (int n = 0; n < TD; n++) {
            boolean kept = trunc == 0 || Math.abs(n - mu) <= trunc * sigma;
            k[n] = kept ? w * Math.exp(-0.5 * ((n - mu) / sigma) * ((n - mu) / sigma)) / norm : 0;
        }
        return k;
    }

    /** The input of (b, i) padded: {@code taps - 1} zeros, the T steps, {@code (taps - 1) / 2} zeros. */
    static double[] padded(float[] x, int b, int i) {
        double[] xp = new double[T + TD - 1 + (TD - 1) / 2];
        for (int t = 0; t < T; t++) {
            xp[TD - 1 + t] = x[(t * B + b) * I + i];
        }
        return xp;
    }

    /** The reference: output, and the gradients of {@code L = sum y r} wrt x, W and P. */
    record Reference(double[] y, double[] dx, double[] dw, double[] dp) {
        static Reference of(float[] w, float[] p, double sigma, double trunc, boolean rounded, float[] x, float[] r) {
            double[] y = new double[T2 * B * O], dx = new double[T * B * I];
            double[] dw = new double[O * I], dp = new double[O * I];
            double h = 1e-6;
            for (int o = 0; o < O; o++) {
                for (int i = 0; i < I; i++) {
                    int syn = o * I + i;
                    double[] k = kernel(w[syn], p[syn], sigma, trunc, rounded);
                    double[] unit = kernel(1, p[syn], sigma, trunc, rounded);
                    double[] up = kernel(w[syn], p[syn] + h, sigma, trunc, rounded);
                    double[] down = kernel(w[syn], p[syn] - h, sigma, trunc, rounded);
                    for (int b = 0; b < B; b++) {
                        double[] xp = padded(x, b, i);
                        double[] dxp = new double[xp.length];
                        for (int n = 0; n < TD; n++) {
                            double dk = 0;   // dL/dK[o,i,n]
                            for (int t2 = 0; t2 < T2; t2++) {
                                double g = r[(t2 * B + b) * O + o];
                                y[(t2 * B + b) * O + o] += k[n] * xp[t2 + n];
                                dk += g * xp[t2 + n];
                                dxp[t2 + n] += k[n] * g;
                            }
                            dw[syn] += dk * unit[n];
                            dp[syn] += dk * (up[n] - down[n]) / (2 * h);
                        }
                        for (int t = 0; t < T; t++) {
                            dx[(t * B + b) * I + i] += dxp[TD - 1 + t];
                        }
                    }
                }
            }
            return new Reference(y, dx, dw, dp);
        }
    }

    @ParameterizedTest(name = "{0}, {1}, {2}; SIG {3}, truncation {4}, mask {5}")
    @MethodSource("cases")
    void everyPathComputesTheFormula(ForwardPath forward, KernelGradientPath kernelGradient,
                                     InputGradientPath inputGradient, double sig, double trunc, boolean mask) {
        Random rnd = new Random(29);
        float[] x = new float[T * B * I];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < 0.2 ? 1 + rnd.nextInt(3) : 0f;   // spikes and binned counts
        }
        for (int t = 0; t < T; t++) {
            x[(t * B + 1) * I + 4] = 0f;   // a silent input in one sample
        }
        float[] r = new float[T2 * B * O];
        for (int k = 0; k < r.length; k++) {
            r[k] = (float) rnd.nextGaussian();
        }
        float[] keep = null;
        if (mask) {
            keep = new float[B * I];
            for (int k = 0; k < keep.length; k++) {
                keep[k] = rnd.nextDouble() < 0.6 ? 1 / 0.6f : 0f;
            }
        }
        float[][] one = run(forward, kernelGradient, inputGradient, sig, trunc, keep, x, r, 1);
        float[][] two = run(forward, kernelGradient, inputGradient, sig, trunc, keep, x, r, 2);
        String[] what = {"output", "input gradient", "weight gradient", "position gradient", "evaluation output"};
        for (int a = 0; a < what.length; a++) {
            assertArrayEquals(one[a], two[a], what[a] + ": two threads must give the bits of one");
        }
        DclsDelayedDense probe = layer(sig, trunc);
        float[] w = probe.weight().value, p = probe.position().value;
        double sigma = Math.abs(sig) + 0.27;
        Reference train = Reference.of(w, p, sigma, trunc, false, x, r);
        Reference eval = Reference.of(w, p, sigma, trunc, true, x, r);
        double[] dx = train.dx().clone();
        for (int k = 0; mask && k < dx.length; k++) {
            if (keep[k % (B * I)] == 0f) {
                dx[k] = 0;   // a dropped input's gradient is left zero
            }
        }
        double[][] expected = {train.y(), dx, train.dw(), train.dp(), eval.y()};
        // the position gradient is a difference of two float sums (am - a M / N) and loses digits to cancellation
        double[] tolerance = {2e-6, 2e-6, 2e-6, 2e-5, 2e-6};
        for (int a = 0; a < what.length; a++) {
            double scale = 0;
            for (double v : expected[a]) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 1e-3, what[a] + " is all but zero: the case tests nothing");
            assertEquals(expected[a].length, one[a].length, what[a]);
            for (int k = 0; k < expected[a].length; k++) {
                assertEquals(expected[a][k], one[a][k], tolerance[a] * scale, what[a] + " " + k);
            }
        }
    }

    static DclsDelayedDense layer(double sig, double trunc) {
        DclsDelayedDense l = new DclsDelayedDense("l", I, O, TD, DclsDelayedDense.DelayMode.LEARNED, trunc, 5);
        l.setSig(sig);
        return l;
    }

    /** Output, input gradient, weight and position gradients, evaluation output. */
    static float[][] run(ForwardPath forward, KernelGradientPath kernelGradient, InputGradientPath inputGradient,
                         double sig, double trunc, float[] keep, float[] x, float[] r, int threads) {
        DclsDelayedDense l = layer(sig, trunc);
        l.setPathChooser(DclsPathChooser.forced(forward, kernelGradient, inputGradient));
        l.setInputGradientMask(keep);
        try (Workers w = new Workers(threads)) {
            l.setWorkers(w);
            float[] y = l.forward(new SeqTensor(T, B, I, x), true).data;
            float[] dx = l.backward(new SeqTensor(T2, B, O, r)).data;
            float[] eval = l.forward(new SeqTensor(T, B, I, x), false).data;
            return new float[][]{y, dx, l.weight().grad.clone(), l.position().grad.clone(), eval};
        }
    }
}
