package io.myelin.models.train;

import io.myelin.core.InvalidInputException;
import io.myelin.models.data.DataConfig;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.models.layer.dcls.GaussianDelayKernel;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench train}'s warm-up (fixed, or until the JIT compiler has settled, within the bounds asked for) and its
 * paired thread count, and its SIG schedule.
 */
class TrainingBenchmarkTest {
    private static final Path TRAIN = RepositoryFiles.testData("sd_mini_train.h5");

    private static DelaySnnConfig config() {
        return config("learned", 1);
    }

    private static DelaySnnConfig config(String delays, int epochs) {
        return new DelaySnnConfig("bench-test", new DataConfig(10.0, 5, 0, 0),
                new DelaySnnConfig.Model(List.of(16, 16), delays, 8, 10.05, 1.0, 5.0, 0.4, 3.0, 0.23),
                new DelaySnnConfig.Training(epochs, 8, 3, 5e-3, 1e-5, 0.1, 2)).validate("test");
    }

    @Test
    void aFixedWarmUpRunsExactlyItsBatches() {
        TrainingBenchmark.Result r = TrainingBenchmark.run(config(), TRAIN, 2, 3, 3, null, false, null);
        assertEquals(3, r.warmupBatches());
        assertEquals(2, r.batches());
        assertTrue(r.warmupSeconds() > 0 && r.seconds() > 0);
    }

    @Test
    void aSettlingWarmUpStaysWithinItsBounds() {
        TrainingBenchmark.Result r = TrainingBenchmark.run(config(), TRAIN, 1, 1, 4, null, false, null);
        assertTrue(r.warmupBatches() >= 1 && r.warmupBatches() <= 4, "warm-up batches " + r.warmupBatches());
        TrainingBenchmark.Result none = TrainingBenchmark.run(config(), TRAIN, 1, 0, 0, null, false, null);
        assertEquals(0, none.warmupBatches());
    }

    @Test
    void theJitHasSettledBelowTwoPercentOfABatch() {
        assertTrue(TrainingBenchmark.settled(0, 100));
        assertTrue(TrainingBenchmark.settled(2, 100));
        assertFalse(TrainingBenchmark.settled(3, 100));
        assertFalse(TrainingBenchmark.settled(40, 1000));
    }

    @Test
    void aPairedThreadCountTimesEveryBatchBesideTheMainStep() {
        TrainingBenchmark.Result r = TrainingBenchmark.run(config(), TRAIN, 3, 1, 1, null, false, null, 1);
        TrainingBenchmark.Pair p = r.pair();
        assertNotNull(p);
        assertEquals(1, p.threads());
        assertEquals(3, p.speedups().length, "one speed-up per timed batch");
        for (double x : p.speedups()) {
            assertTrue(x > 0 && Double.isFinite(x), "speed-up " + x);
        }
        assertTrue(r.seconds() > 0 && p.seconds() > 0);
        assertEquals(3 * 8 / p.seconds(), p.samplesPerSecond(), 1e-9 * p.samplesPerSecond());
        assertEquals(p.seconds() / r.seconds(), p.speedup(r), 1e-12);
        assertTrue(p.minSpeedup() <= p.medianSpeedup());
        assertNull(TrainingBenchmark.run(config(), TRAIN, 1, 0, 0, null, false, null).pair(), "none unless asked");
    }

    @Test
    void theMedianAndSmallestSpeedupAreThoseOfTheBatches() {
        TrainingBenchmark.Pair p = new TrainingBenchmark.Pair(1, 1, 1, new double[]{1.9, 1.7, 2.1, 1.8});
        assertEquals(1.7, p.minSpeedup(), 0);
        assertEquals(1.85, p.medianSpeedup(), 1e-12);
        assertEquals(1.9, new TrainingBenchmark.Pair(1, 1, 1, new double[]{2.0, 1.9, 1.5}).medianSpeedup(), 0);
    }

    /**
     * Eight epochs anneal SIG over the first two (epochs / 4) from taps / 2 = 4 to 0.23: epoch 0 at 4, epoch 1 at
     * 4 (0.23 / 4)^(1/2), epochs 2-7 at 0.23, so three points; the run's mean weighs each by its epochs.
     */
    @Test
    void aScheduleTimesEverySigTheRunTrainsAtAndWeighsThemByEpochs() {
        TrainingBenchmark.Schedule s = TrainingBenchmark.runSchedule(config("learned", 8), TRAIN, 1, 1, 1, null);
        assertEquals(8, s.epochs());
        List<TrainingBenchmark.SchedulePoint> p = s.points();
        assertEquals(3, p.size());
        assertEquals(4.0, p.get(0).sig(), 0);
        assertEquals(4 * Math.sqrt(0.23 / 4), p.get(1).sig(), 1e-12);
        assertEquals(0.23, p.get(2).sig(), 1e-12);
        assertEquals(List.of(1, 1, 6), p.stream().map(TrainingBenchmark.SchedulePoint::epochs).toList());
        double time = 0;
        for (TrainingBenchmark.SchedulePoint q : p) {
            assertEquals(GaussianDelayKernel.sigma(q.sig()), q.result().sigma(), 1e-12, "each point held at its SIG");
            time += q.epochs() / q.result().samplesPerSecond();
        }
        assertEquals(8 / time, s.samplesPerSecond(), 1e-9 * s.samplesPerSecond());
    }

    @Test
    void aScheduleNeedsLearnedDelays() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrainingBenchmark.runSchedule(config("none", 8), TRAIN, 1, 1, 1, null));
        assertTrue(e.getMessage().contains("learned delays"), e.getMessage());
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(InvalidInputException.class,
                () -> TrainingBenchmark.run(config(), TRAIN, 1, 1, 1, null, false, null, -1));
        assertThrows(InvalidInputException.class,
                () -> TrainingBenchmark.run(config(), TRAIN, 1, 3, 2, null, false, null));
        assertThrows(InvalidInputException.class,
                () -> TrainingBenchmark.run(config(), TRAIN, 0, 1, 1, null, false, null));
    }
}
