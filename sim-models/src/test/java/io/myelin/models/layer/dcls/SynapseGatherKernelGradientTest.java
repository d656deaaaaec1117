package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-synapse gathered kernel gradient ({@code SYNAPSE_GATHER}) against its order written out: per synapse and
 * window tap, the input's events in the layout's order, even-numbered ones in one float chain ({@code c += v * g}),
 * odd-numbered in another, then their sum. Outputs run in fours (three-tap windows of all four) and one at a time
 * (fours with another window, and the outputs left over); odd output counts, several threads, windows of one to five
 * taps.
 */
class SynapseGatherKernelGradientTest {
    @ParameterizedTest(name = "{0} -> {1}, {2} taps, SIG {3}, threads {4}")
    @CsvSource({"29, 41, 25, 0.23, 1", "29, 41, 25, 0.23, 3", "40, 20, 25, 0.5, 2", "17, 33, 31, 1.1, 2",
            "23, 7, 25, 2.5, 1"})
    void gatheredSumsAreTheirEvenAndOddChains(int in, int out, int taps, double sig, int threads) {
        // sigma = |SIG| + 0.27
        RandomDclsCase c = RandomDclsCase.of(in, out, taps, Math.abs(sig) + 0.27, 23, 4, 0.2, in * 13L + out + taps);
        DclsKernel k = c.kernel();
        SeqTensor xs = c.x(), rs = c.gradOut();
        float[] got = new float[in * out * k.maxW];
        float[] want = new float[got.length];
        boolean threeTapPairs = false, threeTapFours = false, mixedFours = false;
        try (Workers workers = new Workers(threads)) {
            DclsEventLayout layout = DclsEventLayout.of(xs, taps, workers);
            float[][] gS = layout.sampleMajorColumns(rs, workers);
            new SynapseGatherKernelGradient().kernelGradient(k, layout, gS, got, workers);
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    int s = i * out + o;
                    threeTapPairs |= o + 1 < out && k.len[s] == 3 && k.len[s + 1] == 3;
                    boolean fourThree = o % 4 == 0 && o + 3 < out && k.len[s] == 3 && k.len[s + 1] == 3
                            && k.len[s + 2] == 3 && k.len[s + 3] == 3;
                    threeTapFours |= fourThree;
                    mixedFours |= o % 4 == 0 && o + 3 < out && !fourThree;
                    for (int j = 0; j < k.len[s]; j++) {
                        float even = 0f, odd = 0f;
                        for (int q = layout.inputStart[i]; q < layout.inputStart[i + 1]; q++) {
                            float term = layout.inputValue[q] * gS[o][layout.inputRow[q] + taps - 1 - k.lo[s] - j];
                            if ((q - layout.inputStart[i]) % 2 == 0) {
                                even += term;
                            } else {
                                odd += term;
                            }
                        }
                        want[s * k.maxW + j] = even + odd;
                    }
                }
            }
        }
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, "all zero: the case tests nothing");
        if (sig < 0.3) {
            assertTrue(threeTapPairs, "floor sigma: neighbouring outputs with three-tap windows must occur");
            assertTrue(threeTapFours, "floor sigma: four outputs with three-tap windows must occur");
            assertTrue(mixedFours, "floor sigma: four outputs of which one window is not three taps must occur");
        }
        assertArrayEquals(want, got);
    }
}
