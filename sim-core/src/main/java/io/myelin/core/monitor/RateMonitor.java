package io.myelin.core.monitor;

import java.util.Arrays;

/** Population firing rate per time step (Hz), like Brian2's {@code PopulationRateMonitor}. */
public final class RateMonitor implements SpikeListener {
    private final String population;
    private final int offset;
    private final int size;
    private final double dtMs;
    private int[] counts = new int[1024];
    private long firstStep = -1;
    private int length;

    public RateMonitor(String population, int offset, int size, double dtMs) {
        this.population = population;
        this.offset = offset;
        this.size = size;
        this.dtMs = dtMs;
    }

    @Override
    public void onSpikes(long step, int[] spikes, int n) {
        if (firstStep < 0) {
            firstStep = step;
        }
        int at = (int) (step - firstStep);
        if (at >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(at + 1, counts.length * 2));
        }
        int c = 0;
        for (int k = 0; k < n; k++) {
            int local = spikes[k] - offset;
            if (local >= 0 && local < size) {
                c++;
            }
        }
        counts[at] += c;
        length = Math.max(length, at + 1);
    }

    public String population() {
        return population;
    }

    /** Spikes of the population in each recorded step. */
    public int[] spikesPerStep() {
        return Arrays.copyOf(counts, length);
    }

    /** Rate per step (Hz): spikes / (size × dt). */
    public double[] ratesHz() {
        double[] r = new double[length];
        for (int k = 0; k < length; k++) {
            r[k] = counts[k] / (size * dtMs / 1000.0);
        }
        return r;
    }

    /** Mean rate over everything recorded (Hz per neuron). */
    public double meanRateHz() {
        long total = 0;
        for (int k = 0; k < length; k++) {
            total += counts[k];
        }
        return length == 0 ? 0 : total / (size * length * dtMs / 1000.0);
    }
}
