package io.myelin.core.monitor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run actually did, counted exactly from the per-neuron spike counts (spikes × fan-out per projection):
 * the raw material of energy reports.
 *
 * @param steps                      time steps simulated
 * @param neuronUpdates              membrane updates performed (the clock engine: neurons × steps)
 * @param spikesByGroup              spikes emitted per population and source
 * @param synapticEventsByProjection synaptic events delivered per projection (one per spike per outgoing synapse)
 * @param neuronUpdatesByPopulation  membrane updates per population, summing to {@code neuronUpdates}; empty when
 *                                   only the total is known
 */
public record OperationCounts(long steps, long neuronUpdates, Map<String, Long> spikesByGroup,
                              Map<String, Long> synapticEventsByProjection, Map<String, Long> neuronUpdatesByPopulation) {
    public OperationCounts {
        spikesByGroup = ordered(spikesByGroup);
        synapticEventsByProjection = ordered(synapticEventsByProjection);
        neuronUpdatesByPopulation = ordered(neuronUpdatesByPopulation);
    }

    /** Counts that know only the total of the membrane updates. */
    public OperationCounts(long steps, long neuronUpdates, Map<String, Long> spikesByGroup,
                           Map<String, Long> synapticEventsByProjection) {
        this(steps, neuronUpdates, spikesByGroup, synapticEventsByProjection, Map.of());
    }

    /** An unmodifiable copy in the given map's order (the engines give network order), so printed counts are stable. */
    private static Map<String, Long> ordered(Map<String, Long> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** All synaptic events of the run. */
    public long totalSynapticEvents() {
        return synapticEventsByProjection.values().stream().mapToLong(Long::longValue).sum();
    }

    /** All spikes (neurons and sources). */
    public long totalSpikes() {
        return spikesByGroup.values().stream().mapToLong(Long::longValue).sum();
    }
}
