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
import io.myelin.core.monitor.StateSource;
import io.myelin.core.monitor.TimedSpikeListener;

import java.util.Arrays;
import java.util.LinkedHashMap;
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
 *
 * <p>Monitors see the same things as on the clock engine: spike monitors record exact times in continuous mode; a
 * rate monitor bins per dt, a spike at t falling in the step whose interval {@code (step·dt, (step+1)·dt]} holds t;
 * a state monitor samples V at times {@code (step+1)·dt}, after every event up to and including that time (as the
 * clock engine samples after a step's update), evaluated analytically in continuous mode, with currents 0.
 *
 * <p>The {@link Engine} named "event" by {@link Engines}.
 */
public final class EventDrivenSimulator extends MonitoredEngine {

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
        CALENDAR;

        /** The queue called {@code name} ("heap" or "calendar"). */
        public static QueueKind of(String name) {
            for (QueueKind q : values()) {
                if (q.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
                    return q;
                }
            }
            throw new InvalidInputException("event queue must be 'heap' or 'calendar', got '" + name + "'");
        }
    }

    /** Time model, decided by the neuron models of the spec. */
    public enum Mode { CONTINUOUS, DISCRETE }

    private final Mode mode;
    private EventEngine engine;
    private final EventQueue queue;
    /** The layered execution when it runs this (discrete, feed-forward) network; null otherwise. */
    private final LayeredExecution layered;
    private final String queueName;
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
        this(net, queue, ExecutionStrategy.STEPWISE);
    }

    /**
     * @param execution {@link ExecutionStrategy#AUTO} runs a qualifying discrete-time network {@link LayeredExecution
     *                  layered} (same spikes, membranes and counts, membrane updates counted as this engine performs
     *                  them); {@link ExecutionStrategy#LAYERED} insists
     */
    public EventDrivenSimulator(CompiledNetwork net, QueueKind queue, ExecutionStrategy execution) {
        super(net, modeOf(checkSupported(net.spec)) == Mode.CONTINUOUS);
        this.mode = modeOf(net.spec);
        String why = mode == Mode.DISCRETE ? LayeredExecution.whyNot(net) : "it runs in continuous time";
        if (execution == ExecutionStrategy.LAYERED && why != null) {
            throw new InvalidInputException("the network cannot run layered: " + why);
        }
        boolean layer = execution != ExecutionStrategy.STEPWISE && why == null;
        // Layered execution needs neither delay runs nor a queue integrator: none are built for it.
        DelayRuns runs = layer ? null : new DelayRuns(net, mode == Mode.DISCRETE);
        EventQueue q;
        if (queue == QueueKind.HEAP) {
            q = new BinaryHeapEventQueue(1024);
        } else if (mode == Mode.DISCRETE) {
            q = new CalendarEventQueue(1.0, layer ? net.maxDelaySteps : runs.maxDelay());
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
        this.queue = q;
        this.layered = layer ? new LayeredExecution(net, true) : null;
        this.engine = layer ? null
                : mode == Mode.DISCRETE ? new DiscreteLifEngine(net, runs, q) : new ContinuousLifEngine(net, runs, q);
    }

    /** How this engine advances time. */
    public ExecutionStrategy execution() {
        return layered != null ? ExecutionStrategy.LAYERED : ExecutionStrategy.STEPWISE;
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

    @Override
    public String name() {
        return Engines.EVENT;
    }

    /** The queue and the time model, e.g. "heap queue, continuous time". */
    @Override
    public String description() {
        return layered != null ? "layered, discrete time"
                : queueName + " queue, " + mode.name().toLowerCase(java.util.Locale.ROOT) + " time";
    }

    public Mode mode() {
        return mode;
    }

    /** "heap" or "calendar". */
    public String queueName() {
        return queueName;
    }

    /** Receives every spike with its exact time (continuous mode: the true spike time; discrete: the step's end). */
    public void addTimedSpikeListener(TimedSpikeListener l) {
        monitors.addTimedSpikeListener(l);
    }

    /**
     * Advances by {@code durationMs}: every event up to and including the new time is processed (in discrete mode
     * the duration is rounded to whole steps, as in {@link Simulator#run(double)}).
     */
    @Override
    public void run(double durationMs) {
        Engines.checkDurationMs(durationMs);
        if (mode == Mode.DISCRETE) {
            runSteps(Math.round(durationMs / net.dtMs));
        } else {
            runContinuousUntil(nowMs + durationMs);
        }
    }

    /**
     * Advances by {@code steps} steps of dt: in continuous mode up to the time {@code (currentStep() + steps)·dt}, a
     * point of the dt grid however many pieces the run is split into.
     */
    @Override
    public void runSteps(long steps) {
        if (layered != null) {
            long t0 = System.nanoTime();
            layered.run(steps, monitors.wantAnySpikes() || monitors.wantStates() ? layeredReport : null);
            nowMs = layered.step() * net.dtMs;
            stateStep = layered.step();
            wallSeconds += (System.nanoTime() - t0) / 1e9;
        } else if (mode == Mode.DISCRETE) {
            long t0 = System.nanoTime();
            DiscreteLifEngine d = (DiscreteLifEngine) engine;
            long end = d.step() + steps;
            d.runUntil(end, monitors.wantStates(), sink);
            nowMs = end * net.dtMs;
            stateStep = end;
            wallSeconds += (System.nanoTime() - t0) / 1e9;
        } else {
            runContinuousUntil((currentStep() + steps) * net.dtMs);
        }
    }

    private void runContinuousUntil(double end) {
        long t0 = System.nanoTime();
        long endStep = Math.round(end / net.dtMs);
        anchorRates(Math.round(nowMs / net.dtMs));
        ((ContinuousLifEngine) engine).runUntil(end, sink);
        nowMs = end;
        sampleStatesBefore(Double.POSITIVE_INFINITY, endStep);
        anchorRates(endStep - 1);
        wallSeconds += (System.nanoTime() - t0) / 1e9;
    }

    /** Rate monitors bin per step from their first call: mark the run's first and last steps as (possibly) silent. */
    private void anchorRates(long step) {
        if (step < 0) {
            return;
        }
        monitors.spikes(step, new int[0], 0);
    }

    private void sampleStatesBefore(double timeMs, long endStep) {
        if (!monitors.wantStates()) {
            return;
        }
        while (stateStep < endStep && (stateStep + 1) * net.dtMs < timeMs) {
            sampleStates(stateStep);
            stateStep++;
        }
    }

    /** State monitors sample the state at the end of step {@code step}, time {@code (step + 1)·dt}. */
    private void sampleStates(long step) {
        double ts = (step + 1) * net.dtMs;
        StateSource src = (neurons, v, e, i) -> {
            engine.readState(ts, neurons, v);
            if (e != null) {
                Arrays.fill(e, 0f);
            }
            if (i != null) {
                Arrays.fill(i, 0f);
            }
        };
        monitors.sampleStates(step, src);
    }

    private final class Sink implements EventEngine.Sink {
        @Override
        public void spikes(double timeMs, long step, int[] spikes, int count) {
            monitors.spikesAt(timeMs, step, spikes, count);
        }

        @Override
        public void reached(double timeMs) {
            sampleStatesBefore(timeMs, Long.MAX_VALUE);
        }

        @Override
        public void stepDone(long step) {
            if (monitors.wantStates()) {
                sampleStates(step);
            }
        }
    }

    /** Simulated time (ms). */
    @Override
    public double timeMs() {
        return nowMs;
    }

    /** Whole steps of dt simulated (the nearest, in continuous mode after a run of a duration off the grid). */
    @Override
    public long currentStep() {
        return Math.round(nowMs / net.dtMs);
    }

    /** Back to the initial state at time 0 (monitors keep what they recorded); Poisson sources replay. */
    @Override
    public void reset() {
        if (layered != null) {
            layered.reset();
        } else {
            engine.reset();
        }
        nowMs = 0;
        stateStep = 0;
    }

    private final LayeredExecution.Report layeredReport = new LayeredExecution.Report() {
        @Override
        public boolean wantSpikes() {
            return monitors.wantAnySpikes();
        }

        @Override
        public boolean wantStates() {
            return monitors.wantStates();
        }

        @Override
        public boolean wantStates(String population) {
            return monitors.wantStates(population);
        }

        /** As the discrete engine reports: spikes only in steps that have some, then the state after the step. */
        @Override
        public void step(long s, int[] spikes, int count, StateSource states) {
            if (spikes != null && count > 0) {
                monitors.spikesAt((s + 1) * net.dtMs, s, spikes, count);
            }
            if (states != null) {
                monitors.sampleStates(s, states);
            }
        }
    };

    /** New source spikes: the synapses' delay runs are kept unless the fixed-point scale changed with them. */
    @Override
    public void reset(java.util.List<io.myelin.core.model.SourceSpec.SpikeTimes> sources) {
        rebind(net.withSpikeTimes(sources));
    }

    @Override
    public void resetPrepared(java.util.List<PreparedSpikes> sources) {
        rebind(net.withPreparedSpikes(sources));
    }

    private void rebind(CompiledNetwork next) {
        if (layered != null) {
            net = next;
            layered.rebind(net);
            nowMs = 0;
            stateStep = 0;
            return;
        }
        DelayRuns runs = next.weightFixed == net.weightFixed ? engine.runs : new DelayRuns(next, mode == Mode.DISCRETE);
        net = next;
        engine = mode == Mode.DISCRETE ? new DiscreteLifEngine(net, runs, queue) : new ContinuousLifEngine(net, runs, queue);
        nowMs = 0;
        stateStep = 0;
    }

    /**
     * Exact operation counts since the start or the last reset. Spikes and synaptic events are counted as in the
     * clock engine (spikes × fan-out); {@code steps} is the simulated time in dt steps, and {@code neuronUpdates}
     * the membrane updates actually performed (one per neuron per instant it received input or crossed threshold,
     * plus the discrete mode's active neurons) — this is where event-driven saves work.
     */
    @Override
    public OperationCounts operationCounts() {
        if (layered != null) {
            return counter.count(currentStep(), layered.spikeCounts(), layered.updates());
        }
        return counter.count(currentStep(), engine.spikeCounts, engine.membraneUpdates);
    }

    /** {@link #statistics()} by name (queue_pushes, queue_pops, ..., without the wall time). */
    @Override
    public Map<String, Long> counters() {
        EventStatistics s = statistics();
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("queue_pushes", s.queuePushes());
        c.put("queue_pops", s.queuePops());
        c.put("crossing_updates", s.crossingUpdates());
        c.put("crossing_events", s.crossingEvents());
        c.put("synaptic_arrivals", s.synapticArrivals());
        c.put("discarded_arrivals", s.discardedArrivals());
        c.put("membrane_updates", s.membraneUpdates());
        return c;
    }

    /** Nothing to release: the engine holds only heap memory. */
    @Override
    public void close() {
    }

    /** Engine-level counters: what the queue and the membranes did. */
    public EventStatistics statistics() {
        if (layered != null) {
            // no queue: only the membrane updates mean the same thing here
            long u = 0;
            for (long x : layered.updates()) {
                u += x;
            }
            return new EventStatistics(0, 0, 0, 0, 0, 0, u, wallSeconds);
        }
        return new EventStatistics(engine.queuePushes, engine.queuePops, engine.crossingUpdates, engine.crossingEvents,
                engine.synapticArrivals,
                engine.discardedArrivals, engine.totalMembraneUpdates(), wallSeconds);
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
     * @param wallSeconds       wall time spent running ({@link #run(double)}, {@link #runSteps(long)})
     */
    public record EventStatistics(long queuePushes, long queuePops, long crossingUpdates, long crossingEvents,
                                  long synapticArrivals,
                                  long discardedArrivals, long membraneUpdates, double wallSeconds) {
    }

    /** Exact membrane potential (mV) of a neuron (global index) at time t &ge; its last event; continuous mode only. */
    double membraneMv(int neuron, double timeMs) {
        return ((ContinuousLifEngine) engine).membrane(neuron, timeMs);
    }

}
