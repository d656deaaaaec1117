package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chooser's cost model on kernels and inputs built for the purpose: windowed paths with the Vector API; without
 * it, feature-major for dense input, per synapse for narrow windows and as rows for wide ones; forced choices win.
 */
class DclsPathChooserTest {
    static final int IN = 16, OUT = 8, TAPS = 25, STEPS = 40, BATCH = 2;
    /** Outputs past what the chooser counts as a narrow layer on any vector width. */
    static final int WIDE = 256;

    static DclsKernel kernel(double sigma, double truncation) {
        return kernel(sigma, truncation, IN, OUT);
    }

    static DclsKernel kernel(double sigma, double truncation, int in, int out) {
        Random rnd = new Random(3);
        float[] w = new float[out * in], p = new float[out * in];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) rnd.nextGaussian();
            p[k] = (float) (rnd.nextDouble() * 24 - 12);
        }
        DclsKernel k = new DclsKernel(in, out, TAPS);
        k.build(w, p, true, sigma, truncation, Workers.serial());
        return k;
    }

    static DclsEventLayout input(double density) {
        return input(density, STEPS, BATCH);
    }

    static DclsEventLayout input(double density, int steps, int batch) {
        return input(density, steps, batch, IN);
    }

    static DclsEventLayout input(double density, int steps, int batch, int in) {
        Random rnd = new Random(4);
        float[] x = new float[steps * batch * in];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < density ? 1f : 0f;
        }
        return DclsEventLayout.of(new SeqTensor(steps, batch, in, x), TAPS);
    }

    static DclsKernel singleTap() {
        DclsKernel k = kernel(0.5, 3);
        Random rnd = new Random(5);
        float[] w = new float[OUT * IN], p = new float[OUT * IN];
        for (int j = 0; j < w.length; j++) {
            w[j] = (float) rnd.nextGaussian();
            p[j] = (float) (rnd.nextDouble() * 24 - 12);
        }
        k.build(w, p, false, 0.5, 3, Workers.serial());
        return k;
    }

    @Test
    void withTheVectorApiTrainingRunsInRegistersAndEvaluationWindowed() {
        DclsPathChooser c = DclsPathChooser.byCost(true);
        // (events x taps) against (fired inputs x window x steps): sparse spikes or wide windows run event-driven,
        // dense input through narrow windows blocked
        assertEquals(ForwardPath.EVENT_TAP_ROWS, c.forward(kernel(12.27, 3, IN, WIDE), input(0.05)));
        assertEquals(ForwardPath.EVENT_TAP_ROWS, c.forward(kernel(0.5, 3, IN, WIDE), input(0.05)));
        assertEquals(ForwardPath.BLOCKED, c.forward(kernel(0.5, 3, IN, WIDE), input(0.9)));
        for (double sigma : new double[]{12.27, 0.5}) {
            assertEquals(InputGradientPath.BLOCKED, c.inputGradient(kernel(sigma, 3)));
        }
        assertEquals(ForwardPath.WINDOWED, c.forward(singleTap(), input(0.05)), "rounded delays: windowed");
    }

    @Test
    void narrowLayersTakeTheEventWindowsOrTheBlockedSumsNeverTheTapRows() {
        DclsPathChooser c = DclsPathChooser.byCost(true);
        int lanes = io.myelin.models.tensor.WindowOps.lanes();
        // a readout of 20 outputs at the floor sigma: sparse input through the windows, dense input blocked
        assertEquals(ForwardPath.EVENT_WINDOWS, c.forward(kernel(0.5, 3, IN, 20), input(0.05)));
        assertEquals(ForwardPath.BLOCKED, c.forward(kernel(0.5, 3, IN, 20), input(0.5)));
        // windows wider than a vector (the first epochs): the cost model of every layer
        assertEquals(ForwardPath.EVENT_TAP_ROWS, c.forward(kernel(12.27, 3, IN, 20), input(0.05)));
        // past four vectors of outputs the tap rows stay
        assertEquals(ForwardPath.EVENT_TAP_ROWS, c.forward(kernel(0.5, 3, IN, 4 * lanes + 1), input(0.05)));
        assertEquals(ForwardPath.EVENT_WINDOWS, c.forward(kernel(0.5, 3, IN, 4 * lanes), input(0.05)));
    }

    @Test
    void aKernelTableBeyondTheCachesMakesTheTapRowsDearer() {
        DclsPathChooser c = DclsPathChooser.byCost(true);
        // the same narrow windows and input statistics: 16 x 25 x 80 floats of table (more outputs than a narrow
        // layer has), and 512 x 31 x 512 (32 MB)
        for (int[] shape : new int[][]{{IN, 80, TAPS}, {512, 512, 31}}) {
            int in = shape[0], out = shape[1], taps = shape[2];
            Random rnd = new Random(6);
            DclsKernel k = RandomDclsCase.kernel(in, out, taps, 0.5, rnd);
            DclsEventLayout layout = randomInput(in, taps, 0.15, rnd);
            double ratio = (double) layout.firedPairs() * k.meanWindow() * layout.outSteps()
                    / ((double) layout.eventCount() * taps);
            // between the two weights for the large table (the small one's ratio lies above both: tap rows either way)
            assertTrue(ratio > 0.8 && ratio < (out == 512 ? 1.0 : 1.1),
                    "blocked against tap-row terms " + ratio + ": the case tests nothing");
            assertEquals(out == 512 ? ForwardPath.BLOCKED : ForwardPath.EVENT_TAP_ROWS, c.forward(k, layout),
                    in + " x " + taps + " x " + out);
        }
    }

    @Test
    void sparseInputThroughAKernelTableBeyondTheCachesTakesTheTiles() {
        // 512 x 31 x 512 (32 MB of table) with wide windows and input 2 % dense: tap rows, read in cache tiles; the
        // same layer 64 wide (4 MB) keeps the untiled rows
        DclsPathChooser c = DclsPathChooser.byCost(true);
        for (int out : new int[]{512, 64}) {
            int in = 512, taps = 31;
            Random rnd = new Random(8);
            DclsKernel k = RandomDclsCase.kernel(in, out, taps, 12.27, rnd);
            DclsEventLayout layout = randomInput(in, taps, 0.02, rnd);
            assertEquals(out == 512 ? ForwardPath.EVENT_TAP_TILES : ForwardPath.EVENT_TAP_ROWS, c.forward(k, layout),
                    in + " x " + taps + " x " + out);
        }
    }

    @Test
    void largeLayersTakeTheTransformForTheInputGradientWhereTheWindowsAreWide() {
        // SSC's hidden layers (512 x 512 x 31, 130 steps, batch 128, 3 of 4 inputs kept): the direct sums cost every
        // window tap per (sample, input, output) and step, the transform a fixed number of products per frequency
        DclsPathChooser c = DclsPathChooser.byCost(true);
        long kept = 128L * 512 * 3 / 4;
        for (double sig : new double[]{15, 2.14, 0.53, 0.23}) {
            DclsKernel k = RandomDclsCase.kernel(512, 512, 31, sig + GaussianDelayKernel.SIGMA_OFFSET, new Random(9));
            InputGradientPath expected = sig > 1 ? InputGradientPath.SPECTRAL : InputGradientPath.BLOCKED;
            assertEquals(expected, c.inputGradient(k, 130, 128, kept), "SIG " + sig + ", window " + k.meanWindow());
        }
        // layers under 128 x 128 synapses keep the direct sums (and the bits of their runs) whatever the windows
        DclsKernel small = RandomDclsCase.kernel(64, 64, 31, 15, new Random(9));
        assertEquals(InputGradientPath.BLOCKED, c.inputGradient(small, 130, 128, 128L * 64));
        assertEquals(InputGradientPath.SHIFTED_ROWS, DclsPathChooser.byCost(false).inputGradient(
                RandomDclsCase.kernel(512, 512, 31, 15, new Random(9)), 130, 128, kept), "without the Vector API");
        assertEquals(InputGradientPath.BLOCKED, c.with(InputGradientPath.BLOCKED).inputGradient(
                RandomDclsCase.kernel(512, 512, 31, 15, new Random(9)), 130, 128, kept), "forced");
    }

    /** Single spikes at this density over {@link #STEPS} x {@link #BATCH}. */
    private static DclsEventLayout randomInput(int in, int taps, double density, Random rnd) {
        float[] x = new float[STEPS * BATCH * in];
        for (int e = 0; e < x.length; e++) {
            x[e] = rnd.nextDouble() < density ? 1f : 0f;
        }
        return DclsEventLayout.of(new SeqTensor(STEPS, BATCH, in, x), taps);
    }

    @Test
    void withoutTheVectorApiTheCheaperSumRuns() {
        DclsPathChooser c = DclsPathChooser.byCost(false);
        DclsKernel wide = kernel(12.27, 3), middle = kernel(1.27, 3), narrow = kernel(0.5, 3);
        assertEquals(TAPS, wide.meanWindow(), 1e-9, "3 sigmas of 12.27 cover every tap");
        assertTrue(middle.meanWindow() > 6 && middle.meanWindow() < 12, "middle window " + middle.meanWindow());
        assertTrue(narrow.meanWindow() < 6, "narrow window " + narrow.meanWindow());
        // scattering costs taps passes per event, the feature-major sum meanWindow passes per (t, b, input): the
        // latter wins once the input is denser than meanWindow / taps, never for full windows
        assertEquals(ForwardPath.TAP_ROW_SCATTER, c.forward(wide, input(0.9)));
        assertEquals(ForwardPath.TAP_ROW_SCATTER, c.forward(wide, input(0.05)));
        assertEquals(ForwardPath.FEATURE_MAJOR, c.forward(middle, input(0.9)));
        assertEquals(ForwardPath.TAP_ROW_SCATTER, c.forward(middle, input(0.05)));
        assertEquals(ForwardPath.FEATURE_MAJOR, c.forward(narrow, input(0.9)));
        assertEquals(ForwardPath.SYNAPSE_SCATTER, c.forward(narrow, input(0.05)));
        assertEquals(InputGradientPath.SHIFTED_ROWS, c.inputGradient(wide));
    }

    @Test
    void withoutTheVectorApiAndForSmallerLayersTheKernelGradientRunsPerSynapseBelowTwelveTaps() {
        DclsKernel wide = kernel(3.27, 3), middle = kernel(1.27, 3);
        assertTrue(wide.meanWindow() > 12, "wide window " + wide.meanWindow());
        assertTrue(middle.meanWindow() < 12, "middle window " + middle.meanWindow());
        for (boolean vectorized : new boolean[]{false, true}) {
            DclsPathChooser c = DclsPathChooser.byCost(vectorized);
            // wide windows: registers with the Vector API, rows in memory without
            KernelGradientPath rows = vectorized ? KernelGradientPath.BLOCKED : KernelGradientPath.TAP_ROWS;
            for (DclsEventLayout x : new DclsEventLayout[]{input(0.05), input(0.9, 100, 16)}) {
                assertEquals(rows, c.kernelGradient(kernel(12.27, 3), x));
                assertEquals(rows, c.kernelGradient(wide, x));
                assertEquals(KernelGradientPath.SYNAPSE_GATHER, c.kernelGradient(middle, x));
                assertEquals(KernelGradientPath.SYNAPSE_GATHER, c.kernelGradient(kernel(0.5, 3), x));
            }
        }
        // one synapse short of the recipes' size
        assertEquals(KernelGradientPath.SYNAPSE_GATHER, DclsPathChooser.byCost(true).kernelGradient(
                kernel(1.27, 3, 128, 127), input(0.05, 100, 16, 128)));
    }

    @Test
    void withTheVectorApiLayersOfTheRecipesSizeRunPerSynapseOnlyUnderFourTapsAndFewEvents() {
        int in = 128, out = 128;
        DclsKernel middle = kernel(1.27, 3, in, out), fourAndMore = kernel(0.77, 3, in, out),
                narrow = kernel(0.5, 3, in, out);
        assertTrue(middle.meanWindow() < 12, "middle window " + middle.meanWindow());
        assertTrue(fourAndMore.meanWindow() >= 4 && fourAndMore.meanWindow() < 6, "window " + fourAndMore.meanWindow());
        assertTrue(narrow.meanWindow() < 4, "narrow window " + narrow.meanWindow());
        DclsEventLayout few = input(0.05, 100, 16, in), many = input(0.6, 100, 48, in);
        assertTrue(few.eventCount() < 2_500 * in && many.eventCount() >= 2_500 * in,
                few.eventCount() + " and " + many.eventCount() + " events over " + in + " inputs");
        DclsPathChooser c = DclsPathChooser.byCost(true);
        for (DclsEventLayout x : new DclsEventLayout[]{few, many}) {
            assertEquals(KernelGradientPath.BLOCKED, c.kernelGradient(kernel(12.27, 3, in, out), x));
            assertEquals(KernelGradientPath.BLOCKED, c.kernelGradient(middle, x));
            assertEquals(KernelGradientPath.BLOCKED, c.kernelGradient(fourAndMore, x));
        }
        assertEquals(KernelGradientPath.SYNAPSE_GATHER, c.kernelGradient(narrow, few));
        assertEquals(KernelGradientPath.BLOCKED, c.kernelGradient(narrow, many));
    }

    @Test
    void forcedChoicesWin() {
        DclsPathChooser c = DclsPathChooser.forced(ForwardPath.SYNAPSE_SCATTER, KernelGradientPath.TAP_ROWS,
                InputGradientPath.SHIFTED_ROWS);
        assertEquals(ForwardPath.SYNAPSE_SCATTER, c.forward(kernel(12.27, 0), input(0.9)));
        assertEquals(KernelGradientPath.TAP_ROWS, c.kernelGradient(kernel(0.5, 3), input(0.05)));
        assertEquals(InputGradientPath.SHIFTED_ROWS, c.inputGradient(kernel(0.5, 3)));
        DclsPathChooser one = DclsPathChooser.byCost(false).with(ForwardPath.WINDOWED);
        assertEquals(ForwardPath.WINDOWED, one.forward(kernel(0.5, 3), input(0.05)));
        assertEquals(InputGradientPath.SHIFTED_ROWS, one.inputGradient(kernel(0.5, 3)), "the other choices stay by cost");
    }
}
