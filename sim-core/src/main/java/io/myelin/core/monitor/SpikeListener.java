package io.myelin.core.monitor;

/** Receives the spikes of every completed step (global indices: neurons ascending, then source spikes). */
public interface SpikeListener {
    void onSpikes(long step, int[] spikes, int count);
}
