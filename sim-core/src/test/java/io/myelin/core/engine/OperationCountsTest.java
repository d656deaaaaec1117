package io.myelin.core.engine;

import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.SpikeMonitor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operation counters against an independent count: recorded spikes times fan-out, synapse by synapse. */
class OperationCountsTest {
    @Test
    void synapticEventsEqualSpikesTimesFanOut() {
        LifParameters lif = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-70).vThresholdMv(-55)
                .refractoryMs(1).tauExcMs(3).build();
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.1).seed(9)
                .poissonSource("in", 50, 80)
                .population("a", 120, lif, Distribution.uniform(-70, -55))
                .population("b", 80, lif)
                .projection(ProjectionSpec.from("in").to("a").fixedInDegree(10).weight(Distribution.uniform(3, 7))
                        .delayMs(Distribution.uniform(0.1, 3)))
                .projection(ProjectionSpec.from("a").to("b").fixedProbability(0.2).weight(3).delayMs(2))
                .projection(ProjectionSpec.from("b").to("a").fixedProbability(0.1).weight(-2).delayMs(1).inhibitory())
                .build();
        try (Simulator sim = Simulator.create(spec)) {
            SpikeMonitor in = sim.recordSpikes("in");
            SpikeMonitor a = sim.recordSpikes("a");
            SpikeMonitor b = sim.recordSpikes("b");
            sim.run(300);
            CompiledNetwork net = sim.network();
            OperationCounts oc = sim.operationCounts();
            assertTrue(a.count() > 50 && b.count() > 10, "the network is active: " + a.count() + ", " + b.count());
            assertEquals(expectedEvents(net, in, "in", "a"), oc.synapticEventsByProjection().get("in->a"));
            assertEquals(expectedEvents(net, a, "a", "b"), oc.synapticEventsByProjection().get("a->b"));
            assertEquals(expectedEvents(net, b, "b", "a"), oc.synapticEventsByProjection().get("b->a"));
            assertEquals(a.count(), oc.spikesByGroup().get("a"));
            assertEquals(in.count(), oc.spikesByGroup().get("in"));
            assertEquals(3000L * 200, oc.neuronUpdates());
        }
    }

    /** Walks every recorded spike through the CSR rows and counts synapses landing in the post population. */
    private static long expectedEvents(CompiledNetwork net, SpikeMonitor m, String pre, String post) {
        int preOffset = group(net, pre);
        CompiledNetwork.PopulationLayout postL = net.population(post);
        long events = 0;
        for (int local : m.neurons()) {
            int g = preOffset + local;
            for (int s = net.rowStart[g]; s < net.rowStart[g + 1]; s++) {
                if (net.target[s] >= postL.offset() && net.target[s] < postL.offset() + postL.size()) {
                    events++;
                }
            }
        }
        return events;
    }

    private static int group(CompiledNetwork net, String name) {
        for (CompiledNetwork.SourceLayout s : net.sources) {
            if (s.name().equals(name)) {
                return s.offset();
            }
        }
        return net.population(name).offset();
    }
}
