package io.myelin.models.delay;

import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.engine.EngineOptions;
import io.myelin.core.engine.Engines;
import io.myelin.core.engine.ExecutionStrategy;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Evaluation;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment path: one engine per thread holding the exported network compiled once, fed sample after sample
 * ({@link EngineExport#runner}). Its logits equal, bit for bit, those of a network compiled afresh for each sample
 * ({@link EngineExport#engineLogits}), on either engine and execution strategy, and the agreement check gives the
 * same predictions on one thread or several.
 */
class EngineRunnerTest {
    static BinnedSet miniTest(int samples) {
        return new BinnedSet(Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5")), new FrameBinner(10, 5, 0))
                .head(samples);
    }

    /** Untrained but firing: the sums, not the accuracy, are under test. */
    static DelaySnn untrained(BinnedSet test) {
        DelaySnnConfig cfg = TestRuns.small("learned", 24, 25, 1, 8, 3, 1);
        return new DelaySnn(cfg, test.channels(), test.source().classes());
    }

    @Test
    void runnerEqualsAFreshEnginePerSampleAndThreadsDoNotMatter() {
        BinnedSet test = miniTest(12);
        DelaySnn model = untrained(test);
        EngineExport export = new EngineExport(model);
        double frameMs = model.config().data().frameMs();
        for (String engine : Engines.names()) {
            // the operation counts of the last sample, step loop and layered: the event engine's membrane updates
            // follow its arrivals (the BatchNorm shift reaches every hidden neuron in every step from the second on)
            java.util.List<io.myelin.core.monitor.OperationCounts> counts = new java.util.ArrayList<>();
            for (ExecutionStrategy ex : new ExecutionStrategy[]{ExecutionStrategy.STEPWISE, ExecutionStrategy.AUTO}) {
                try (EngineExport.Runner r = export.runner(engine, EngineOptions.defaults().withExecution(ex))) {
                    assertEquals(ex == ExecutionStrategy.AUTO, r.engine().description().contains("layered"),
                            r.engine().description());
                    for (int i = 0; i < test.size(); i++) {
                        var s = test.sample(i);
                        float[] fresh = export.engineLogits(EngineExport.inputOf(s, test.channels(), frameMs),
                                Math.max(1, s.frames()), engine);
                        assertArrayEquals(fresh, r.logits(s, test.channels()), engine + " " + ex + " sample " + i);
                    }
                    assertTrue(r.engine().operationCounts().totalSynapticEvents() > 0);
                    counts.add(r.engine().operationCounts());
                }
            }
            assertEquals(counts.get(0).neuronUpdates(), counts.get(1).neuronUpdates(), engine + " membrane updates");
            assertEquals(counts.get(0).totalSynapticEvents(), counts.get(1).totalSynapticEvents(), engine + " events");
            int[] model1 = Evaluation.run(model, test, 4).predictions();
            EngineAgreement.Result one = EngineAgreement.check(model, test, model1, engine);
            try (Workers w = new Workers(3)) {
                EngineAgreement.Result three = EngineAgreement.check(model, test, model1, engine, w);
                assertArrayEquals(one.enginePredictions(), three.enginePredictions(), engine);
                // a session prepares each sample once: the second check runs the prepared inputs, a new data set anew
                try (EngineAgreement.Session session = new EngineAgreement.Session(model, engine,
                        EngineOptions.defaults(), w)) {
                    assertArrayEquals(one.enginePredictions(), session.check(test, model1).enginePredictions());
                    double prepared = session.prepareSeconds();
                    assertTrue(prepared > 0);
                    assertArrayEquals(one.enginePredictions(), session.check(test, model1).enginePredictions());
                    assertEquals(prepared, session.prepareSeconds(), "nothing prepared twice");
                    BinnedSet head = test.head(5);
                    int[] five = java.util.Arrays.copyOf(one.enginePredictions(), 5);
                    assertArrayEquals(five, session.check(head, java.util.Arrays.copyOf(model1, 5)).enginePredictions());
                }
            }
        }
    }

    @Test
    void aSamplePreparedByOneRunnerRunsAlikeInEveryOther() {
        BinnedSet test = miniTest(4);
        EngineExport export = new EngineExport(untrained(test));
        try (EngineExport.Runner clock = export.runner(Engines.CLOCK); EngineExport.Runner event = export.runner(Engines.EVENT,
                EngineOptions.defaults().withExecution(ExecutionStrategy.STEPWISE))) {
            for (int i = 0; i < test.size(); i++) {
                EngineExport.Input in = clock.prepare(test.sample(i), test.channels());
                float[] direct = event.logits(test.sample(i), test.channels());
                assertArrayEquals(direct, event.logits(in), "sample " + i);
                assertArrayEquals(direct, clock.logits(in), "sample " + i);
            }
        }
    }
}
