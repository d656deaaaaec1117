package io.myelin.core.engine;

import io.myelin.core.model.SourceSpec;

import java.util.Arrays;
import java.util.List;

/**
 * One spike-times source's spikes bucketed into steps ({@link SpikeSchedule#stepOf}) and ordered by step, then neuron
 * (stable): the emission order. Computed once per source when a network is compiled or given new spikes
 * ({@link CompiledNetwork#withSpikeTimes}), and read both by the fixed-point scale (the most spikes a neuron emits in
 * one step) and by every {@link SpikeSchedule} of that network, so a sample's spike times are converted once.
 * Immutable.
 */
final class SteppedSpikes {
    /** Step of each spike, ascending. */
    final long[] step;
    /** Global index of each spike's neuron; ascending within a step. */
    final int[] neuron;

    private SteppedSpikes(long[] step, int[] neuron) {
        this.step = step;
        this.neuron = neuron;
    }

    static SteppedSpikes of(SourceSpec.SpikeTimes st, int offset, double dtMs) {
        int n = st.neurons().length;
        double[] times = st.timesMs();
        int[] neurons = st.neurons();
        long[] keys = new long[n];
        boolean sorted = true;
        for (int k = 0; k < n; k++) {
            keys[k] = SpikeSchedule.stepOf(times[k], dtMs);
            sorted &= k == 0 || keys[k] > keys[k - 1] || keys[k] == keys[k - 1] && neurons[k] >= neurons[k - 1];
        }
        int[] neuron = new int[n];
        if (sorted) {
            // already in (step, neuron) order, as binned input usually is: no sort
            for (int k = 0; k < n; k++) {
                neuron[k] = offset + neurons[k];
            }
            return new SteppedSpikes(keys, neuron);
        }
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        // Stable sort by step, then neuron, so the emission order is well defined.
        Arrays.sort(order, (a, b) -> keys[a] != keys[b] ? Long.compare(keys[a], keys[b])
                : Integer.compare(neurons[a], neurons[b]));
        long[] step = new long[n];
        for (int k = 0; k < n; k++) {
            step[k] = keys[order[k]];
            neuron[k] = offset + neurons[order[k]];
        }
        return new SteppedSpikes(step, neuron);
    }

    /** Per source index: the stepped spikes of each spike-times source of {@code spec}, null for other sources. */
    static SteppedSpikes[] of(io.myelin.core.model.NetworkSpec spec, List<CompiledNetwork.SourceLayout> sources) {
        SteppedSpikes[] out = new SteppedSpikes[spec.sources().size()];
        for (CompiledNetwork.SourceLayout l : sources) {
            if (spec.sources().get(l.index()) instanceof SourceSpec.SpikeTimes st) {
                out[l.index()] = of(st, l.offset(), spec.dtMs());
            }
        }
        return out;
    }

    /** Raises {@code multiplicity[g]} to the most spikes neuron g emits in one step (runs of equal step and neuron). */
    void maxPerStep(int[] multiplicity) {
        int n = step.length;
        for (int k = 0; k < n; ) {
            int e = k + 1;
            while (e < n && step[e] == step[k] && neuron[e] == neuron[k]) {
                e++;
            }
            multiplicity[neuron[k]] = Math.max(multiplicity[neuron[k]], e - k);
            k = e;
        }
    }
}
