package io.myelin.core.monitor;

/**
 * Receives spikes with their exact times from the event-driven engine: all spikes of one instant at once
 * (neurons ascending, then source spikes), instants in increasing order.
 */
public interface TimedSpikeListener {
    /**
     * @param timeMs the spikes' time (ms)
     * @param step   the clock step whose interval {@code (step·dt, (step+1)·dt]} contains it (0 for time 0)
     */
    void onSpikesAt(double timeMs, long step, int[] spikes, int count);
}
