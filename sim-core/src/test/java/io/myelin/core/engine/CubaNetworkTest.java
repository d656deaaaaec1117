package io.myelin.core.engine;

import io.myelin.core.backend.JavaBackend;
import io.myelin.core.model.CubaNetwork;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.monitor.SpikeMonitor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vogels–Abbott CUBA network against Brian2's firing rate, and reproducibility. */
class CubaNetworkTest {

    private static long[][] spikeTrain(NetworkSpec spec, int threads, double ms) {
        try (Simulator sim = new Simulator(CompiledNetwork.compile(spec), new JavaBackend(threads))) {
            SpikeMonitor e = sim.recordSpikes("exc");
            SpikeMonitor i = sim.recordSpikes("inh");
            sim.run(ms);
            return new long[][]{e.steps(), Arrays.stream(e.neurons()).asLongStream().toArray(),
                    i.steps(), Arrays.stream(i.neurons()).asLongStream().toArray()};
        }
    }

    @Test
    void firingRateMatchesBrian2() {
        // Brian2 2.5 on this network (N=4000, 1 s): about 22,500 spikes, 5.6 Hz. Average three seeds: the rate of
        // one realisation varies by a few percent.
        double rate = 0;
        for (long seed = 1; seed <= 3; seed++) {
            try (Simulator sim = Simulator.create(CubaNetwork.spec(4000, seed))) {
                sim.run(1000);
                long spikes = sim.operationCounts().totalSpikes();
                rate += spikes / 4000.0 / 3;
                CompiledNetwork net = sim.network();
                assertEquals(80.0, net.synapseCount() / 4000.0, 2.0, "in-degree 80 on average");
            }
        }
        assertEquals(5.6, rate, 0.56, "mean firing rate (Hz) within 10% of Brian2's");
    }

    @Test
    void sameSeedSameSpikesDifferentSeedDifferentSpikes() {
        long[][] a = spikeTrain(CubaNetwork.spec(1000, 42), 1, 200);
        long[][] b = spikeTrain(CubaNetwork.spec(1000, 42), 1, 200);
        long[][] c = spikeTrain(CubaNetwork.spec(1000, 43), 1, 200);
        assertTrue(a[0].length > 100);
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(a[k], b[k]);
        }
        assertFalse(Arrays.equals(a[0], c[0]) && Arrays.equals(a[1], c[1]));
    }

    @Test
    void multiThreadedBackendIsBitIdenticalToSingleThreaded() {
        // 12,000 neurons so that the update really splits into ranges (>= 4096 neurons per task).
        NetworkSpec spec = CubaNetwork.spec(12000, 5);
        long[][] one = spikeTrain(spec, 1, 150);
        long[][] two = spikeTrain(spec, 2, 150);
        long[][] three = spikeTrain(spec, 3, 150);
        assertTrue(one[0].length > 1000);
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(one[k], two[k]);
            assertArrayEquals(one[k], three[k]);
        }
    }
}
