package io.myelin.core.monitor;

import java.util.Arrays;

/**
 * Records membrane potential and synaptic currents of chosen neurons every {@code everySteps} steps (Brian2's
 * {@code StateMonitor}). Samples are taken after the step's update, so sample k of step s is the state at time
 * {@code (s + 1) * dt}.
 */
public final class StateMonitor {
    private final String population;
    private final int[] local;
    private final int[] global;
    private final int everySteps;
    private final double dtMs;
    private final float[] vBuf, eBuf, iBuf;
    private float[] v = new float[0], iExc = new float[0], iInh = new float[0];
    private long[] steps = new long[64];
    private int samples;

    /**
     * @param population name of the monitored population
     * @param offset     its first global index
     * @param size       its number of neurons
     * @param neurons    local indices to record
     * @param everySteps sampling period in steps
     * @param dtMs       the time step (ms)
     */
    public StateMonitor(String population, int offset, int size, int[] neurons, int everySteps, double dtMs) {
        if (everySteps < 1) {
            throw new io.myelin.core.InvalidInputException("state monitor of '" + population + "': everySteps must be >= 1");
        }
        for (int n : neurons) {
            if (n < 0 || n >= size) {
                throw new io.myelin.core.InvalidInputException("state monitor of '" + population + "': neuron " + n
                        + " is outside 0.." + (size - 1));
            }
        }
        this.population = population;
        this.local = neurons.clone();
        this.global = new int[neurons.length];
        for (int k = 0; k < neurons.length; k++) {
            global[k] = offset + neurons[k];
        }
        this.everySteps = everySteps;
        this.dtMs = dtMs;
        vBuf = new float[neurons.length];
        eBuf = new float[neurons.length];
        iBuf = new float[neurons.length];
    }

    /** Takes a sample if {@code step} is one of ours. */
    public void sample(long step, StateSource source) {
        if (step % everySteps != 0) {
            return;
        }
        source.readState(global, vBuf, eBuf, iBuf);
        int n = local.length;
        if ((samples + 1) * n > v.length) {
            int cap = Math.max(16, (samples + 1) * 2) * n;
            v = Arrays.copyOf(v, cap);
            iExc = Arrays.copyOf(iExc, cap);
            iInh = Arrays.copyOf(iInh, cap);
        }
        if (samples == steps.length) {
            steps = Arrays.copyOf(steps, samples * 2);
        }
        System.arraycopy(vBuf, 0, v, samples * n, n);
        System.arraycopy(eBuf, 0, iExc, samples * n, n);
        System.arraycopy(iBuf, 0, iInh, samples * n, n);
        steps[samples++] = step;
    }

    /** Forgets every sample taken so far (a new trial on the same engine). */
    public void clear() {
        samples = 0;
    }

    public String population() {
        return population;
    }

    public int[] neurons() {
        return local.clone();
    }

    public int samples() {
        return samples;
    }

    /** Time (ms) of each sample: the end of its step. */
    public double[] timesMs() {
        double[] t = new double[samples];
        for (int k = 0; k < samples; k++) {
            t[k] = (steps[k] + 1) * dtMs;
        }
        return t;
    }

    /**
     * The membrane potentials of the latest sample, monitored neurons in order, into {@code out}: what an inference
     * loop reads after each step without copying the whole trace.
     */
    public void lastV(float[] out) {
        if (samples == 0) {
            throw new IllegalStateException("state monitor of '" + population + "' has no sample yet");
        }
        System.arraycopy(v, (samples - 1) * local.length, out, 0, local.length);
    }

    /** Membrane trace of the k-th monitored neuron. */
    public float[] v(int k) {
        return column(v, k);
    }

    /** Excitatory synaptic current trace of the k-th monitored neuron. */
    public float[] iExc(int k) {
        return column(iExc, k);
    }

    /** Inhibitory synaptic current trace of the k-th monitored neuron. */
    public float[] iInh(int k) {
        return column(iInh, k);
    }

    private float[] column(float[] data, int k) {
        int n = local.length;
        float[] out = new float[samples];
        for (int s = 0; s < samples; s++) {
            out[s] = data[s * n + k];
        }
        return out;
    }
}
