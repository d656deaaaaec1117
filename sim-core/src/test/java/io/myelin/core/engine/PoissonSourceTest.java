package io.myelin.core.engine;

import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.monitor.SpikeMonitor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoissonSourceTest {
    private static SpikeMonitor run(long seed) {
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.1).seed(seed)
                .poissonSource("p", 500, 20.0)
                .population("n", 1, LifParameters.builder().build())
                .build();
        Simulator sim = Simulator.create(spec);
        SpikeMonitor m = sim.recordSpikes("p");
        sim.run(2000);
        sim.close();
        return m;
    }

    @Test
    void rateAndCountStatisticsArePoisson() {
        SpikeMonitor m = run(3);
        // 500 x 20 Hz x 2 s = 20,000 expected; sd = sqrt(20000) ~ 141: allow 5 sd.
        assertEquals(20000, m.count(), 5 * Math.sqrt(20000));
        int[] perNeuron = m.countsPerNeuron();
        double mean = 0, var = 0;
        for (int c : perNeuron) {
            mean += c / 500.0;
        }
        for (int c : perNeuron) {
            var += (c - mean) * (c - mean) / 499.0;
        }
        // Fano factor of a Poisson count is 1 (Bernoulli per step: 1 - p = 0.998).
        assertEquals(1.0, var / mean, 0.2, "Fano factor");
        // Spike steps are non-decreasing within the record and each neuron fires at most once per step.
        long[] steps = m.steps();
        for (int k = 1; k < steps.length; k++) {
            assertTrue(steps[k] >= steps[k - 1]);
        }
    }

    @Test
    void seeded() {
        assertArrayEquals(run(11).neurons(), run(11).neurons());
        assertTrue(run(11).count() != run(12).count() || !java.util.Arrays.equals(run(11).neurons(), run(12).neurons()));
    }
}
