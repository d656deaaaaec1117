package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;

import java.util.Arrays;

/**
 * The refractory neurons, one list per thread range: a few percent of all neurons (rate × refractory period), so
 * counting their steps down here costs far less than reading and writing a counter for every neuron every step. The
 * update reads only each neuron's 1-byte flag.
 *
 * <p>Per step, after the update (which held every flagged neuron at V_reset): every listed neuron counts one step
 * down and leaves the list (flag cleared) at zero; then every LIF neuron that spiked in this step becomes refractory
 * for its population's refractory steps. This is, step for step, "held while the counter is above zero, count down,
 * then a spike sets the counter". A range's list and flags are touched only by the thread that owns the range.
 */
final class RefractoryNeurons {
    private final CompiledNetwork net;
    private final byte[] flag;
    private final int[] left;
    private final int[][] lists;
    /** List sizes, 16 ints apart so that threads never write one cache line. */
    private final int[] sizes;

    RefractoryNeurons(CompiledNetwork net, NeuronState state, int[] rangeStart) {
        this.net = net;
        this.flag = state.refractory();
        this.left = state.refractoryLeft();
        int ranges = rangeStart.length - 1;
        lists = new int[ranges][];
        sizes = new int[ranges * NeuronState.LINE];
        for (int t = 0; t < ranges; t++) {
            lists[t] = new int[Math.max(1, rangeStart[t + 1] - rangeStart[t])];
        }
    }

    /** Nobody refractory (flags and counters are the caller's to clear). */
    void clear() {
        Arrays.fill(sizes, 0);
    }

    /** Counts range {@code range}'s listed neurons down, then starts the refractory period of its {@code spikes}. */
    void advance(int range, int[] spikes, int count) {
        final int[] list = lists[range];
        int size = sizes[range * NeuronState.LINE];
        int kept = 0;
        for (int k = 0; k < size; k++) {
            int i = list[k];
            int l = left[i] - 1;
            left[i] = l;
            if (l > 0) {
                list[kept++] = i;
            } else {
                flag[i] = 0;
            }
        }
        size = kept;
        for (int k = 0; k < count; k++) {
            int i = spikes[k];
            int p = net.neuronPopulation[i];
            int steps = net.pRefractorySteps[p];
            if (steps > 0 && net.pKind[p] == CompiledNetwork.KIND_LIF) {
                if (left[i] == 0) {
                    list[size++] = i;   // a neuron is listed at most once, so the list never outgrows the range
                }
                left[i] = steps;
                flag[i] = 1;
            }
        }
        sizes[range * NeuronState.LINE] = size;
    }
}
