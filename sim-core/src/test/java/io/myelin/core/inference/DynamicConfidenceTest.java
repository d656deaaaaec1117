package io.myelin.core.inference;

import io.myelin.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule on output sequences worked by hand: known confidence after every step, known exit step and prediction. */
class DynamicConfidenceTest {

    @Test
    void summedLogitsAtThePapersTemperatureAndThreshold() {
        // three classes, output (10, 0, 0) every step: sum_t = (10t, 0, 0), c_t = 1 / (1 + 2 exp(-10t / 30));
        // c_t > 0.6  <=>  exp(-t/3) < 1/3  <=>  t > 3 ln 3 = 3.30, so the run stops at step 4
        PolicyRun run = new DynamicConfidence(0.6, 30, Decoding.SUM).start(3);
        float[] o = {10, 0, 0};
        for (int t = 1; t <= 3; t++) {
            assertFalse(run.offer(o, 0), "not yet confident at step " + t);
            assertEquals(1 / (1 + 2 * Math.exp(-t / 3.0)), run.confidence(), 1e-15);
        }
        assertTrue(run.offer(o, 0));
        assertEquals(4, run.steps());
        assertEquals(0, run.prediction());
        assertEquals(1 / (1 + 2 * Math.exp(-4 / 3.0)), run.confidence(), 1e-15);
        assertThrows(IllegalStateException.class, () -> run.offer(o, 0), "a stopped run takes no more steps");
    }

    @Test
    void softmaxOfEachStepIsSummed() {
        // output (ln 3, 0): softmax = (3/4, 1/4) each step, sum_t = (3t/4, t/4); at temperature 1/2 the confidence is
        // 1 / (1 + exp(-t)): 0.731 after step 1, 0.881 after step 2 > 0.85
        PolicyRun run = new DynamicConfidence(0.85, 0.5, Decoding.SOFTMAX_SUM).start(2);
        float[] o = {(float) Math.log(3), 0};
        assertFalse(run.offer(o, 0));
        assertEquals(1 / (1 + Math.exp(-1)), run.confidence(), 1e-7);
        assertTrue(run.offer(o, 0));
        assertEquals(2, run.steps());
        assertEquals(1 / (1 + Math.exp(-2)), run.confidence(), 1e-7);
        assertEquals(0.75 * 2, run.sum()[0], 1e-7);
    }

    @Test
    void predictionFollowsTheRunningSumAndTiesGoToTheFirstClass() {
        PolicyRun run = new FullLength(Decoding.SUM, 1).startRecording(2);
        run.offer(new float[]{0, 1}, 0);    // sum (0, 1)
        run.offer(new float[]{1, 0}, 0);    // sum (1, 1): a tie
        run.offer(new float[]{2, 0}, 0);    // sum (3, 1)
        assertEquals(3, run.steps());
        assertFalse(run.stopped(), "full length never stops");
        assertEquals(0, run.prediction());
        assertEquals(1, run.predictions()[0]);
        assertEquals(0, run.predictions()[1]);
        assertEquals(0.5, run.confidences()[1], 1e-15);
        assertEquals(1 / (1 + Math.exp(-2)), run.confidences()[2], 1e-15);
    }

    @Test
    void fullLengthNeverStopsEvenAtCertainty() {
        PolicyRun run = new FullLength(Decoding.SUM, 1).start(2);
        for (int t = 0; t < 50; t++) {
            assertFalse(run.offer(new float[]{1000, 0}, 0));
        }
        assertEquals(1.0, run.confidence());
        PolicyRun one = new DynamicConfidence(1.0, 1, Decoding.SUM).start(2);
        assertFalse(one.offer(new float[]{1000, 0}, 0), "threshold 1 is full length: c never exceeds 1");
    }

    @Test
    void aChunkOfStepsStopsAtTheFiringStep() {
        // outputs of 5 steps for 2 classes, class-major stride 2; sums (1,0),(2,0),(3,0),...: temperature 1 threshold
        // 0.9 fires at the first t with 1 / (1 + e^-t) > 0.9, t = 3
        float[] chunk = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
        PolicyRun run = new DynamicConfidence(0.9, 1, Decoding.SUM).start(2);
        assertEquals(3, run.offerSteps(chunk, 0, 5, 2));
        assertTrue(run.stopped());
        assertEquals(3, run.steps());
        PolicyRun slow = new DynamicConfidence(0.995, 1, Decoding.SUM).start(2);
        assertEquals(5, slow.offerSteps(chunk, 0, 5, 2), "not fired: the whole chunk is consumed");
        assertFalse(slow.stopped());
    }

    @Test
    void aRecomputedPrefixSumReplacesTheRunningSum() {
        PolicyRun run = new DynamicConfidence(0.7, 1, Decoding.SUM).start(2);
        assertFalse(run.offerTotal(new double[]{0, 0.5}));
        assertEquals(1, run.prediction());
        assertTrue(run.offerTotal(new double[]{2, 0}), "1 / (1 + e^-2) = 0.88 > 0.7");
        assertEquals(0, run.prediction());
        assertThrows(IllegalStateException.class,
                () -> new FullLength(Decoding.SOFTMAX_SUM, 1).start(2).offerTotal(new double[]{1, 0}));
    }

    @Test
    void badSettingsAreOneClearLine() {
        for (double t : new double[]{0, -0.1, 1.0001, 2, Double.NaN}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> new DynamicConfidence(t, 30, Decoding.SUM));
            assertTrue(e.getMessage().contains("threshold must be in (0, 1]"), e.getMessage());
        }
        for (double temp : new double[]{0, -1, Double.POSITIVE_INFINITY, Double.NaN}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> new DynamicConfidence(0.6, temp, Decoding.SUM));
            assertTrue(e.getMessage().contains("temperature must be a finite number > 0"), e.getMessage());
            assertThrows(InvalidInputException.class, () -> new FullLength(Decoding.SUM, temp));
        }
        InvalidInputException d = assertThrows(InvalidInputException.class, () -> Decoding.of("mean"));
        assertEquals("decoding must be 'sum' or 'softmax-sum', got 'mean'", d.getMessage());
        assertEquals(Decoding.SOFTMAX_SUM, Decoding.of("softmax-sum"));
    }
}
