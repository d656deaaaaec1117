package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The input gradient through the Fourier transform against the direct sums ({@code BLOCKED}, itself checked against
 * the formula in {@link DclsPathsTest}) on shapes that the formula test's small layer does not reach: inputs past one
 * block of lanes (with a narrower last block), outputs that are no whole vector, an odd transform length (no Nyquist
 * frequency), an odd batch, and the kernel spectrum built in blocks of two frequencies as well as all at once. Any
 * thread count gives the same bits.
 */
class SpectralInputGradientTest {

    @ParameterizedTest(name = "{0} x {1}, {2} taps, {3} steps, batch {4}, SIG {5}")
    @CsvSource({
            "150, 40, 31, 37, 5, 12.0",   // N = 67, odd
            "150, 40, 31, 38, 5, 0.23",   // N = 68, even
            "70, 17, 25, 21, 3, 2.0",
            "16, 16, 1, 9, 2, 0.5"})     // one tap: N = T, no correlation at all
    void agreesWithTheDirectSumsWithinFloatRounding(int in, int out, int taps, int steps, int batch, double sig) {
        DclsKernel kernel = new DclsKernel(in, out, taps);
        Random rnd = new Random(in * 31L + out);
        float[] w = new float[in * out], p = new float[in * out];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) (rnd.nextGaussian() * 0.3);
            p[k] = (float) ((rnd.nextDouble() - 0.5) * (taps - 1));
        }
        double sigma = Math.abs(sig) + GaussianDelayKernel.SIGMA_OFFSET;
        kernel.build(w, p, true, sigma, 3, Workers.serial());
        float[] x = new float[steps * batch * in];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < 0.15 ? 1f : 0f;
        }
        DclsEventLayout layout = DclsEventLayout.of(new SeqTensor(steps, batch, in, x), taps);
        int outSteps = steps + (taps - 1) / 2;
        float[] g = new float[outSteps * batch * out];
        for (int k = 0; k < g.length; k++) {
            g[k] = (float) rnd.nextGaussian();
        }
        SeqTensor gradOut = new SeqTensor(outSteps, batch, out, g);
        float[] keep = new float[batch * in];
        for (int k = 0; k < keep.length; k++) {
            keep[k] = rnd.nextDouble() < 0.75 ? 4f / 3 : 0f;
        }
        float[] direct = new BlockedInputGradient().inputGradient(kernel, layout, gradOut, keep, Workers.serial()).data;
        double scale = 0;
        for (float v : direct) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 1e-2, "the case tests nothing");
        float[] first = null;
        for (long budget : new long[]{Long.MAX_VALUE, 1}) {   // every frequency at once; two at a time
            for (int threads : new int[]{1, 3}) {
                float[] spectral;
                try (Workers workers = new Workers(threads)) {
                    SpectralInputGradient path = new SpectralInputGradient(budget);
                    spectral = path.inputGradient(kernel, layout, gradOut, keep, workers).data;
                    // a second pass reuses the scratch of the first
                    assertArrayEquals(spectral, path.inputGradient(kernel, layout, gradOut, keep, workers).data);
                }
                if (first == null) {
                    first = spectral;
                } else if (budget == Long.MAX_VALUE) {
                    assertArrayEquals(first, spectral, "threads must not change the bits");
                }
                assertEquals(direct.length, spectral.length);
                for (int k = 0; k < direct.length; k++) {
                    if (direct[k] == 0f && keep[k % (batch * in)] == 0f) {
                        assertEquals(0f, spectral[k], "a dropped input gets no gradient");
                    }
                    assertEquals(direct[k], spectral[k], 2e-6 * scale, "element " + k);
                }
            }
        }
    }
}
