package io.myelin.core.inference;

import io.myelin.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline sweep, front, choice, curves and oracles on a confidence table worked out by hand. */
class ThresholdCalibrationTest {

    /**
     * Four samples (lengths 3, 2, 4, 3; mean 3):
     * <pre>
     *  s0 label 0: conf .3 .8 .9      pred 1 0 0      (correct from step 2)
     *  s1 label 1: conf .5 .6         pred 1 1        (always correct)
     *  s2 label 0: conf .7 .4 .95 .97 pred 1 0 1 0    (correct at steps 2 and 4)
     *  s3 label 1: conf .2 .2 .2      pred 0 0 0      (never correct)
     * </pre>
     */
    static ConfidenceTable table() {
        return ConfidenceTable.builder(Decoding.SUM, 30, 2)
                .add(0, new double[]{.3, .8, .9}, new int[]{1, 0, 0})
                .add(1, new double[]{.5, .6}, new int[]{1, 1})
                .add(0, new double[]{.7, .4, .95, .97}, new int[]{1, 0, 1, 0})
                .add(1, new double[]{.2, .2, .2}, new int[]{0, 0, 0})
                .build();
    }

    @Test
    void exitStepsAreTheFirstStepAboveTheThreshold() {
        ConfidenceTable t = table();
        assertEquals(3.0, t.meanLength());
        assertEquals(2, t.exitStep(0, 0.5));     // .8 > .5 at step 2
        assertEquals(1, t.exitStep(1, 0.45));
        assertEquals(2, t.exitStep(1, 0.65));    // never above: its last step
        assertEquals(1, t.exitStep(2, 0.65));    // .7 at step 1, though it falls later
        assertEquals(4, t.exitStep(2, 0.96));
        assertEquals(3, t.exitStep(3, 0.2), "equal is not above");
    }

    @Test
    void theFrontAndTheChoiceAreTheHandWorkedOnes() {
        // thresholds .1 (all exit at 1: .25 at 1 step), .35/.45 (s0@2 s1@1 s2@1 s3@3: .5 at 1.75 steps),
        // .55/.65 (.5 at 2), .75 (s2@3 wrong: .5 at 2.5), .85/.925 (.5 at 2.75), .96 and 1 (.75 at 3):
        // front (1, .25) (1.75, .5) (3, .75), ties resolved to the higher threshold
        ThresholdCalibration c = ThresholdCalibration.calibrate(table(), 0);
        assertEquals(11, c.candidates(), "below the smallest, 9 midpoints of 10 distinct values, 1");
        assertEquals(0.75, c.fullAccuracy());
        List<OperatingPoint> f = c.front();
        assertEquals(3, f.size(), f.toString());
        assertArrayEquals(new double[]{0.1, 0.45, 1.0}, f.stream().mapToDouble(OperatingPoint::threshold).toArray(), 1e-12);
        assertArrayEquals(new double[]{1, 1.75, 3}, f.stream().mapToDouble(OperatingPoint::meanExitStep).toArray(), 1e-12);
        assertArrayEquals(new double[]{.25, .5, .75}, f.stream().mapToDouble(OperatingPoint::accuracy).toArray(), 1e-12);
        assertEquals(1.0, c.chosen().threshold(), "tolerance 0: only full length keeps the accuracy");
        assertEquals(0.45, ThresholdCalibration.calibrate(table(), 0.25).chosen().threshold(), 1e-12);
        assertEquals(1.75 / 3, ThresholdCalibration.calibrate(table(), 0.25).chosen().stepFraction(), 1e-12);
        assertEquals(0.1, ThresholdCalibration.calibrate(table(), 0.5).chosen().threshold(), 1e-12);
        assertThrows(InvalidInputException.class, () -> ThresholdCalibration.calibrate(table(), -0.01));
    }

    @Test
    void curvesAndOraclesAreTheHandWorkedOnes() {
        ExitCurves c = ExitCurves.of(table(), 0.45);
        // stop at t: t=1 .25 (1 step), t=2 .75 (2), t=3 .5 (2.75), t=4 .75 (3)
        assertArrayEquals(new double[]{.25, .75, .5, .75}, c.baseline().accuracy(), 1e-12);
        assertArrayEquals(new double[]{1, 2, 2.75, 3}, c.baseline().meanExitStep(), 1e-12);
        // threshold .45 exits s0@2 s1@1 s2@1 s3@3; cap 1: all at 1 (.25); cap 2: s0@2 s1@1 s2@1 s3@2 (.5 at 1.5)
        assertArrayEquals(new double[]{.25, .5, .5, .5}, c.dynamic().accuracy(), 1e-12);
        assertArrayEquals(new double[]{1, 1.5, 1.75, 1.75}, c.dynamic().meanExitStep(), 1e-12);
        Oracle first = c.oracles().get(0), stable = c.oracles().get(1);
        // earliest correct: s0@2 s1@1 s2@2, s3 never: its end, wrong
        assertEquals(new Oracle("earliest-correct", .75, 2.0, 2.0 / 3), first);
        // stably correct: s0@2 s1@1 s2@4, s3 wrong at its end
        assertEquals(new Oracle("stably-correct", .75, 2.5, 2.5 / 3), stable);
        // the oracle's cap sweep ends at the oracle
        assertEquals(first.accuracy(), c.oracle().accuracy()[3], 1e-12);
        assertEquals(first.meanExitStep(), c.oracle().meanExitStep()[3], 1e-12);
        assertEquals(OperatingPoint.of(table(), 0.45, 2).accuracy(), c.dynamic().accuracy()[1], 1e-12);
    }

    @Test
    void theOfflineSweepReproducesTheOnlinePolicyOnRandomOutputs() {
        Random rng = new Random(7);
        int classes = 4;
        ConfidenceTable.Builder b = ConfidenceTable.builder(Decoding.SOFTMAX_SUM, 0.7, classes);
        float[][][] outputs = new float[60][][];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = new float[5 + rng.nextInt(30)][classes];
            PolicyRun run = new FullLength(Decoding.SOFTMAX_SUM, 0.7).startRecording(classes);
            for (float[] o : outputs[i]) {
                for (int c = 0; c < classes; c++) {
                    o[c] = (float) (rng.nextGaussian() + (c == i % classes ? 0.4 : 0));
                }
                run.offer(o, 0);
            }
            b.add(i % classes, run);
        }
        ConfidenceTable t = b.build();
        for (double threshold : ThresholdCalibration.candidates(t)) {
            for (int i = 0; i < outputs.length; i++) {
                PolicyRun online = new DynamicConfidence(threshold, 0.7, Decoding.SOFTMAX_SUM).start(classes);
                for (float[] o : outputs[i]) {
                    if (online.offer(o, 0)) {
                        break;
                    }
                }
                assertEquals(t.exitStep(i, threshold), online.steps(), "sample " + i + " at threshold " + threshold);
                assertEquals(t.prediction(i, online.steps()), online.prediction());
            }
        }
        ThresholdCalibration c = ThresholdCalibration.calibrate(t, 0.02);
        for (int k = 1; k < c.front().size(); k++) {
            assertTrue(c.front().get(k).meanExitStep() > c.front().get(k - 1).meanExitStep());
            assertTrue(c.front().get(k).accuracy() > c.front().get(k - 1).accuracy());
        }
        assertTrue(c.chosen().accuracy() >= c.fullAccuracy() - 0.02);
    }

    @Test
    void histogramCountsExitStepsPerClass() {
        ExitHistogram h = ExitHistogram.of(new int[]{1, 10, 11, 20, 3}, new int[]{20, 20, 20, 20, 5},
                new int[]{0, 0, 1, 1, 2}, 4, List.of("a", "b", "c", "d"));
        assertEquals(2, h.binWidth());
        assertEquals(1, h.counts()[0][0]);
        assertEquals(1, h.counts()[0][4]);
        assertEquals(1, h.counts()[1][5]);
        assertEquals(1, h.counts()[1][9]);
        assertEquals(1, h.counts()[2][1]);
        assertEquals(5.5, h.meanExit()[0]);
        assertEquals(null, h.meanExit()[3], "a class without samples has no mean");
    }

    @Test
    void badTablesAreRefused() {
        assertThrows(InvalidInputException.class, () -> ConfidenceTable.builder(Decoding.SUM, 1, 2).build());
        assertThrows(InvalidInputException.class,
                () -> ConfidenceTable.builder(Decoding.SUM, 1, 2).add(0, new double[]{1.5}, new int[]{0}));
        assertThrows(InvalidInputException.class,
                () -> ConfidenceTable.builder(Decoding.SUM, 1, 2).add(0, new double[]{0.5}, new int[]{2}));
    }
}
