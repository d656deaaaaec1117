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
        SeqTensor[] xr = batch(new Random(in * 31L + out), in, out, T);
        SeqTensor xs = xr[0], rs = xr[1];
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

    /**
     * The sums in cache tiles (column blocks, groups of inputs, one sample's gradient rows at a time, taps in pairs)
     * against the formula's own order written out: per synapse and window tap, one chain of fused multiply-adds from
     * zero over the input's events in (sample, time) order. Layers with several column blocks and a narrower last
     * one, several groups of inputs, an odd number of taps, wide and narrow windows, one and two threads.
     */
    @ParameterizedTest(name = "{0} -> {1}, {2} taps, SIG {3}, {4} samples, threads {5}")
    @CsvSource({"90, 150, 25, 12.0, 9, 2", "90, 150, 31, 15.27, 5, 1", "45, 64, 31, 2.5, 6, 2", "130, 20, 25, 0.5, 4, 1",
            "70, 200, 31, 1.1, 3, 2"})
    void tiledSumsAreTheFormulasFusedMultiplyAddChains(int in, int out, int taps, double sig, int batch,
                                                          int threads) {
        int steps = 21, T2 = steps + (taps - 1) / 2;
        RandomDclsCase c = RandomDclsCase.of(in, out, taps, sig, steps, batch, 0.15, in * 7L + out * 3L + taps);
        DclsKernel k = c.kernel();
        SeqTensor xs = c.x(), rs = c.gradOut();
        float[] x = xs.data, r = rs.data;
        float[] want = new float[in * out * k.maxW];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                int s = i * out + o;
                for (int j = 0; j < k.len[s]; j++) {
                    int n = k.lo[s] + j;
                    float a = 0f;
                    for (int b = 0; b < batch; b++) {
                        for (int t = 0; t < steps; t++) {
                            float v = x[(t * batch + b) * in + i];
                            int t2 = t + taps - 1 - n;
                            if (v != 0f && t2 < T2) {
                                a = Math.fma(r[(t2 * batch + b) * out + o], v, a);
                            }
                        }
                    }
                    want[s * k.maxW + j] = a;
                }
            }
        }
        float[] got = new float[want.length];
        try (Workers workers = new Workers(threads)) {
            new BlockedKernelGradient().kernelGradient(k, DclsEventLayout.of(xs, taps, workers), rs, got, workers);
        }
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, "all zero: the case tests nothing");
        assertArrayEquals(want, got);
    }

    /**
     * One layer keeps its padded gradient rows from batch to batch: after a longer batch, the rows of a shorter one
     * hold the longer batch's values in the lanes past the outputs (a column block wider than the last outputs), and
     * the gradients must still be those of a fresh layer, bit for bit.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"29, 20", "17, 70"})
    void aLayerReusingItsRowsAfterALongerBatchGivesAFreshLayersGradients(int in, int out) {
        Random rnd = new Random(in * 13L + out);
        SeqTensor[] longer = batch(rnd, in, out, T + 9), shorter = batch(rnd, in, out, T - 11);
        float[][] fresh = run(in, out, 1.1, KernelGradientPath.BLOCKED, shorter[0], shorter[1], 1);
        try (Workers w = new Workers(1)) {
            DclsDelayedDense l = new DclsDelayedDense("l", in, out, TD, DclsDelayedDense.DelayMode.LEARNED, 3, 5);
            l.setWorkers(w);
            l.setSig(1.1);
            l.setPathChooser(DclsPathChooser.byCost().with(KernelGradientPath.BLOCKED));
            l.forward(longer[0], true);
            l.backward(longer[1]);
            java.util.Arrays.fill(l.weight().grad, 0f);
            java.util.Arrays.fill(l.position().grad, 0f);
            l.forward(shorter[0], true);
            l.backward(shorter[1]);
            assertArrayEquals(fresh[0], l.weight().grad, "weight gradient");
            assertArrayEquals(fresh[1], l.position().grad, "position gradient");
        }
    }

    /** Input spikes over {@code steps} steps and an output gradient over the steps the layer gives. */
    private static SeqTensor[] batch(Random rnd, int in, int out, int steps) {
        float[] x = new float[steps * B * in];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < 0.1 ? 1f + rnd.nextInt(3) : 0f;
        }
        int T2 = steps + (TD - 1) / 2;
        float[] r = new float[T2 * B * out];
        for (int k = 0; k < r.length; k++) {
            r[k] = (float) rnd.nextGaussian();
        }
        return new SeqTensor[]{new SeqTensor(steps, B, in, x), new SeqTensor(T2, B, out, r)};
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

    /**
     * The spoken-digits recipe's layers (140 or 256 inputs, 256 or 20 outputs, 25 taps, 64- or 32-float column
     * blocks) split into at least {@link BlockedKernelGradient#MIN_UNITS} (group, column block) units, in groups no
     * larger than a cache tile; a layer with fewer inputs than that has one input per group.
     */
    @ParameterizedTest(name = "{0} inputs, {2}-float columns x {3}")
    @CsvSource({"140, 25, 64, 4", "256, 25, 64, 4", "256, 25, 32, 1", "512, 31, 64, 8", "7, 25, 64, 1", "1, 3, 16, 1"})
    void groupsLeaveEnoughUnitsForTheThreads(int inputs, int taps, int cw, int blocks) {
        int g = BlockedKernelGradient.groupSize(inputs, taps, cw, blocks);
        int groups = (inputs + g - 1) / g;
        assertTrue(g >= 1 && g <= inputs, "group size " + g);
        assertTrue(g <= Math.max(1, BlockedKernelGradient.GRADIENT_TILE_FLOATS / (taps * cw)), "a group fits a tile");
        assertTrue(groups * blocks >= Math.min(BlockedKernelGradient.MIN_UNITS, inputs * blocks),
                groups + " groups x " + blocks + " blocks");
    }
}
