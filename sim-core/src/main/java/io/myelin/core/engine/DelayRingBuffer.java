package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;

/**
 * Synaptic input waiting to arrive, one slot per future time step: a spike emitted in step {@code t} through a
 * synapse with a delay of {@code d} steps is added to slot {@code (t + d) mod D}, which the target reads (and clears)
 * at the start of step {@code t + d}. {@code D = max delay + 1}, so a delay of at most {@code D - 1} steps fits.
 *
 * <p>Layout (the OpenCL backend's): {@code int[D][2][neurons]} flattened, receptor-major inside a slot, holding
 * fixed-point sums in units of {@link FixedPointScale}. Integer sums make delivery independent of the order in which
 * spikes are scattered, so any thread count and any device give bit-identical input. (The Java backend keeps a
 * variant of its own: negated sums, one slot fewer, rows padded to cache lines; see its {@code NeuronState}.)
 */
public final class DelayRingBuffer {
    private final int slots;
    private final int neurons;
    private final int[] data;

    /**
     * @param slots   D, the number of slots: the longest delay in steps plus one
     * @param neurons number of target neurons
     */
    public DelayRingBuffer(int slots, int neurons) {
        if (slots < 2) {
            throw new IllegalArgumentException("a ring buffer needs at least 2 slots (delays of >= 1 step), got " + slots);
        }
        long size = (long) slots * 2 * neurons;
        if (size > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("delay ring buffer of " + slots + " slots x " + neurons
                    + " neurons x 2 receptors is too large (" + size + " entries); shorten the longest delay or use a coarser dt");
        }
        this.slots = slots;
        this.neurons = neurons;
        this.data = new int[(int) size];
    }

    /** D: the number of slots. */
    public int slots() {
        return slots;
    }

    /** The longest delay (steps) this buffer holds. */
    public int maxDelaySteps() {
        return slots - 1;
    }

    public int neurons() {
        return neurons;
    }

    /** The raw fixed-point array {@code [D][2][neurons]} for backends' hot loops. */
    public int[] data() {
        return data;
    }

    /** Index of the first entry of the slot read at {@code step}. */
    public int slotBase(long step) {
        return (int) (step % slots) * 2 * neurons;
    }

    /**
     * Schedules a fixed-point input for {@code neuron}'s {@code receptor} (0 excitatory, 1 inhibitory) to arrive
     * {@code delaySteps} after {@code step}.
     *
     * @throws InvalidInputException if the delay does not fit the buffer (&lt; 1 or &gt; D-1 steps)
     */
    public void add(long step, int delaySteps, int receptor, int neuron, int fixedValue) {
        if (delaySteps < 1 || delaySteps >= slots) {
            throw new InvalidInputException("delay of " + delaySteps + " steps does not fit the delay buffer: it holds 1.."
                    + (slots - 1) + " steps (D = " + slots + " slots)");
        }
        if (receptor < 0 || receptor > 1 || neuron < 0 || neuron >= neurons) {
            throw new IndexOutOfBoundsException("receptor " + receptor + ", neuron " + neuron + " of " + neurons);
        }
        data[slotBase(step + delaySteps) + receptor * neurons + neuron] += fixedValue;
    }

    /** The fixed-point input waiting for {@code neuron}'s {@code receptor} at {@code step}. */
    public int peek(long step, int receptor, int neuron) {
        return data[slotBase(step) + receptor * neurons + neuron];
    }

    /** Clears the slot of {@code step} after it has been read. */
    public void clearSlot(long step) {
        int base = slotBase(step);
        java.util.Arrays.fill(data, base, base + 2 * neurons, 0);
    }

    /** Clears everything (a new trial). */
    public void clear() {
        java.util.Arrays.fill(data, 0);
    }
}
