package io.myelin.core.engine;

import io.myelin.core.engine.event.EventQueue;

import java.util.Arrays;

/**
 * Event-driven simulation of discrete-time LIF populations ({@code KIND_DISCRETE_LIF}) with integer delays, bit-for-bit
 * equal to the clock-driven {@link Simulator} on the Java backend: the same fixed-point input sums, the same float
 * expression {@code H = V - V/tau + (inE·2^-b + inI·2^-b + bias)}, the same spike order.
 *
 * <p>Only neurons that need it are updated in a step: those receiving input and those still "active". A neuron is
 * dormant when its silent update (no input, only its bias) is a bitwise fixed point that does not reach threshold:
 * skipping its updates then changes nothing, so the result is exact. A decaying neuron is iterated step by step
 * with the very same float expression until it reaches such a fixed point (for tau = 1.005 steps that takes a few
 * tens of steps; V underflows to 0). A neuron whose silent trajectory never settles (a bias that keeps it firing)
 * stays active and costs one update per step, as in the clock engine. Source spikes come from the same
 * {@link SpikeSchedule} as the clock engine's, step by step.
 */
final class DiscreteLifEngine extends EventEngine {
    private final float[] v;
    private final int[] accE, accI;
    private final int[] stamp;
    private int stampId;
    private final int[] touched;
    private int touchedCount;
    private int[] active, nextActive;
    private int activeCount;
    private final IntList spikes = new IntList(64);
    private final IntList sourceSpikes = new IntList(64);
    private final SpikeSchedule schedule;
    private final float inv;
    private long step;

    DiscreteLifEngine(CompiledNetwork net, DelayRuns runs, EventQueue queue) {
        super(net, runs, queue);
        int n = net.neuronCount;
        v = new float[n];
        accE = new int[n];
        accI = new int[n];
        stamp = new int[n];
        touched = new int[n];
        active = new int[n];
        nextActive = new int[n];
        schedule = new SpikeSchedule(net);
        inv = net.scale.inverse();
        reset();
    }

    @Override
    void reset() {
        clearQueueAndCounters();
        schedule.reset();
        System.arraycopy(net.initialV, 0, v, 0, v.length);
        Arrays.fill(accE, 0);
        Arrays.fill(accI, 0);
        Arrays.fill(stamp, 0);
        stampId = 0;
        activeCount = v.length;   // nothing is known about the initial state: update everyone once
        for (int i = 0; i < activeCount; i++) {
            active[i] = i;
        }
        step = 0;
    }

    long step() {
        return step;
    }

    /**
     * Simulates steps up to {@code endStep} (exclusive). With {@code everyStep} false, steps in which nothing can
     * happen (no active neuron, no source, no arrival) are skipped without calling the sink.
     */
    void runUntil(long endStep, boolean everyStep, Sink sink) {
        boolean sources = schedule.hasSources();
        while (step < endStep) {
            if (!everyStep && !sources && activeCount == 0) {
                long next = queue.isEmpty() ? endStep : Math.min(endStep, (long) queue.minTime());
                if (next > step) {
                    step = next;
                    continue;
                }
            }
            processStep(step, sources, sink);
            sink.stepDone(step);
            step++;
        }
    }

    private void touch(int n) {
        if (stamp[n] != stampId) {
            stamp[n] = stampId;
            touched[touchedCount++] = n;
        }
    }

    private void processStep(long k, boolean sources, Sink sink) {
        stampId++;
        touchedCount = 0;
        for (int a = 0; a < activeCount; a++) {
            touch(active[a]);
        }
        final int[] runStart = runs.runStart, target = runs.target, wf = runs.weightFixed;
        final byte[] receptor = runs.receptor;
        while (!queue.isEmpty() && queue.minTime() == k) {
            queue.pop();
            queuePops++;
            long payload = queue.poppedPayload();
            int r = arrivalRun(payload);
            for (int s = runStart[r], end = runStart[r + 1]; s < end; s++) {
                int n = target[s];
                touch(n);
                if (receptor[s] == 0) {
                    accE[n] += wf[s];
                } else {
                    accI[n] += wf[s];
                }
            }
            synapticArrivals += runStart[r + 1] - runStart[r];
            nextRun(payload);
        }
        spikes.clear();
        int newActive = 0;
        final float[] bias = net.bias;
        for (int t = 0; t < touchedCount; t++) {
            int i = touched[t];
            int p = net.neuronPopulation[i];
            float tau = net.pTauSteps[p], vTh = net.pVThreshold[p], vReset = net.pVReset[p];
            // Exactly JavaBackend.updateDiscrete's expression and order.
            float x = accE[i] * inv + accI[i] * inv + bias[i];
            accE[i] = 0;
            accI[i] = 0;
            float vi = v[i];
            float h = vi - vi / tau + x;
            if (h >= vTh) {
                h = vReset;
                spikes.add(i);
            }
            v[i] = h;
            membraneUpdates[p]++;
            float silentX = 0 * inv + 0 * inv + bias[i];
            float next = h - h / tau + silentX;
            if (next >= vTh || Float.floatToRawIntBits(next) != Float.floatToRawIntBits(h)) {
                nextActive[newActive++] = i;
            }
        }
        int[] swap = active;
        active = nextActive;
        nextActive = swap;
        activeCount = newActive;
        int n = spikes.size();
        Arrays.sort(spikes.array(), 0, n);
        if (sources) {
            schedule.emit(k, sourceSpikes);
            for (int s = 0; s < sourceSpikes.size(); s++) {
                spikes.add(sourceSpikes.get(s));
            }
            n = spikes.size();
        }
        if (n > 0) {
            propagate(k, spikes.array(), n);
            sink.spikes((k + 1) * net.dtMs, k, spikes.array(), n);
        }
    }

    @Override
    void readState(double timeMs, int[] neurons, float[] out) {
        for (int k = 0; k < neurons.length; k++) {
            out[k] = v[neurons[k]];
        }
    }
}
