package io.myelin.models.delay;

import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelActivityProvider;
import io.myelin.core.engine.Simulator;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operation counts of trained-model inference against independent counts: the engine run of the export, the data. */
class DelaySnnActivityTest {
    @Test
    void countsEqualTheEnginesSpikesAndTheDataByHand(@TempDir Path tmp) {
        DelaySnnConfig cfg = TestRuns.small("learned", 16, 25, 1, 50, 6, 2);
        new Trainer(cfg, TestRuns.sdMini(), tmp, null).train();
        ModelActivityProvider p = ModelActivityProvider.find(tmp);
        assertNotNull(p, "the trainer's provider is registered");
        int samples = 6;
        ModelActivity a = p.run(tmp, RepositoryFiles.testData("sd_mini_test.h5"), samples, 2);
        DelaySnn model = RunStore.of(tmp).loadModel(DelaySnn.class);
        var ds = Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5"));
        BinnedSet set = new BinnedSet(ds, new FrameBinner(10, 5, 0));
        EngineExport ex = new EngineExport(model);
        long[] engineSpikes = new long[2];
        long inputCells = 0, annSteps = 0;
        for (int i = 0; i < samples; i++) {
            var s = set.sample(i);
            int frames = Math.max(1, s.frames());
            int valid = model.outputSteps(frames);
            inputCells += s.events();
            annSteps += valid;
            try (Simulator sim = Simulator.create(ex.specFor(EngineExport.inputOf(s, set.channels(), 10), frames))) {
                SpikeMonitor h1 = sim.recordSpikes("hidden1"), h2 = sim.recordSpikes("hidden2");
                sim.runSteps(ex.engineSteps(frames));
                SpikeMonitor[] mons = {h1, h2};
                for (int k = 0; k < 2; k++) {
                    for (long st : mons[k].steps()) {
                        if (st - (k + 1) < valid) {   // model step = engine step - layer index
                            engineSpikes[k]++;
                        }
                    }
                }
            }
        }
        LayerActivity l1 = a.layers().get(0), l2 = a.layers().get(1), ro = a.layers().get(2);
        assertEquals(engineSpikes[0], l1.spikes());
        assertEquals(engineSpikes[1], l2.spikes());
        assertTrue(l1.spikes() > 0 && l2.spikes() > 0);
        assertEquals(inputCells * 16, l1.macs(), "first layer: non-zero (frame, channel) counts x fan-out");
        assertEquals(0, l1.acs());
        assertEquals(engineSpikes[0] * 16, l2.acs());
        assertEquals(engineSpikes[1] * model.classes(), ro.acs());
        assertEquals(140L * 16 * annSteps, l1.annMacs());
        assertEquals(16L * 16 * annSteps, l2.annMacs());
        assertEquals(samples, a.accuracy().samples());
        assertEquals(2, a.rasters().size());
        // bits: weights 32, delays ceil(log2 25) = 5
        long synapses = 140L * 16 + 16 * 16 + 16L * model.classes();
        assertEquals(synapses * 32 + synapses * 5 + 2 * (4 * 16 * 32 + 32) + 3 * 32, a.size().totalBits());
    }
}
