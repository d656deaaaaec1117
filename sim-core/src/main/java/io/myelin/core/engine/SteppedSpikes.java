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

    /** Global index of the source's first neuron. */
    private final int offset;
    /** Per neuron of the source: the most spikes it emits in one step. */
    private final int[] maxPerStep;

    private SteppedSpikes(long[] step, int[] neuron, int offset, int[] maxPerStep) {
        this.step = step;
        this.neuron = neuron;
        this.offset = offset;
        this.maxPerStep = maxPerStep;
    }

    static SteppedSpikes of(SourceSpec.SpikeTimes st, int offset, double dtMs) {
        int n = st.neurons().length;
        double[] times = st.timesMs();
        int[] neurons = st.neurons();
        long[] keys = new long[n];
        int[] neuron = new int[n];
        int[] most = new int[st.size()];
        boolean sorted = true;
        int run = 0;
        for (int k = 0; k < n; k++) {
            // a run of equal times (binned input: a frame's spikes share its start) shares one division
            long key = k > 0 && times[k] == times[k - 1] ? keys[k - 1] : SpikeSchedule.stepOf(times[k], dtMs);
            keys[k] = key;
            neuron[k] = offset + neurons[k];
            // runs of one neuron in one step, counted while the order holds (then counted again after sorting)
            boolean same = k > 0 && key == keys[k - 1] && neurons[k] == neurons[k - 1];
            sorted &= k == 0 || key > keys[k - 1] || key == keys[k - 1] && neurons[k] >= neurons[k - 1];
            run = same ? run + 1 : 1;
            most[neurons[k]] = Math.max(most[neurons[k]], run);
        }
        if (sorted) {
            // already in (step, neuron) order, as binned input usually is: no sort
            return new SteppedSpikes(keys, neuron, offset, most);
        }
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        // Stable sort by step, then neuron, so the emission order is well defined.
        Arrays.sort(order, (a, b) -> keys[a] != keys[b] ? Long.compare(keys[a], keys[b])
                : Integer.compare(neurons[a], neurons[b]));
        long[] step = new long[n];
        Arrays.fill(most, 0);
        run = 0;
        for (int k = 0; k < n; k++) {
            step[k] = keys[order[k]];
            neuron[k] = offset + neurons[order[k]];
            run = k > 0 && step[k] == step[k - 1] && neuron[k] == neuron[k - 1] ? run + 1 : 1;
            most[neuron[k] - offset] = Math.max(most[neuron[k] - offset], run);
        }
        return new SteppedSpikes(step, neuron, offset, most);
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

    /** Raises {@code multiplicity[g]} to the most spikes neuron g of this source emits in one step. */
    void maxPerStep(int[] multiplicity) {
        for (int i = 0; i < maxPerStep.length; i++) {
            multiplicity[offset + i] = Math.max(multiplicity[offset + i], maxPerStep[i]);
        }
    }
}
