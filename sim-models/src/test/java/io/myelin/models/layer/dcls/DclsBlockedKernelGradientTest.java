package io.myelin.models.layer.dcls;

import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked kernel gradient on layers wider than a vector, where the outputs that use a tap often start past the
 * first vector (narrow windows), against the per-synapse sums (a different order of the same terms: within float
 * rounding), and on two threads against one (the same bits). {@link DclsPathsTest} checks every path against the
 * double-precision formula on a layer narrower than a vector.
 */
class DclsBlockedKernelGradientTest {
    static final int TD = 25, T = 37, B = 3;

    @ParameterizedTest(name = "{0} -> {1}, SIG {2}")
    @CsvSource({"29, 40, 0.23", "29, 40, 1.1", "17, 70, 2.5", "23, 33, 12.0", "40, 20, 0.5"})
    void blockedKernelGradientMatchesThePerSynapseSums(int in, int out, double sig) {
        Random rnd = new Random(in * 31L + out);
        float[] x = new float[T * B * in];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < 0.1 ? 1f + rnd.nextInt(3) : 0f;
        }
        int T2 = T + (TD - 1) / 2;
        float[] r = new float[T2 * B * out];
        for (int k = 0; k < r.length; k++) {
            r[k] = (float) rnd.nextGaussian();
        }
        SeqTensor xs = new SeqTensor(T, B, in, x), rs = new SeqTensor(T2, B, out, r);
        float[][] gather = run(in, out, sig, KernelGradientPath.SYNAPSE_GATHER, xs, rs, 1);
        float[][] blocked = run(in, out, sig, KernelGradientPath.BLOCKED, xs, rs, 1);
        float[][] blockedTwo = run(in, out, sig, KernelGradientPath.BLOCKED, xs, rs, 2);
        String[] what = {"weight gradient", "position gradient"};
        for (int a = 0; a < what.length; a++) {
            double scale = 0;
            for (float v : gather[a]) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0, what[a] + " is all zero: the case tests nothing");
            for (int k = 0; k < gather[a].length; k++) {
                assertEquals(gather[a][k], blocked[a][k], 2e-6 * scale, what[a] + " " + k);
            }
            assertArrayEquals(blocked[a], blockedTwo[a], what[a] + ": two threads must give the bits of one");
        }
    }

    static float[][] run(int in, int out, double sig, KernelGradientPath path, SeqTensor x, SeqTensor r, int threads) {
        try (Workers w = new Workers(threads)) {
            DclsDelayedDense l = new DclsDelayedDense("l", in, out, TD, DclsDelayedDense.DelayMode.LEARNED, 3, 5);
            l.setWorkers(w);
            l.setSig(sig);
            l.setPathChooser(DclsPathChooser.byCost().with(path));
            l.forward(x, true);
            l.backward(r);
            return new float[][]{l.weight().grad.clone(), l.position().grad.clone()};
        }
    }
}
