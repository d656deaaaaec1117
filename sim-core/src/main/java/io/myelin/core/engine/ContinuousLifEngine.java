package io.myelin.core.engine;

import cern.jet.random.engine.MersenneTwister;
import cern.jet.random.engine.RandomEngine;
import io.myelin.core.engine.event.CrossingSchedule;
import io.myelin.core.engine.event.EventQueue;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.SourceSpec;

import java.util.Arrays;

/**
 * Exact event-driven integration of delta-synapse LIF neurons in continuous time (double precision).
 *
 * <p>Between events a neuron relaxes exponentially towards {@code V_inf = V_rest + bias}:
 * {@code V(t) = V_inf + (V(t0) - V_inf)·exp(-(t - t0)/tau_m)}. An arriving weight jumps V. If
 * {@code V_inf > V_th} the neuron reaches threshold on its own at
 * {@code t* = t0 + tau_m·ln((V_inf - V(t0)) / (V_inf - V_th))}; that time is kept in a {@link CrossingSchedule}
 * (one entry per neuron, moved in place whenever an input changes V first) next to the event queue.
 *
 * <p>Semantics, chosen to be the dt &rarr; 0 limit of the clock-driven engine:
 * <ul>
 * <li>All events at exactly the same time are one instant: the arriving weights at a neuron are summed (in
 *     queue order) and added to V(t<sup>-</sup>) before the single threshold test, so simultaneous excitation and
 *     inhibition cancel whatever their order. A crossing at t counts as V(t<sup>-</sup>) = V_th.</li>
 * <li>After a spike at t_s, V is held at V_reset and inputs arriving in {@code (t_s, t_s + t_ref]} are
 *     discarded (counted in {@code discardedArrivals}), as NEST's iaf_psc_delta discards spikes arriving while
 *     refractory; free evolution restarts from V_reset at {@code t_s + t_ref}.</li>
 * <li>Synaptic delays are the specified real values (never rounded); weights are the spec's values as stored in
 *     {@link CompiledNetwork#weight} (float).</li>
 * <li>Explicit source spikes are emitted at their exact times; a Poisson source of n neurons at rate r is one
 *     Poisson process of rate n·r whose spikes go to uniformly drawn neurons (the same law as n independent
 *     processes), with its own seeded stream (so its spikes differ from the clock engine's per-step draws).</li>
 * </ul>
 */
final class ContinuousLifEngine extends EventEngine {
    private final int[] pop;
    private final double[] pTau, pVReset, pVTh, pTRef;
    private final double[] vInf;
    private final double[] v, tFree, refUntil;
    private final CrossingSchedule crossings;
    // Per-instant scratch.
    private final int[] stamp;
    private final double[] input;
    private final int[] arrivalsNow;
    private final boolean[] forced;
    private final int[] touched;
    private int touchedCount, instant;
    private final IntList spikes = new IntList(64);
    private final Source[] sources;

    ContinuousLifEngine(CompiledNetwork net, DelayRuns runs, EventQueue queue) {
        super(net, runs, queue);
        int n = net.neuronCount;
        int pops = net.populations.size();
        pTau = new double[pops];
        pVReset = new double[pops];
        pVTh = new double[pops];
        pTRef = new double[pops];
        double[] pVRest = new double[pops];
        for (CompiledNetwork.PopulationLayout l : net.populations) {
            LifParameters lif = (LifParameters) net.spec.populations().get(l.index()).model();
            pTau[l.index()] = lif.tauMs();
            pVReset[l.index()] = lif.vResetMv();
            pVTh[l.index()] = lif.vThresholdMv();
            pTRef[l.index()] = lif.refractoryMs();
            pVRest[l.index()] = lif.vRestMv();
        }
        pop = net.neuronPopulation;
        vInf = new double[n];
        for (int i = 0; i < n; i++) {
            vInf[i] = pVRest[pop[i]] + net.bias[i];
        }
        v = new double[n];
        tFree = new double[n];
        refUntil = new double[n];
        crossings = new CrossingSchedule(n);
        stamp = new int[n];
        input = new double[n];
        arrivalsNow = new int[n];
        forced = new boolean[n];
        touched = new int[n];
        sources = new Source[net.sources.size()];
        for (CompiledNetwork.SourceLayout l : net.sources) {
            SourceSpec s = net.spec.sources().get(l.index());
            sources[l.index()] = s instanceof SourceSpec.SpikeTimes st ? new ExplicitSource(l, st)
                    : new PoissonSource(l, (SourceSpec.Poisson) s);
        }
        reset();
    }

    @Override
    void reset() {
        clearQueueAndCounters();
        Arrays.fill(stamp, 0);
        instant = 0;
        crossings.clear();
        for (int i = 0; i < v.length; i++) {
            v[i] = net.initialV[i];
            tFree[i] = 0;
            refUntil[i] = Double.NEGATIVE_INFINITY;
            if (v[i] >= pVTh[pop[i]]) {
                crossings.set(i, 0.0);  // starts at threshold: fires at t = 0
            } else {
                scheduleCrossing(i, 0.0, v[i]);
            }
        }
        for (int k = 0; k < sources.length; k++) {
            sources[k].restart(k);
        }
    }

    private void scheduleCrossing(int n, double t0, double v0) {
        double vi = vInf[n];
        double th = pVTh[pop[n]];
        if (vi > th) {
            double tc = t0 + pTau[pop[n]] * Math.log((vi - v0) / (vi - th));
            crossings.set(n, Math.max(tc, t0));
            crossingUpdates++;
        } else {
            crossings.set(n, Double.POSITIVE_INFINITY);
        }
    }

    /** Processes every event with time &le; {@code tEndMs}. */
    void runUntil(double tEndMs, Sink sink) {
        while (true) {
            double t = nextTime();
            if (!(t <= tEndMs)) {
                break;
            }
            sink.reached(t);
            processInstant(t);
            int n = spikes.size();
            if (n > 0) {
                int[] s = spikes.array();
                Arrays.sort(s, 0, n);   // neurons ascending, then sources (their indices come after neurons)
                propagate(t, s, n);
                sink.spikes(t, stepOf(t, net.dtMs), s, n);
            }
        }
    }

    /** Time of the next event or crossing; +infinity when there is none. */
    private double nextTime() {
        double t = crossings.isEmpty() ? Double.POSITIVE_INFINITY : crossings.minTime();
        return queue.isEmpty() ? t : Math.min(t, queue.minTime());
    }

    /** The clock step whose interval (step·dt, (step+1)·dt] holds time t. */
    static long stepOf(double t, double dt) {
        return Math.max(0, (long) Math.ceil(t / dt) - 1);
    }

    private void touch(int n) {
        if (stamp[n] != instant) {
            stamp[n] = instant;
            input[n] = 0;
            arrivalsNow[n] = 0;
            forced[n] = false;
            touched[touchedCount++] = n;
        }
    }

    private void processInstant(double t) {
        instant++;
        touchedCount = 0;
        spikes.clear();
        final int[] runStart = runs.runStart, target = runs.target;
        final double[] weight = runs.weight;
        while (!crossings.isEmpty() && crossings.minTime() == t) {
            int n = crossings.popMin();
            crossingEvents++;
            touch(n);
            forced[n] = true;
        }
        while (!queue.isEmpty() && queue.minTime() == t) {
            queue.pop();
            queuePops++;
            long payload = queue.poppedPayload();
            if ((payload & SOURCE) == 0) {
                int run = arrivalRun(payload);
                for (int s = runStart[run], end = runStart[run + 1]; s < end; s++) {
                    int n = target[s];
                    touch(n);
                    input[n] += weight[s];
                    arrivalsNow[n]++;
                }
                synapticArrivals += runStart[run + 1] - runStart[run];
                nextRun(payload);
            } else {
                int source = (int) (payload & VALUE_MASK);
                sources[source].emit(t, source);
            }
        }

        for (int k = 0; k < touchedCount; k++) {
            int n = touched[k];
            if (t <= refUntil[n]) {
                discardedArrivals += arrivalsNow[n];
                continue;
            }
            int p = pop[n];
            double vt = forced[n] ? pVTh[p] : vInf[n] + (v[n] - vInf[n]) * Math.exp(-(t - tFree[n]) / pTau[p]);
            vt += input[n];
            membraneUpdates[p]++;
            if (vt >= pVTh[p]) {
                spikes.add(n);
                v[n] = pVReset[p];
                refUntil[n] = t + pTRef[p];
                tFree[n] = refUntil[n];
                scheduleCrossing(n, tFree[n], v[n]);
            } else {
                v[n] = vt;
                tFree[n] = t;
                scheduleCrossing(n, t, vt);
            }
        }
    }

    /** V at {@code timeMs}, which must not precede the last processed instant: relaxed analytically from tFree. */
    @Override
    void readState(double timeMs, int[] neurons, float[] out) {
        for (int k = 0; k < neurons.length; k++) {
            int n = neurons[k];
            double vt = v[n];
            if (timeMs > tFree[n]) {
                vt = vInf[n] + (v[n] - vInf[n]) * Math.exp(-(timeMs - tFree[n]) / pTau[pop[n]]);
            }
            out[k] = (float) vt;
        }
    }

    /** Exact V (double) of neuron n at time t &ge; its last update (for tests). */
    double membrane(int n, double t) {
        return t > tFree[n] ? vInf[n] + (v[n] - vInf[n]) * Math.exp(-(t - tFree[n]) / pTau[pop[n]]) : v[n];
    }

    private abstract static class Source {
        abstract void restart(int index);

        abstract void emit(double t, int index);
    }

    /** Explicit spike times, sorted by (time, neuron); all spikes of one time are emitted by one event. */
    private final class ExplicitSource extends Source {
        private final double[] times;
        private final int[] neurons;
        private int cursor;

        ExplicitSource(CompiledNetwork.SourceLayout l, SourceSpec.SpikeTimes st) {
            int n = st.neurons().length;
            Integer[] order = new Integer[n];
            for (int k = 0; k < n; k++) {
                order[k] = k;
            }
            Arrays.sort(order, (a, b) -> st.timesMs()[a] != st.timesMs()[b] ? Double.compare(st.timesMs()[a], st.timesMs()[b])
                    : Integer.compare(st.neurons()[a], st.neurons()[b]));
            times = new double[n];
            neurons = new int[n];
            for (int k = 0; k < n; k++) {
                times[k] = st.timesMs()[order[k]];
                neurons[k] = l.offset() + st.neurons()[order[k]];
            }
        }

        @Override
        void restart(int index) {
            cursor = 0;
            if (times.length > 0) {
                push(times[0], SOURCE | index);
            }
        }

        @Override
        void emit(double t, int index) {
            while (cursor < times.length && times[cursor] == t) {
                spikes.add(neurons[cursor++]);
            }
            if (cursor < times.length) {
                push(times[cursor], SOURCE | index);
            }
        }
    }

    /** n independent Poisson processes as one process of rate n·r with uniformly drawn neurons. */
    private final class PoissonSource extends Source {
        private final int offset, size, seed;
        private final double ratePerMs;
        private RandomEngine rng;

        PoissonSource(CompiledNetwork.SourceLayout l, SourceSpec.Poisson p) {
            offset = l.offset();
            size = l.size();
            ratePerMs = p.rateHz() * size / 1000.0;
            seed = NetworkCompiler.streamSeed(net.spec.seed(), 3_000_000L + l.index());
        }

        @Override
        void restart(int index) {
            rng = new MersenneTwister(seed);
            if (ratePerMs > 0) {
                push(-Math.log(rng.raw()) / ratePerMs, SOURCE | index);
            }
        }

        @Override
        void emit(double t, int index) {
            spikes.add(offset + Math.min(size - 1, (int) (rng.raw() * size)));
            push(t - Math.log(rng.raw()) / ratePerMs, SOURCE | index);
        }
    }
}
