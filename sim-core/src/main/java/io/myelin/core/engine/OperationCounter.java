package io.myelin.core.engine;

import io.myelin.core.monitor.OperationCounts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where both engines turn what they keep anyway — spikes per neuron, membrane updates per population —
 * into {@link OperationCounts}: spikes per group, and synaptic events per projection as each presynaptic neuron's
 * spikes times its fan-out in that projection (exact, and free during the run).
 */
final class OperationCounter {
    private final CompiledNetwork net;

    OperationCounter(CompiledNetwork net) {
        this.net = net;
    }

    /**
     * @param steps                time steps simulated
     * @param spikesPerIndex       spikes of every neuron and source neuron (global index)
     * @param updatesPerPopulation membrane updates per population, in {@code net.populations} order
     */
    OperationCounts count(long steps, long[] spikesPerIndex, long[] updatesPerPopulation) {
        Map<String, Long> spikes = new LinkedHashMap<>();
        Map<String, Long> updates = new LinkedHashMap<>();
        long totalUpdates = 0;
        for (int p = 0; p < net.populations.size(); p++) {
            CompiledNetwork.PopulationLayout pop = net.populations.get(p);
            spikes.put(pop.name(), sum(spikesPerIndex, pop.offset(), pop.size()));
            updates.put(pop.name(), updatesPerPopulation[p]);
            totalUpdates += updatesPerPopulation[p];
        }
        for (CompiledNetwork.SourceLayout s : net.sources) {
            spikes.put(s.name(), sum(spikesPerIndex, s.offset(), s.size()));
        }
        Map<String, Long> events = new LinkedHashMap<>();
        for (CompiledNetwork.ProjectionLayout pr : net.projections) {
            long e = 0;
            int[] fan = pr.fanOut();
            for (int i = 0; i < fan.length; i++) {
                e += spikesPerIndex[pr.preOffset() + i] * fan[i];
            }
            events.put(pr.name(), e);
        }
        return new OperationCounts(steps, totalUpdates, spikes, events, updates);
    }

    /** The clock engine's updates: every neuron of every population once per step. */
    long[] everyNeuronEveryStep(long steps) {
        long[] u = new long[net.populations.size()];
        for (int p = 0; p < u.length; p++) {
            u[p] = net.populations.get(p).size() * steps;
        }
        return u;
    }

    private static long sum(long[] a, int from, int n) {
        long s = 0;
        for (int i = from; i < from + n; i++) {
            s += a[i];
        }
        return s;
    }
}
