package io.myelin.core.engine;

import io.myelin.core.model.SourceSpec;

import java.util.Arrays;
import java.util.List;

/**
 * One spike-times source's spikes bucketed into steps ({@link SpikeSchedule#stepOf}) and ordered by step, then neuron
 * (stable): the emission order. Computed once per source when a network is compiled or given new spikes
 * ({@link CompiledNetwork#withSpikeTimes}), or once for many runs ({@link PreparedSpikes}), and read both by the
 * fixed-point scale (the most spikes a neuron emits in one step) and by every {@link SpikeSchedule} of that network, so
 * a sample's spike times are converted once. The arrays hold the source's own neuron numbers; {@link #at} places them
 * at a network's global indices without copying. Immutable.
 */
final class SteppedSpikes {
    /** Step of each spike, ascending. */
    final long[] step;
    /** The source's own index of each spike's neuron; ascending within a step. */
    final int[] local;
    /** Global index of the source's first neuron: spike k is emitted by {@code offset + local[k]}. */
    final int offset;
    /** Per neuron of the source: the most spikes it emits in one step. */
    private final int[] maxPerStep;

    private SteppedSpikes(long[] step, int[] local, int offset, int[] maxPerStep) {
        this.step = step;
        this.local = local;
        this.offset = offset;
        this.maxPerStep = maxPerStep;
    }

    /** The same spikes for a source whose first neuron has global index {@code offset} (shares the arrays). */
    SteppedSpikes at(int offset) {
        return offset == this.offset ? this : new SteppedSpikes(step, local, offset, maxPerStep);
    }

    static SteppedSpikes of(SourceSpec.SpikeTimes st, int offset, double dtMs) {
        int n = st.neurons().length;
        double[] times = st.timesMs();
        int[] neurons = st.neurons();
        long[] keys = new long[n];
        int[] most = new int[st.size()];
        boolean sorted = true;
        int run = 0;
        long key = 0;
        for (int k = 0; k < n; k++) {
            // a run of equal times (binned input: a frame's spikes share its start) shares one division
            long prev = key;
            key = k > 0 && times[k] == times[k - 1] ? key : SpikeSchedule.stepOf(times[k], dtMs);
            keys[k] = key;
            int nk = neurons[k];
            // runs of one neuron in one step, counted while the order holds (then counted again after sorting)
            boolean sameStep = k > 0 && key == prev;
            sorted &= k == 0 || key > prev || sameStep && nk >= neurons[k - 1];
            run = sameStep && nk == neurons[k - 1] ? run + 1 : 1;
            if (run > most[nk]) {
                most[nk] = run;
            }
        }
        if (sorted) {
            // already in (step, neuron) order, as binned input usually is: no sort
            return new SteppedSpikes(keys, neurons.clone(), offset, most);
        }
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        // Stable sort by step, then neuron, so the emission order is well defined.
        Arrays.sort(order, (a, b) -> keys[a] != keys[b] ? Long.compare(keys[a], keys[b])
                : Integer.compare(neurons[a], neurons[b]));
        long[] step = new long[n];
        int[] local = new int[n];
        Arrays.fill(most, 0);
        run = 0;
        for (int k = 0; k < n; k++) {
            step[k] = keys[order[k]];
            local[k] = neurons[order[k]];
            run = k > 0 && step[k] == step[k - 1] && local[k] == local[k - 1] ? run + 1 : 1;
            most[local[k]] = Math.max(most[local[k]], run);
        }
        return new SteppedSpikes(step, local, offset, most);
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
