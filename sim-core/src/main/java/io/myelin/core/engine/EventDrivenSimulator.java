package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;
import io.myelin.core.engine.event.BinaryHeapEventQueue;
import io.myelin.core.engine.event.CalendarEventQueue;
import io.myelin.core.engine.event.EventQueue;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.RateMonitor;
import io.myelin.core.monitor.SpikeListener;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import io.myelin.core.monitor.StateSource;
import io.myelin.core.monitor.TimedSpikeListener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact event-driven engine: work is proportional to events (spikes, synaptic arrivals), not to time steps.
 * It takes the same {@link NetworkSpec} and monitors as the clock-driven {@link Simulator} and runs in one of two
 * modes, chosen from the neuron models:
 * <ul>
 * <li>{@link Mode#CONTINUOUS} — every population is {@link LifParameters} with delta synapses
 *     ({@code tauExcMs = tauInhMs = 0}): membranes are advanced analytically between events, delays are the
 *     specified real numbers, spikes happen at exact (double precision) times. A suprathreshold bias makes a
 *     neuron fire on its own at the analytic crossing time {@code t0 + tau·ln((V_inf - V0)/(V_inf - V_th))}.
 *     Weights arriving at one neuron at exactly the same time are summed before one threshold test. After a
 *     spike at t_s, V is held at V_reset and inputs arriving in {@code (t_s, t_s + t_ref]} are discarded, as
 *     NEST's iaf_psc_delta discards spikes arriving while refractory (and as the clock engine does, so the two
 *     agree as dt &rarr; 0). {@code dt} only sets the step a spike is binned into for rate monitors and the grid
 *     of state samples. Poisson sources draw their own continuous-time stream (not the clock engine's).</li>
 * <li>{@link Mode#DISCRETE} — every population is {@link DiscreteLifParameters}: time is the integer step, delays
 *     are the clock engine's {@code delaySteps}, and results are bit-identical to {@link Simulator} on the Java
 *     backend (so an exported trained network can run event-driven; checked on hand-built networks, the check on
 *     an exported trained model waits for the trainer's export).</li>
 * </ul>
 * Anything else — exponential synaptic currents, a mix of both models — is rejected with an
 * {@link InvalidInputException} naming the population: the engine never approximates silently.
 *
 * <p>Simultaneous events are processed in a fixed order: by time; within one instant, bias-driven threshold
 * crossings (neurons ascending) and then queued events in the order they were scheduled, whose weights are summed
 * per neuron in that order before one threshold test per neuron; the instant's spikes are propagated neurons
 * ascending, then source spikes. Both queues ({@link QueueKind}) produce exactly
 * this order, hence bit-identical runs.
 */
public final class EventDrivenSimulator {

    /** The event queue implementation. */
    public enum QueueKind {
        /** Binary heap: O(log n) per event, the reference. */
        HEAP,
        /**
         * Calendar queue: O(1) appends plus one sort per bucket. Buckets are 1 step wide in discrete mode; in
         * continuous mode dt or a quarter of the mean gap between a neuron's successive delays, whichever is
         * smaller (a spike's next delay run should land in a later bucket), with a ring spanning the longest delay
         * and 5 membrane time constants.
         */
        CALENDAR
    }

    /** Time model, decided by the neuron models of the spec. */
    public enum Mode { CONTINUOUS, DISCRETE }

    private final CompiledNetwork net;
    private final Mode mode;
    private final EventEngine engine;
    private final String queueName;
    private final List<TimedSpikeListener> timedListeners = new ArrayList<>();
    private final List<SpikeListener> stepListeners = new ArrayList<>();
    private final List<StateMonitor> stateMonitors = new ArrayList<>();
    private final Sink sink = new Sink();
    private double nowMs;
    private long stateStep;
    private double wallSeconds;

    /**
     * Compiles {@code spec} and simulates it with the binary-heap queue: since a spike in flight holds one queue
     * entry (see {@code EventEngine}), the queue stays small and the heap is the faster choice except with shared
     * delays (BENCHMARKS.md, "Event-driven engine").
     */
    public static EventDrivenSimulator create(NetworkSpec spec) {
        return create(spec, QueueKind.HEAP);
    }

    public static EventDrivenSimulator create(NetworkSpec spec, QueueKind queue) {
        return new EventDrivenSimulator(CompiledNetwork.compile(checkSupported(spec)), queue);
    }

    public EventDrivenSimulator(CompiledNetwork net, QueueKind queue) {
        this.net = net;
        this.mode = modeOf(checkSupported(net.spec));
        DelayRuns runs = new DelayRuns(net, mode == Mode.DISCRETE);
        EventQueue q;
        if (queue == QueueKind.HEAP) {
            q = new BinaryHeapEventQueue(1024);
        } else if (mode == Mode.DISCRETE) {
            q = new CalendarEventQueue(1.0, runs.maxDelay());
        } else {
            // Bias-driven threshold crossings are scheduled up to a few membrane time constants ahead: the ring
            // should reach them too, or they would all go through the overflow heap.
            double maxTau = 0;
            for (PopulationSpec p : net.spec.populations()) {
                maxTau = Math.max(maxTau, ((LifParameters) p.model()).tauMs());
            }
            q = new CalendarEventQueue(Math.min(net.dtMs, runs.meanRunGap() / 4), Math.max(runs.maxDelay(), 5 * maxTau));
        }
        this.queueName = q.name();
        this.engine = mode == Mode.DISCRETE ? new DiscreteLifEngine(net, runs, q) : new ContinuousLifEngine(net, runs, q);
    }

    /**
     * Checks that every population can be simulated exactly; throws {@link InvalidInputException} naming the first
     * one that cannot.
     */
    public static NetworkSpec checkSupported(NetworkSpec spec) {
        spec.validate();
        modeOf(spec);
        return spec;
    }

    private static Mode modeOf(NetworkSpec spec) {
        Mode mode = null;
        String first = null;
        for (int i = 0; i < spec.populations().size(); i++) {
            PopulationSpec p = spec.populations().get(i);
            String where = "populations[" + i + "] '" + p.name() + "'";
            Mode m;
            if (p.model() instanceof LifParameters lif) {
                if (!lif.deltaExcitatory() || !lif.deltaInhibitory()) {
                    throw new InvalidInputException(where + ": exponential synaptic currents (tauExcMs = " + lif.tauExcMs()
                            + ", tauInhMs = " + lif.tauInhMs() + ") cannot be simulated exactly by the event-driven "
                            + "engine; use delta synapses (tauExcMs = tauInhMs = 0) or the clock-driven engine");
                }
                m = Mode.CONTINUOUS;
            } else if (p.model() instanceof DiscreteLifParameters) {
                m = Mode.DISCRETE;
            } else {
                throw new InvalidInputException(where + ": neuron model " + p.model() + " is not supported by the event-driven engine");
            }
            if (mode == null) {
                mode = m;
                first = where;
            } else if (mode != m) {
                throw new InvalidInputException(where + " is " + describe(m) + " but " + first + " is " + describe(mode)
                        + "; the event-driven engine runs one time model per network");
            }
        }
        return mode;
    }

    private static String describe(Mode m) {
        return m == Mode.DISCRETE ? "discrete-time LIF" : "continuous-time LIF";
    }

    public CompiledNetwork network() {
        return net;
    }

    public Mode mode() {
        return mode;
    }

    /** "heap" or "calendar". */
    public String queueName() {
        return queueName;
    }

    /** Records every spike of a population or source (exact times in continuous mode). */
    public SpikeMonitor recordSpikes(String group) {
        return recordSpikes(group, null);
    }

    public SpikeMonitor recordSpikes(String group, int[] subset) {
        CompiledNetwork.Group g = net.group(group);
        SpikeMonitor m = new SpikeMonitor(g.name(), g.offset(), g.size(), subset, net.dtMs);
        if (mode == Mode.CONTINUOUS) {
            timedListeners.add(m);
        } else {
            stepListeners.add(m);
        }
        return m;
    }

    /** Population rate per dt bin; a spike at t falls in the step whose interval (step·dt, (step+1)·dt] holds t. */
    public RateMonitor recordRate(String group) {
        CompiledNetwork.Group g = net.group(group);
        RateMonitor m = new RateMonitor(g.name(), g.offset(), g.size(), net.dtMs);
        stepListeners.add(m);
        return m;
    }

    /**
     * Samples V of some neurons (local indices) at times {@code (step+1)·dt} for steps that are multiples of
     * {@code everySteps}, after every event up to and including that time (as the clock engine samples after a
     * step's update). In continuous mode V is evaluated analytically at the sample time; currents are 0.
     */
    public StateMonitor recordState(String population, int[] neurons, int everySteps) {
        CompiledNetwork.PopulationLayout p = net.population(population);
        StateMonitor m = new StateMonitor(p.name(), p.offset(), p.size(), neurons, everySteps, net.dtMs);
        stateMonitors.add(m);
        return m;
    }

    public void addSpikeListener(SpikeListener l) {
        stepListeners.add(l);
    }

    public void addTimedSpikeListener(TimedSpikeListener l) {
        timedListeners.add(l);
    }


    /**
     * Advances by {@code durationMs}: every event up to and including the new time is processed (in discrete mode
     * the duration is rounded to whole steps, as in {@link Simulator#run(double)}).
     */
    public void run(double durationMs) {
        if (!(durationMs >= 0) || Double.isInfinite(durationMs)) {
            throw new InvalidInputException("run duration must be a finite number of ms >= 0, got " + durationMs);
        }
        long t0 = System.nanoTime();
        if (mode == Mode.DISCRETE) {
            DiscreteLifEngine d = (DiscreteLifEngine) engine;
            long end = d.step() + Math.round(durationMs / net.dtMs);
            d.runUntil(end, !stateMonitors.isEmpty(), sink);
            nowMs = end * net.dtMs;
            stateStep = end;
        } else {
            double end = nowMs + durationMs;
            long endStep = Math.round(end / net.dtMs);
            anchorRates(Math.round(nowMs / net.dtMs));
            ((ContinuousLifEngine) engine).runUntil(end, sink);
            nowMs = end;
            sampleStatesBefore(Double.POSITIVE_INFINITY, endStep);
            anchorRates(endStep - 1);
        }
        wallSeconds += (System.nanoTime() - t0) / 1e9;
    }

    /** Rate monitors bin per step from their first call: mark the run's first and last steps as (possibly) silent. */
    private void anchorRates(long step) {
        if (step < 0) {
            return;
        }
        for (SpikeListener l : stepListeners) {
            l.onSpikes(step, new int[0], 0);
        }
    }

    private void sampleStatesBefore(double timeMs, long endStep) {
        if (stateMonitors.isEmpty()) {
            return;
        }
        while (stateStep < endStep && (stateStep + 1) * net.dtMs < timeMs) {
            double ts = (stateStep + 1) * net.dtMs;
            StateSource src = (neurons, v, e, i) -> {
                engine.readState(ts, neurons, v);
                if (e != null) {
                    java.util.Arrays.fill(e, 0f);
                }
                if (i != null) {
                    java.util.Arrays.fill(i, 0f);
                }
            };
            for (StateMonitor m : stateMonitors) {
                m.sample(stateStep, src);
            }
            stateStep++;
        }
    }

    private final class Sink implements EventEngine.Sink {
        @Override
        public void spikes(double timeMs, long step, int[] spikes, int count) {
            for (TimedSpikeListener l : timedListeners) {
                l.onSpikesAt(timeMs, step, spikes, count);
            }
            for (SpikeListener l : stepListeners) {
                l.onSpikes(step, spikes, count);
            }
        }

        @Override
        public void reached(double timeMs) {
            sampleStatesBefore(timeMs, Long.MAX_VALUE);
        }

        @Override
        public void stepDone(long step) {
            if (stateMonitors.isEmpty()) {
                return;
            }
            double ts = (step + 1) * net.dtMs;
            StateSource src = (neurons, v, e, i) -> {
                engine.readState(ts, neurons, v);
                if (e != null) {
                    java.util.Arrays.fill(e, 0f);
                }
                if (i != null) {
                    java.util.Arrays.fill(i, 0f);
                }
            };
            for (StateMonitor m : stateMonitors) {
                m.sample(step, src);
            }
        }
    }

    /** Simulated time (ms). */
    public double timeMs() {
        return nowMs;
    }

    /** Back to the initial state at time 0 (monitors keep what they recorded); Poisson sources replay. */
    public void reset() {
        engine.reset();
        nowMs = 0;
        stateStep = 0;
    }

    /**
     * Exact operation counts since the start or the last reset. Spikes and synaptic events are counted as in the
     * clock engine (spikes × fan-out); {@code steps} is the simulated time in dt steps, and {@code neuronUpdates}
     * the membrane updates actually performed (one per neuron per instant it received input or crossed threshold,
     * plus the discrete mode's active neurons) — this is where event-driven saves work.
     */
    public OperationCounts operationCounts() {
        long[] perIndex = engine.spikeCounts;
        Map<String, Long> spikes = new LinkedHashMap<>();
        for (CompiledNetwork.PopulationLayout p : net.populations) {
            spikes.put(p.name(), sum(perIndex, p.offset(), p.size()));
        }
        for (CompiledNetwork.SourceLayout s : net.sources) {
            spikes.put(s.name(), sum(perIndex, s.offset(), s.size()));
        }
        Map<String, Long> events = new LinkedHashMap<>();
        for (CompiledNetwork.ProjectionLayout pr : net.projections) {
            long e = 0;
            int[] fan = pr.fanOut();
            for (int i = 0; i < fan.length; i++) {
                e += perIndex[pr.preOffset() + i] * fan[i];
            }
            events.put(pr.name(), e);
        }
        return new OperationCounts(Math.round(nowMs / net.dtMs), engine.membraneUpdates, spikes, events);
    }

    /** Engine-level counters: what the queue and the membranes did. */
    public EventStatistics statistics() {
        return new EventStatistics(engine.queuePushes, engine.queuePops, engine.crossingUpdates, engine.crossingEvents,
                engine.synapticArrivals,
                engine.discardedArrivals, engine.membraneUpdates, wallSeconds);
    }

    /**
     * @param queuePushes       events scheduled
     * @param queuePops         events processed (spike arrivals per delay run, source emissions)
     * @param crossingUpdates   threshold-crossing times computed and (re)scheduled (continuous mode, bias above
     *                          threshold)
     * @param crossingEvents    neurons that reached threshold on their own (bias-driven crossings processed)
     * @param synapticArrivals  synaptic events delivered to neurons (including discarded ones)
     * @param discardedArrivals synaptic events that arrived during refractoriness and were dropped
     * @param membraneUpdates   membrane updates performed
     * @param wallSeconds       wall time spent in {@link #run(double)}
     */
    public record EventStatistics(long queuePushes, long queuePops, long crossingUpdates, long crossingEvents,
                                  long synapticArrivals,
                                  long discardedArrivals, long membraneUpdates, double wallSeconds) {
    }

    /** Exact membrane potential (mV) of a neuron (global index) at time t &ge; its last event; continuous mode only. */
    double membraneMv(int neuron, double timeMs) {
        return ((ContinuousLifEngine) engine).membrane(neuron, timeMs);
    }

    private static long sum(long[] a, int from, int n) {
        long s = 0;
        for (int i = from; i < from + n; i++) {
            s += a[i];
        }
        return s;
    }
}
