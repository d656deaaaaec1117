package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;

import java.util.Arrays;

/**
 * The refractory neurons, one list per thread range: a few percent of all neurons (rate × refractory period), so
 * holding them here costs far less than a test in the update of every neuron every step. The vector update
 * integrates refractory neurons like all others and leaves them out of the spikes (their 1-byte flag, read only
 * where V crossed threshold); this list then puts them back to V_reset.
 *
 * <p>Per step, after the update: every listed neuron is set to V_reset, counts one step down and leaves the list
 * (flag cleared) at zero; then every LIF neuron that spiked in this step becomes refractory for its population's
 * refractory steps. This is, step for step, "held at V_reset while the counter is above zero, count down, then a
 * spike sets the counter". A range's list and flags are touched only by the thread that owns the range.
 */
final class RefractoryNeurons {
    private final CompiledNetwork net;
    private final float[] v;
    private final byte[] flag;
    /** Per range: its refractory neurons and, beside each, the steps it has left. */
    private final int[][] neurons;
    private final int[][] left;
    /** List sizes, 16 ints apart so that threads never write one cache line. */
    private final int[] sizes;

    RefractoryNeurons(CompiledNetwork net, NeuronState state, int[] rangeStart) {
        this.net = net;
        this.v = state.v();
        this.flag = state.refractory();
        int ranges = rangeStart.length - 1;
        neurons = new int[ranges][];
        left = new int[ranges][];
        sizes = new int[ranges * NeuronState.LINE];
        for (int t = 0; t < ranges; t++) {
            neurons[t] = new int[Math.max(1, rangeStart[t + 1] - rangeStart[t])];
            left[t] = new int[neurons[t].length];
        }
    }

    /** Nobody refractory (the flags are the caller's to clear). */
    void clear() {
        Arrays.fill(sizes, 0);
    }

    /** Holds and counts down range {@code range}'s listed neurons, then starts the refractory period of its spikes. */
    void advance(int range, int[] spikes, int count) {
        final int[] list = neurons[range], steps = left[range];
        int size = sizes[range * NeuronState.LINE];
        int kept = 0;
        for (int k = 0; k < size; k++) {
            int i = list[k];
            v[i] = net.pVReset[net.neuronPopulation[i]];
            int l = steps[k] - 1;
            if (l > 0) {
                list[kept] = i;
                steps[kept++] = l;
            } else {
                flag[i] = 0;
            }
        }
        size = kept;
        for (int k = 0; k < count; k++) {
            int i = spikes[k];
            int p = net.neuronPopulation[i];
            int refractorySteps = net.pRefractorySteps[p];
            if (refractorySteps > 0 && net.pKind[p] == CompiledNetwork.KIND_LIF) {
                if (flag[i] == 0) {
                    flag[i] = 1;
                    list[size] = i;   // a neuron is listed at most once, so the list never outgrows the range
                    steps[size++] = refractorySteps;
                } else {
                    restart(list, steps, size, i, refractorySteps);
                }
            }
        }
        sizes[range * NeuronState.LINE] = size;
    }

    /**
     * A refractory neuron fired again: possible only where V_reset is not below threshold once rounded to float, so
     * the neuron, held at V_reset, crosses (the scalar update handles such populations); its period starts over.
     */
    private static void restart(int[] list, int[] steps, int size, int neuron, int refractorySteps) {
        for (int k = 0; k < size; k++) {
            if (list[k] == neuron) {
                steps[k] = refractorySteps;
                return;
            }
        }
        throw new IllegalStateException("refractory neuron " + neuron + " is not listed");
    }
}
