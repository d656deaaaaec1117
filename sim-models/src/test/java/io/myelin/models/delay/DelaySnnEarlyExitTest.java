package io.myelin.models.delay;

import io.myelin.core.data.BinnedSample;
import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.engine.Engine;
import io.myelin.core.engine.Engines;
import io.myelin.core.inference.ConfidenceTable;
import io.myelin.core.inference.Decision;
import io.myelin.core.inference.Decoding;
import io.myelin.core.inference.DynamicConfidence;
import io.myelin.core.inference.FullLength;
import io.myelin.core.inference.PolicyRun;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.testing.RepositoryFiles;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delay SNN under Dynamic Confidence: the step-by-step path against the model's batched forward pass, the same
 * exit steps and predictions in the model and in both engines, work that stops with the sample, the counts up to exit
 * against the engine's own spike record, and the streaming classifier.
 */
class DelaySnnEarlyExitTest {
    @TempDir
    static Path run;
    static DelaySnn model;
    static BinnedSet test;

    @BeforeAll
    static void train() {
        new Trainer(TestRuns.small("learned", 32, 25, 2, 25, 2, 2), TestRuns.sdMini(), run, null).train();
        model = RunStore.of(run).loadModel(DelaySnn.class);
        test = new BinnedSet(Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5")), new FrameBinner(10, 5, 0));
    }

    /**
     * A threshold that stops about half the samples before their last step: between the two middle values of the
     * samples' highest confidence before their last step, from the test file's own full-length table.
     */
    static DynamicConfidence midPolicy(Decoding d, double temperature) {
        ConfidenceTable t = DelaySnnEarlyExit.run(model, test, new FullLength(d, temperature), true, 2).table();
        double[] peak = new double[t.samples()];
        for (int i = 0; i < peak.length; i++) {
            for (int s = 1; s < t.length(i); s++) {
                peak[i] = Math.max(peak[i], t.confidence(i, s));
            }
        }
        java.util.Arrays.sort(peak);
        int m = peak.length / 2;
        return new DynamicConfidence((peak[m - 1] + peak[m]) / 2, temperature, d);
    }

    @Test
    void stepByStepRunIsTheBatchedForwardPass() {
        int[] idx = {0, 1, 2, 3, 4};
        BinnedSet.Batch b = test.batch(idx, model.evaluationPadding());
        SeqTensor v = model.forward(b.x(), b.lengths(), false, 0);
        DelaySnnStepper stepper = new DelaySnnStepper(model);
        float[] out = new float[model.classes()];
        for (int bb = 0; bb < idx.length; bb++) {
            BinnedSample s = test.sample(bb);
            DelaySnnStepper.Sample st = stepper.newSample();
            int e = 0;
            for (int t = 0; t < model.outputSteps(Math.max(1, s.frames())); t++) {
                int e1 = e;
                while (e1 < s.eventFrame().length && s.eventFrame()[e1] == t) {
                    e1++;
                }
                st.step(s.eventChannel(), s.eventCount(), e, e1, out, 0);
                e = e1;
                for (int c = 0; c < model.classes(); c++) {
                    float ref = v.data[v.index(t, bb, c)];
                    assertEquals(ref, out[c], 1e-5 * Math.max(1, Math.abs(ref)), "sample " + bb + " step " + t);
                }
            }
        }
        // softmax-sum at full length is the model's own decoding: the same predictions as its evaluation
        Evaluation.Result r = Evaluation.run(model, test, 16);
        DelaySnnEarlyExit.Result full = DelaySnnEarlyExit.run(model, test, new FullLength(Decoding.SOFTMAX_SUM, 2), false, 3);
        assertArrayEquals(r.predictions(), full.predictions());
        assertArrayEquals(full.lengths(), full.exitSteps(), "full length runs every sample to its end");
    }

    @Test
    void modelAndBothEnginesExitAtTheSameStepsWithTheSamePredictions() {
        for (Decoding d : Decoding.values()) {
            DynamicConfidence dc = midPolicy(d, d == Decoding.SUM ? 30 : 2);
            DelaySnnEarlyExit.Result m = DelaySnnEarlyExit.run(model, test, dc, false, 2);
            int early = 0;
            for (int i = 0; i < test.size(); i++) {
                early += m.exitSteps()[i] < m.lengths()[i] ? 1 : 0;
            }
            assertTrue(early > 0 && early < test.size(), d + ": some samples stop early, some run out (" + early + ")");
            assertArrayEquals(m.exitSteps(), DelaySnnEarlyExit.run(model, test, dc, false, 1).exitSteps(),
                    "independent of the thread count");
            for (String engine : Engines.names()) {
                EngineEarlyExit.Result e = EngineEarlyExit.run(model, test, dc, engine);
                assertArrayEquals(m.exitSteps(), e.exitSteps(), d + " on the " + engine + " engine: exit steps");
                assertArrayEquals(m.predictions(), e.predictions(), d + " on the " + engine + " engine: predictions");
                long steps = 0;
                for (int x : e.exitSteps()) {
                    steps += x + model.synapses().size();
                }
                assertEquals(steps, e.engineSteps(), "the engine ran exactly to each exit");
            }
        }
    }

    @Test
    void aStoppedSampleStopsCosting() {
        DynamicConfidence dc = midPolicy(Decoding.SOFTMAX_SUM, 2);
        DelaySnnEarlyExit.Result m = DelaySnnEarlyExit.run(model, test, dc, false, 2);
        DelaySnnEarlyExit.Result f = DelaySnnEarlyExit.run(model, test, new FullLength(Decoding.SOFTMAX_SUM, 2), false, 2);
        long exitSteps = 0;
        for (int x : m.exitSteps()) {
            exitSteps += x;
        }
        var hidden1 = m.activity().layers().get(0);
        assertEquals(exitSteps * hidden1.neurons(), hidden1.neuronUpdates(), "one update per neuron per step run");
        for (int k = 0; k < m.activity().layers().size(); k++) {
            var a = m.activity().layers().get(k);
            var b = f.activity().layers().get(k);
            assertTrue(a.acs() + a.macs() <= b.acs() + b.macs() && a.spikes() <= b.spikes(), a.name());
            assertEquals(b.annMacs(), a.annMacs(), "the ANN baseline is the full length");
        }
    }

    @Test
    void countsUpToExitMatchTheEnginesOwnSpikeRecord() {
        DynamicConfidence dc = midPolicy(Decoding.SOFTMAX_SUM, 2);
        EngineExport export = new EngineExport(model);
        DelaySnnStepper stepper = new DelaySnnStepper(model);
        int L = model.synapses().size(), classes = model.classes();
        int[] all = java.util.stream.IntStream.range(0, classes).toArray();
        int checked = 0;
        for (int i = 0; i < test.size(); i++) {
            BinnedSample s = test.sample(i);
            int frames = Math.max(1, s.frames());
            PolicyRun run = dc.start(classes);
            DelaySnnStepper.Sample st = stepper.newSample();
            float[] v = new float[classes];
            int e = 0;
            for (int t = 0; t < model.outputSteps(frames); t++) {
                int e1 = e;
                while (e1 < s.eventFrame().length && s.eventFrame()[e1] == t) {
                    e1++;
                }
                st.step(s.eventChannel(), s.eventCount(), e, e1, v, 0);
                e = e1;
                if (run.offer(v, 0)) {
                    break;
                }
            }
            int exit = run.steps();
            try (Engine sim = Engines.create(export.specFor(EngineExport.inputOf(s, test.channels(), 10.0), frames),
                    Engines.EVENT)) {
                SpikeMonitor h1 = sim.recordSpikes("hidden1"), h2 = sim.recordSpikes("hidden2");
                StateMonitor readout = sim.recordState(EngineExport.READOUT, all, 1);
                PolicyRun er = dc.start(classes);
                for (int k = 0; k < model.outputSteps(frames) + L; k++) {
                    sim.step();
                    if (k >= L) {
                        readout.lastV(v);
                        if (er.offer(v, 0)) {
                            break;
                        }
                    }
                }
                assertEquals(exit, er.steps());
                assertEquals(exit + L, sim.currentStep());
                OperationCounts oc = sim.operationCounts();
                // the engine's counters are its spike record up to the exit
                assertEquals(h1.count(), oc.spikesByGroup().get("hidden1"));
                assertEquals(h2.count(), oc.spikesByGroup().get("hidden2"));
                assertEquals((long) h1.count() * model.synapses().get(1).out(), oc.synapticEventsByProjection().get("hidden2.syn"));
                assertEquals((long) h2.count() * classes, oc.synapticEventsByProjection().get("readout.syn"));
                // the model's counts up to its exit (model steps 0 .. exit-1 of every layer) are the engine's spikes of
                // layer k in engine steps k .. exit-1+k (model step tau of layer k is engine step tau + k)
                assertEquals(within(h1, 1, exit), st.spikes(0), "hidden1 of sample " + i);
                assertEquals(within(h2, 2, exit), st.spikes(1), "hidden2 of sample " + i);
                assertEquals(st.spikes(0), st.inputEvents(1), "hidden1's spikes are hidden2's input events");
                checked += exit < model.outputSteps(frames) ? 1 : 0;
            }
        }
        assertTrue(checked > 0, "some samples stopped early");
    }

    private static long within(SpikeMonitor m, int shift, int exit) {
        long n = 0;
        for (long step : m.steps()) {
            n += step >= shift && step <= exit - 1 + shift ? 1 : 0;
        }
        return n;
    }

    @Test
    void aStreamDecidesAsTheEvaluationDoes() {
        DynamicConfidence dc = midPolicy(Decoding.SOFTMAX_SUM, 2);
        DelaySnnEarlyExit.Result m = DelaySnnEarlyExit.run(model, test, dc, false, 2);
        DelaySnnStream stream = new DelaySnnStream(model, dc);
        for (int i = 0; i < test.size(); i++) {
            stream.reset();
            float[] dense = test.sample(i).dense();
            int frames = test.sample(i).frames();
            Decision d = stream.decision();
            for (int t = 0; t < frames && !d.decided(); t++) {
                d = stream.push(java.util.Arrays.copyOfRange(dense, t * test.channels(), (t + 1) * test.channels()));
            }
            d = stream.end();
            assertTrue(d.decided());
            assertEquals(m.exitSteps()[i], d.step(), "sample " + i);
            assertEquals(m.predictions()[i], d.label(), "sample " + i);
            if (d.step() < m.lengths()[i]) {
                assertTrue(d.early(), "stopped before the end: the policy fired");
            }
        }
    }
}
