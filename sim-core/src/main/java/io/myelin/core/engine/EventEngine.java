package io.myelin.core.engine;

import io.myelin.core.engine.event.EventQueue;

/**
 * What the two event-driven integrators (exact continuous-time LIF, discrete-time LIF) share: the network, its
 * synapses grouped by delay, the queue and the counters. Events carry a 64-bit payload: a kind in the top byte
 * and an index below it.
 */
abstract class EventEngine {
    static final int KIND_SHIFT = 56;
    static final long VALUE_MASK = (1L << KIND_SHIFT) - 1;
    /** A presynaptic spike reaching the synapses of one delay run (value: run index). */
    static final long ARRIVAL = 0;
    /** The next spike(s) of a spike source (value: source index). */
    static final long SOURCE = 2L << KIND_SHIFT;

    final CompiledNetwork net;
    final DelayRuns runs;
    final EventQueue queue;
    final long[] spikeCounts;
    long queuePushes, queuePops, crossingUpdates, crossingEvents, synapticArrivals, discardedArrivals, membraneUpdates;

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
    }

    void resetCounters() {
        java.util.Arrays.fill(spikeCounts, 0);
        queuePushes = queuePops = crossingUpdates = crossingEvents = synapticArrivals = discardedArrivals = membraneUpdates = 0;
    }

    long push(double time, long payload) {
        queuePushes++;
        return queue.push(time, payload);
    }

    /** Schedules the arrivals of the spikes in {@code spikes[0..n)} emitted at {@code time}, in that order. */
    void propagate(double time, int[] spikes, int n) {
        final int[] preRunStart = runs.preRunStart;
        final double[] runDelay = runs.runDelay;
        for (int k = 0; k < n; k++) {
            int pre = spikes[k];
            spikeCounts[pre]++;
            for (int r = preRunStart[pre], end = preRunStart[pre + 1]; r < end; r++) {
                push(time + runDelay[r], ARRIVAL | r);
            }
        }
    }

    abstract void reset();

    /** Membrane potential of the given neurons at the current point of the run (see the subclasses). */
    abstract void readState(double timeMs, int[] neurons, float[] v);
}
