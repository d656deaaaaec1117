package io.myelin.core.monitor;

import java.util.Map;

/**
 * What a run actually did, counted exactly from the per-neuron spike counts (spikes × fan-out per projection):
 * the raw material of energy reports.
 *
 * @param steps                   time steps simulated
 * @param neuronUpdates           membrane updates (neurons × steps)
 * @param spikesByGroup           spikes emitted per population and source
 * @param synapticEventsByProjection synaptic events delivered per projection (one per spike per outgoing synapse)
 */
public record OperationCounts(long steps, long neuronUpdates, Map<String, Long> spikesByGroup,
                              Map<String, Long> synapticEventsByProjection) {
    public OperationCounts {
        spikesByGroup = Map.copyOf(spikesByGroup);
        synapticEventsByProjection = Map.copyOf(synapticEventsByProjection);
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
