package io.myelin.core.data;

import io.myelin.core.engine.Simulator;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.SourceSpec;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A dataset sample replayed by the engine emits exactly the sample's spikes, in the steps binning puts them. */
class DatasetSpikeSourceTest {
    @Test
    void engineReplaysTheSampleSpikeForSpike() {
        SpikeDataset ds = Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5"));
        int index = 3;
        SourceSpec.SpikeTimes src = DatasetSpikeSource.pooled(ds, index, "input", 5);
        assertEquals(140, src.size());
        NetworkSpec spec = NetworkSpec.builder().dtMs(10.0).source(src)
                .population("n", 1, LifParameters.builder().build()).build();
        BinnedSample binned = new FrameBinner(10.0, 5, 0).bin(ds, index);
        try (Simulator sim = Simulator.create(spec)) {
            SpikeMonitor m = sim.recordSpikes("input");
            sim.runSteps(binned.frames());
            assertEquals(ds.spikeCount(index), m.count());
            // Counts per (step, pooled channel) equal the binner's counts.
            float[] dense = new float[binned.frames() * binned.channels()];
            long[] steps = m.steps();
            int[] neurons = m.neurons();
            for (int k = 0; k < m.count(); k++) {
                dense[(int) steps[k] * binned.channels() + neurons[k]] += 1f;
            }
            assertArrayEquals(binned.dense(), dense);
        }
    }
}
