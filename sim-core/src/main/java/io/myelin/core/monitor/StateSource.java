package io.myelin.core.monitor;

/** Where a {@link StateMonitor} reads membrane state from (a backend, possibly on a device). */
public interface StateSource {
    /**
     * Copies the state of the given neurons (global indices) into the arrays (same length as {@code neurons}).
     * {@code v}: membrane potential (mV, or trained units for the discrete model); {@code iExc}, {@code iInh}:
     * synaptic currents (mV), 0 for delta synapses. Any array may be null when not wanted.
     */
    void readState(int[] neurons, float[] v, float[] iExc, float[] iInh);
}
