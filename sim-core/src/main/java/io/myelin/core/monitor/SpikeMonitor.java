package io.myelin.core.monitor;

import io.myelin.core.InvalidInputException;

import java.util.Arrays;

/**
 * Records the spikes of one population or source (all its neurons, or a subset), like Brian2's
 * {@code SpikeMonitor}: parallel arrays of spike time and neuron index (local to the population), in emission order.
 */
public final class SpikeMonitor implements SpikeListener, TimedSpikeListener {
    private final String population;
    private final int offset;
    private final int size;
    private final double dtMs;
    private final boolean[] recorded;
    private long[] steps = new long[256];
    private int[] neurons = new int[256];
    private int count;
    /** Exact spike times (ms) when the event-driven engine records; null for the clock-driven one. */
    private double[] exactTimes;

    /**
     * @param population name of the recorded population or source
     * @param offset     its first global index
     * @param size       its size
     * @param subset     local indices to record, or null for all
     * @param dtMs       the time step, to convert steps to ms
     */
    public SpikeMonitor(String population, int offset, int size, int[] subset, double dtMs) {
        this.population = population;
        this.offset = offset;
        this.size = size;
        this.dtMs = dtMs;
        if (subset == null) {
            recorded = null;
        } else {
            recorded = new boolean[size];
            for (int i : subset) {
                if (i < 0 || i >= size) {
                    throw new InvalidInputException("spike monitor of '" + population + "': neuron " + i
                            + " is outside 0.." + (size - 1));
                }
                recorded[i] = true;
            }
        }
    }

    @Override
    public void onSpikes(long step, int[] spikes, int n) {
        for (int k = 0; k < n; k++) {
            int local = spikes[k] - offset;
            if (local >= 0 && local < size && (recorded == null || recorded[local])) {
                if (count == steps.length) {
                    steps = Arrays.copyOf(steps, count * 2);
                    neurons = Arrays.copyOf(neurons, count * 2);
                }
                steps[count] = step;
                neurons[count] = local;
                count++;
            }
        }
    }

    /**
     * Records spikes at an exact time (event-driven engine); {@link #timesMs()} then returns these times and
     * {@link #steps()} the step whose interval {@code (step·dt, (step+1)·dt]} contains them.
     */
    @Override
    public void onSpikesAt(double timeMs, long step, int[] spikes, int n) {
        if (exactTimes == null) {
            exactTimes = new double[steps.length];
        }
        for (int k = 0; k < n; k++) {
            int local = spikes[k] - offset;
            if (local >= 0 && local < size && (recorded == null || recorded[local])) {
                if (count == steps.length) {
                    steps = Arrays.copyOf(steps, count * 2);
                    neurons = Arrays.copyOf(neurons, count * 2);
                }
                if (count >= exactTimes.length) {
                    exactTimes = Arrays.copyOf(exactTimes, steps.length);
                }
                steps[count] = step;
                neurons[count] = local;
                exactTimes[count] = timeMs;
                count++;
            }
        }
    }

    public String population() {
        return population;
    }

    /** Number of spikes recorded. */
    public int count() {
        return count;
    }

    /** Step index of each spike. */
    public long[] steps() {
        return Arrays.copyOf(steps, count);
    }

    /** Spike times (ms): exact times if recorded by the event-driven engine, otherwise the end of the step in which each spike was emitted, {@code (step + 1) * dt}. */
    public double[] timesMs() {
        if (exactTimes != null) {
            return Arrays.copyOf(exactTimes, count);
        }
        double[] t = new double[count];
        for (int k = 0; k < count; k++) {
            t[k] = (steps[k] + 1) * dtMs;
        }
        return t;
    }

    /** Local neuron index of each spike. */
    public int[] neurons() {
        return Arrays.copyOf(neurons, count);
    }

    /** Spike count of each neuron of the population. */
    public int[] countsPerNeuron() {
        int[] c = new int[size];
        for (int k = 0; k < count; k++) {
            c[neurons[k]]++;
        }
        return c;
    }

    /** Forgets everything recorded. */
    public void clear() {
        count = 0;
    }
}
