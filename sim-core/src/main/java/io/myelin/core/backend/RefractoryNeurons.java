package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;

import java.util.Arrays;

/**
 * The refractory neurons, kept per thread range as a calendar of the steps at which they are released, so that a step
 * costs work per spike and per release, not per refractory neuron (a few percent of all neurons: rate × period).
 *
 * <p>A refractory neuron is held at V_reset. The update kernels integrate it like every other neuron and leave it out
 * of the spikes (its 1-byte flag, read only where V crossed threshold); the V they leave is not used by anything: no
 * spike is taken from it, the neuron's V is set to V_reset when it is released, and {@link #heldV} is what
 * {@code readState} reports meanwhile. So, step for step, V is what "held at V_reset while refractory" gives, without
 * writing it every step.
 *
 * <p>Per step, after the update: every neuron whose period ends with this step gets V = V_reset and its flag cleared;
 * then every LIF neuron that spiked in this step becomes refractory until {@code refractorySteps} steps later. A
 * neuron that fires again while refractory (possible only where V_reset is not below threshold once rounded to float;
 * the scalar update, which holds such neurons itself, handles those populations) starts its period over: its earlier
 * calendar entry no longer matches its release step and is skipped. A range's calendar, release steps and flags are
 * touched only by the thread that owns the range.
 */
final class RefractoryNeurons {
    private final CompiledNetwork net;
    private final float[] v;
    private final byte[] flag;
    /** Calendar slots: the longest refractory period + 1. */
    private final int slots;
    /** Per range and slot (step mod slots): the neurons released at the end of that step, and how many. */
    private final int[][][] due;
    private final int[][] dueCount;
    /** Per neuron: the step (low 32 bits) at whose end its current refractory period ends. */
    private final int[] release;
    /** Per range, 16 apart so that threads never write one cache line: steps advanced since {@link #clear}. */
    private final long[] steps;

    RefractoryNeurons(CompiledNetwork net, NeuronState state, int[] rangeStart) {
        this.net = net;
        this.v = state.v();
        this.flag = state.refractory();
        int longest = 0;
        for (int p = 0; p < net.populations.size(); p++) {
            if (net.pKind[p] == CompiledNetwork.KIND_LIF) {
                longest = Math.max(longest, net.pRefractorySteps[p]);
            }
        }
        slots = longest + 1;
        int ranges = rangeStart.length - 1;
        due = new int[ranges][slots][16];
        dueCount = new int[ranges][slots + NeuronState.LINE];   // padded: ranges' counts never share a cache line
        release = new int[net.neuronCount];
        steps = new long[ranges * NeuronState.LINE];
    }

    /** Nobody refractory (the flags are the caller's to clear). */
    void clear() {
        for (int[] counts : dueCount) {
            Arrays.fill(counts, 0);
        }
        Arrays.fill(steps, 0);
    }

    /** What V of neuron {@code i} is: V_reset while it is refractory, else the stored value. */
    float heldV(int i) {
        return flag[i] != 0 ? net.pVReset[net.neuronPopulation[i]] : v[i];
    }

    /** Releases range {@code range}'s neurons whose period ends with this step, then starts the period of its spikes. */
    void advance(int range, int[] spikes, int count) {
        final long now = steps[range * NeuronState.LINE];
        final int nowBits = (int) now;
        final int[] counts = dueCount[range];
        final int slot = (int) (now % slots);
        final int[] released = due[range][slot];
        for (int k = 0, size = counts[slot]; k < size; k++) {
            int i = released[k];
            if (release[i] == nowBits) {
                v[i] = net.pVReset[net.neuronPopulation[i]];
                flag[i] = 0;
            }
        }
        counts[slot] = 0;
        for (int k = 0; k < count; k++) {
            int i = spikes[k];
            int p = net.neuronPopulation[i];
            int refractorySteps = net.pRefractorySteps[p];
            if (refractorySteps > 0 && net.pKind[p] == CompiledNetwork.KIND_LIF) {
                long end = now + refractorySteps;
                flag[i] = 1;
                release[i] = (int) end;
                int s = (int) (end % slots);
                int[] list = due[range][s];
                if (counts[s] == list.length) {
                    due[range][s] = list = Arrays.copyOf(list, list.length * 2);
                }
                list[counts[s]++] = i;
            }
        }
        steps[range * NeuronState.LINE] = now + 1;
    }
}
