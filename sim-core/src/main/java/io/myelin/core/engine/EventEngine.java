package io.myelin.core.engine;

import io.myelin.core.engine.event.EventQueue;

/**
 * What the two event-driven integrators (exact continuous-time LIF, discrete-time LIF) share: the network, its
 * synapses grouped by delay, the queue, the spikes in flight and the counters.
 *
 * <p>A spike does not put all its synapses into the queue at once: its delay runs are sorted by delay, so only the
 * next run is queued and, when it is delivered, the one after it. The queue then holds one entry per spike in
 * flight rather than one per synapse in flight (hundreds of times fewer for a fan-out of 256 with distinct
 * delays), which keeps it small and cache-resident; arrival times are still exactly emission time + delay.
 * An arrival event's payload is (flight slot &lt;&lt; 31 | run); the slot holds the emission time and the end of the
 * presynaptic neuron's runs.
 */
abstract class EventEngine {
    /** Payload flag of a spike-source event (value: source index); without it the event is a spike arrival. */
    static final long SOURCE = 1L << 63;
    static final long VALUE_MASK = (1L << 31) - 1;

    final CompiledNetwork net;
    final DelayRuns runs;
    final EventQueue queue;
    final long[] spikeCounts;
    private double[] flightTime = new double[256];
    private int[] flightEnd = new int[256];
    private int[] freeSlots = new int[256];
    private int freeCount, slotsUsed;
    long queuePushes, queuePops, crossingUpdates, crossingEvents, synapticArrivals, discardedArrivals;
    /** Membrane updates per population ({@code net.populations} order). */
    final long[] membraneUpdates;

    /** Where an engine reports what happened; implemented by {@link EventDrivenSimulator}. */
    interface Sink {
        /** Spikes of one instant (neurons ascending, then sources); {@code step} as for the clock engine. */
        void spikes(double timeMs, long step, int[] spikes, int count);

        /** About to process the events at {@code timeMs} (continuous mode): state up to just before it is final. */
        void reached(double timeMs);

        /** Step {@code step} is complete (discrete mode). */
        void stepDone(long step);
    }

    EventEngine(CompiledNetwork net, DelayRuns runs, EventQueue queue) {
        this.net = net;
        this.runs = runs;
        this.queue = queue;
        this.spikeCounts = new long[net.totalCount];
        this.membraneUpdates = new long[net.populations.size()];
    }

    /** Forgets every event and spike in flight and zeroes the counters: the first half of a reset. */
    void clearQueueAndCounters() {
        queue.clear();
        freeCount = 0;
        slotsUsed = 0;
        resetCounters();
    }

    private void resetCounters() {
        java.util.Arrays.fill(spikeCounts, 0);
        java.util.Arrays.fill(membraneUpdates, 0);
        queuePushes = queuePops = crossingUpdates = crossingEvents = synapticArrivals = discardedArrivals = 0;
    }

    long totalMembraneUpdates() {
        long s = 0;
        for (long u : membraneUpdates) {
            s += u;
        }
        return s;
    }

    long push(double time, long payload) {
        queuePushes++;
        return queue.push(time, payload);
    }

    /** Schedules the arrivals of the spikes in {@code spikes[0..n)} emitted at {@code time}, in that order. */
    void propagate(double time, int[] spikes, int n) {
        final int[] preRunStart = runs.preRunStart;
        for (int k = 0; k < n; k++) {
            int pre = spikes[k];
            spikeCounts[pre]++;
            int first = preRunStart[pre], end = preRunStart[pre + 1];
            if (first == end) {
                continue;
            }
            int slot;
            if (freeCount > 0) {
                slot = freeSlots[--freeCount];
            } else {
                if (slotsUsed == flightTime.length) {
                    flightTime = java.util.Arrays.copyOf(flightTime, 2 * slotsUsed);
                    flightEnd = java.util.Arrays.copyOf(flightEnd, 2 * slotsUsed);
                    freeSlots = java.util.Arrays.copyOf(freeSlots, 2 * slotsUsed);
                }
                slot = slotsUsed++;
            }
            flightTime[slot] = time;
            flightEnd[slot] = end;
            push(time + runs.runDelay[first], ((long) slot << 31) | first);
        }
    }

    /** The delay run an arrival event delivers. */
    static int arrivalRun(long payload) {
        return (int) (payload & VALUE_MASK);
    }

    /** After delivering an arrival event: queues the spike's next delay run, or frees its slot. */
    void nextRun(long payload) {
        int r = (int) (payload & VALUE_MASK) + 1;
        int slot = (int) (payload >>> 31);
        if (r < flightEnd[slot]) {
            push(flightTime[slot] + runs.runDelay[r], ((long) slot << 31) | r);
        } else {
            freeSlots[freeCount++] = slot;
        }
    }

    abstract void reset();

    /** Membrane potential of the given neurons at the current point of the run (see the subclasses). */
    abstract void readState(double timeMs, int[] neurons, float[] v);
}
