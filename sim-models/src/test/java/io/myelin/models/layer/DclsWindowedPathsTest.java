package io.myelin.models.layer;

import io.myelin.models.layer.dcls.DclsPathChooser;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The windowed forward pass and input gradient (Vector API) against the spike-driven paths, on a layer large enough
 * for whole vectors, groups of four synapses and their remainders, at wide, annealing and floor windows.
 */
class DclsWindowedPathsTest {
    static final int I = 37, O = 22, TD = 25, T = 41, B = 3;

    @Test
    void theBuildRunsTheTestsOnTheVectorApi() {
        assertTrue(WindowOps.vectorized(), "surefire starts the JVM with --add-modules jdk.incubator.vector");
        assertEquals(0, WindowOps.padded(33) % WindowOps.lanes());
        assertTrue(WindowOps.padded(33) >= 33 && WindowOps.padded(33) < 33 + WindowOps.lanes());
    }

    @ParameterizedTest(name = "sig {0}, truncation {1}, threads {2}")
    @CsvSource({"12.0, 3, 1", "2.5, 3, 2", "1.1, 3, 1", "0.23, 3, 2", "0.23, 0, 1"})
    void windowedPathsEqualTheSpikeDrivenOnes(double sig, double trunc, int threads) {
        Random rnd = new Random(17);
        float[] x = new float[T * B * I];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < 0.08 ? 1f + rnd.nextInt(4) : 0f;
        }
        for (int t = 0; t < T; t++) {   // one silent input in sample 1
            x[(t * B + 1) * I + 5] = 0f;
        }
        float[] r = new float[(T + (TD - 1) / 2) * B * O];
        for (int k = 0; k < r.length; k++) {
            r[k] = (float) rnd.nextGaussian();
        }
        float[] keep = new float[B * I];
        for (int k = 0; k < keep.length; k++) {
            keep[k] = rnd.nextDouble() < 0.6 ? 1 / 0.6f : 0f;
        }
        SeqTensor xs = new SeqTensor(T, B, I, x);
        SeqTensor rs = new SeqTensor(T + (TD - 1) / 2, B, O, r);
        try (Workers w = new Workers(threads)) {
            float[][] spike = run(sig, trunc, false, xs, rs, keep, w);
            float[][] windowed = run(sig, trunc, true, xs, rs, keep, w);
            String[] what = {"output", "input gradient", "weight gradient", "position gradient", "eval output"};
            for (int a = 0; a < what.length; a++) {
                assertEquals(spike[a].length, windowed[a].length);
                double scale = 0;
                for (float v : spike[a]) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertTrue(scale > 0, what[a] + " is all zero: the case tests nothing");
                for (int k = 0; k < spike[a].length; k++) {
                    assertEquals(spike[a][k], windowed[a][k], 2e-6 * scale, what[a] + " " + k);
                }
            }
            // dropped (sample, input) pairs get no gradient at all
            for (int t = 0; t < T; t++) {
                for (int k = 0; k < B * I; k++) {
                    if (keep[k] == 0f) {
                        assertEquals(0f, windowed[1][t * B * I + k], 0f);
                    }
                }
            }
        }
    }

    private static float[][] run(double sig, double trunc, boolean windowed, SeqTensor x, SeqTensor r, float[] keep,
                                 Workers w) {
        DclsDelayedDense l = new DclsDelayedDense("l", I, O, TD, DclsDelayedDense.DelayMode.LEARNED, trunc, 3);
        l.setWorkers(w);
        l.setSig(sig);
        l.setPathChooser(DclsPathChooser.byCost(windowed));
        l.setInputGradientMask(keep);
        float[] y = l.forward(x, true).data.clone();
        float[] dx = l.backward(r).data.clone();
        float[] dxMasked = new float[dx.length];
        for (int t = 0; t < T; t++) {
            for (int k = 0; k < B * I; k++) {
                // the spike-driven path leaves dropped entries to the caller's mask as well
                dxMasked[t * B * I + k] = keep[k] != 0f ? dx[t * B * I + k] : 0f;
            }
        }
        float[] eval = l.forward(x, false).data.clone();
        return new float[][]{y, windowed ? dx : dxMasked, l.weight().grad.clone(), l.position().grad.clone(), eval};
    }
}
