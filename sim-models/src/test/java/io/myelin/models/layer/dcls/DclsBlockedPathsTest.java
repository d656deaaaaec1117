package io.myelin.models.layer.dcls;

import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The register-blocked training paths give exactly the bits of the windowed paths they replace (the same terms in
 * the same order, only zero terms skipped): the blocked and the event-driven forward passes and the blocked input
 * gradient against the windowed ones, on layers with more outputs than a vector and a remainder, more inputs and
 * outputs than one cache block, spikes and binned counts, wide to floor windows, with and without a dropout mask, on
 * one and two threads. The input's event layout
 * built by the workers equals the serial one. (Both paths are checked against the double-precision formula, with
 * every other path, in {@link DclsPathsTest}.)
 */
class DclsBlockedPathsTest {
    static final int TD = 25;

    /**
     * The last cases but two give the event-driven forward pass several groups of samples, column blocks (the last
     * narrower) and blocks of inputs (its cache tiles); the last two have windows between the wide and the floor sigma,
     * clipped at the first and last taps, whose input gradient runs over each output's union window.
     */
    @ParameterizedTest(name = "{0} -> {1}, SIG {2}, truncation {3}, density {4}, threads {5}, {6} samples")
    @CsvSource({"37, 22, 12.0, 3, 0.08, 1, 3", "37, 22, 2.5, 3, 0.3, 2, 3", "19, 41, 0.23, 3, 0.05, 2, 3",
            "64, 70, 0.23, 0, 0.1, 1, 3", "8, 140, 1.1, 3, 0.2, 2, 3", "140, 20, 0.23, 3, 0.15, 1, 3",
            "200, 230, 0.23, 3, 0.1, 2, 3", "40, 150, 12.0, 3, 0.1, 2, 30", "300, 260, 0.5, 3, 0.05, 1, 25",
            "37, 22, 5.0, 3, 0.1, 2, 3", "41, 150, 6.0, 3, 0.1, 1, 5"})
    void blockedPathsGiveTheWindowedBits(int in, int out, double sig, double trunc, double density, int threads,
                                         int batch) {
        int T = 33, B = batch;
        Random rnd = new Random(in * 13L + out);
        float[] x = new float[T * B * in];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < density ? (rnd.nextBoolean() ? 1f : 1f + rnd.nextInt(4)) : 0f;
        }
        for (int t = 0; t < T; t++) {   // a silent input in sample 1
            x[(t * B + 1) * in + in / 2] = 0f;
        }
        int T2 = T + (TD - 1) / 2;
        float[] r = new float[T2 * B * out];
        for (int k = 0; k < r.length; k++) {
            r[k] = (float) rnd.nextGaussian();
        }
        float[] keep = new float[B * in];
        for (int k = 0; k < keep.length; k++) {
            keep[k] = rnd.nextDouble() < 0.6 ? 1 / 0.6f : 0f;
        }
        SeqTensor xs = new SeqTensor(T, B, in, x), rs = new SeqTensor(T2, B, out, r);
        for (float[] mask : new float[][]{null, keep}) {
            try (Workers w = new Workers(threads)) {
                float[][] windowed = run(in, out, sig, trunc, ForwardPath.WINDOWED, InputGradientPath.WINDOWED, xs, rs,
                        mask, w);
                float[][] blocked = run(in, out, sig, trunc, ForwardPath.BLOCKED, InputGradientPath.BLOCKED, xs, rs,
                        mask, w);
                float[][] events = run(in, out, sig, trunc, ForwardPath.EVENT_TAP_ROWS, InputGradientPath.BLOCKED, xs,
                        rs, mask, w);
                float[][] tiles = run(in, out, sig, trunc, ForwardPath.EVENT_TAP_TILES, InputGradientPath.BLOCKED, xs,
                        rs, mask, w);
                float[][] windows = run(in, out, sig, trunc, ForwardPath.EVENT_WINDOWS, InputGradientPath.BLOCKED, xs,
                        rs, mask, w);
                assertTrue(maxAbs(windowed[0]) > 0 && maxAbs(windowed[1]) > 0, "the case tests nothing");
                String[] what = {"output", "input gradient", "weight gradient", "position gradient"};
                for (int a = 0; a < what.length; a++) {
                    assertArrayEquals(windowed[a], blocked[a], "blocked: " + what[a]);
                    assertArrayEquals(windowed[a], events[a], "event tap rows: " + what[a]);
                    assertArrayEquals(windowed[a], tiles[a], "event tap rows in tiles: " + what[a]);
                    assertArrayEquals(windowed[a], windows[a], "event windows: " + what[a]);
                }
            }
        }
    }

    @Test
    void theByCostChoiceForTrainingIsTheBlockedPaths() {
        DclsDelayedDense l = new DclsDelayedDense("l", 4, 3, TD, DclsDelayedDense.DelayMode.LEARNED, 3, 1);
        DclsKernel k = new DclsKernel(4, 3, TD);
        k.build(l.weight().value, l.position().value, true, 0.5, 3, Workers.serial());
        DclsEventLayout layout = DclsEventLayout.of(new SeqTensor(5, 1, 4, new float[20]), TD);
        if (WindowOps.vectorized()) {
            // three outputs are a narrow layer, and without events the blocked sums have nothing to do
            assertEquals(ForwardPath.BLOCKED, DclsPathChooser.byCost().forward(k, layout));
            assertEquals(InputGradientPath.BLOCKED, DclsPathChooser.byCost().inputGradient(k));
        }
    }

    @ParameterizedTest(name = "density {0}, threads {1}")
    @CsvSource({"0.0, 2", "0.05, 2", "0.5, 1", "0.3, 2"})
    void theWorkersBuildTheSerialEventLayout(double density, int threads) {
        int T = 17, B = 5, I = 23;
        Random rnd = new Random(7);
        float[] x = new float[T * B * I];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < density ? 1f + rnd.nextInt(3) : 0f;
        }
        SeqTensor xs = new SeqTensor(T, B, I, x);
        DclsEventLayout serial = serialLayout(xs), parallel;
        try (Workers w = new Workers(threads)) {
            parallel = DclsEventLayout.of(xs, TD, w);
        }
        SparseEvents a = serial.events, b = parallel.events;
        assertEquals(a.count, b.count);
        assertArrayEquals(a.step, b.step);
        assertArrayEquals(a.sample, b.sample);
        assertArrayEquals(a.feature, b.feature);
        assertArrayEquals(a.value, b.value);
        assertArrayEquals(serial.bySample, parallel.bySample);
        assertArrayEquals(serial.sampleStart, parallel.sampleStart);
        assertArrayEquals(serial.inputStart, parallel.inputStart);
        assertArrayEquals(serial.inputRow, parallel.inputRow);
        assertArrayEquals(serial.inputValue, parallel.inputValue);
        for (int r = 0; r < T * B; r++) {   // every row's range holds exactly that row's events
            for (int e = b.rowStart[r]; e < b.rowStart[r + 1]; e++) {
                assertEquals(r, b.step[e] * B + b.sample[e]);
            }
        }
    }

    /** The layout as the code before the workers built it: stable counting sorts over the events in storage order. */
    static DclsEventLayout serialLayout(SeqTensor x) {
        DclsEventLayout l = DclsEventLayout.of(x, TD);
        SparseEvents ev = SparseEvents.of(x);
        int B = x.batch, I = x.features;
        int[] order = new int[ev.count];
        int q = 0;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < I; i++) {
                for (int e = 0; e < ev.count; e++) {
                    if (ev.sample[e] == b && ev.feature[e] == i) {
                        order[q++] = e;
                    }
                }
            }
        }
        assertArrayEquals(order, l.bySample, "by sample: (sample, input, time)");
        int[] rows = new int[ev.count];
        q = 0;
        for (int i = 0; i < I; i++) {
            for (int e : order) {
                if (ev.feature[e] == i) {
                    rows[q++] = ev.sample[e] * l.pitch + ev.step[e];
                }
            }
        }
        assertArrayEquals(rows, l.inputRow, "by input: (input, sample, time)");
        return l;
    }

    @Test
    void inputGradientTermsRebuiltAcrossSigmasMatchAFreshLayer() {
        // one layer through the union terms (SIG 6), its own terms (0.23) and the union again: each pass's input
        // gradient equals a fresh layer's at that SIG (the rebuilt terms never write into arrays another input reads)
        int in = 41, out = 150, T = 33, B = 3, T2 = T + (TD - 1) / 2;
        Random rnd = new Random(5);
        float[] x = new float[T * B * in], r = new float[T2 * B * out];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < 0.1 ? 1f : 0f;
        }
        for (int k = 0; k < r.length; k++) {
            r[k] = (float) rnd.nextGaussian();
        }
        SeqTensor xs = new SeqTensor(T, B, in, x), rs = new SeqTensor(T2, B, out, r);
        try (Workers w = new Workers(2)) {
            DclsDelayedDense l = new DclsDelayedDense("l", in, out, TD, DclsDelayedDense.DelayMode.LEARNED, 3, 11);
            l.setWorkers(w);
            l.setPathChooser(DclsPathChooser.byCost().with(InputGradientPath.BLOCKED));
            for (double sig : new double[]{6.0, 0.23, 6.0}) {
                l.setSig(sig);
                l.forward(xs, true);
                float[] dx = l.backward(rs).data.clone();
                float[][] fresh = run(in, out, sig, 3, ForwardPath.BLOCKED, InputGradientPath.BLOCKED, xs, rs, null, w);
                assertArrayEquals(fresh[1], dx, "input gradient at SIG " + sig);
            }
        }
    }

    static float[][] run(int in, int out, double sig, double trunc, ForwardPath forward, InputGradientPath input,
                         SeqTensor x, SeqTensor r, float[] keep, Workers w) {
        DclsDelayedDense l = new DclsDelayedDense("l", in, out, TD, DclsDelayedDense.DelayMode.LEARNED, trunc, 11);
        l.setWorkers(w);
        l.setSig(sig);
        l.setPathChooser(DclsPathChooser.byCost().with(forward).with(input));
        l.setInputGradientMask(keep);
        float[] y = l.forward(x, true).data.clone();
        float[] dx = l.backward(r).data.clone();
        return new float[][]{y, dx, l.weight().grad.clone(), l.position().grad.clone()};
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
