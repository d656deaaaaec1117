package io.myelin.core.engine;

import io.myelin.core.backend.Backend;
import io.myelin.core.backend.JavaBackend;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.SpikeMonitor;

import java.util.Map;

/**
 * The clock-driven engine with event-driven propagation. Each step of {@code dt}: the backend delivers the
 * ring-buffer slot due now, updates every membrane exactly, collects spikes and scatters only the spiking neurons'
 * synapses into the slots of their arrival steps; then monitors record. Cost per step: neurons + synaptic events.
 * The {@link Engine} named "clock" by {@link Engines}.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.create(spec)) {
 *     SpikeMonitor spikes = sim.recordSpikes("exc");
 *     sim.run(1000.0);                       // ms
 *     System.out.println(spikes.count());
 * }
 * }</pre>
 */
public final class Simulator extends MonitoredEngine {
    private final Backend backend;
    private SpikeSchedule schedule;
    /** The layered execution when it runs this network instead of the backend's step loop; null otherwise. */
    private final LayeredExecution layered;
    private final IntList sourceSpikes = new IntList(64);
    private int[] spikeBuffer = new int[64];
    private long step;

    /** Compiles {@code spec} and runs it on the single-threaded Java reference backend. */
    public static Simulator create(NetworkSpec spec) {
        return new Simulator(CompiledNetwork.compile(spec), new JavaBackend(1));
    }

    /** Compiles {@code spec} and runs it on {@code backend} (which this simulator then owns and closes). */
    public static Simulator create(NetworkSpec spec, Backend backend) {
        return new Simulator(CompiledNetwork.compile(spec), backend);
    }

    public Simulator(CompiledNetwork net, Backend backend) {
        this(net, backend, ExecutionStrategy.STEPWISE);
    }

    /**
     * @param execution {@link ExecutionStrategy#AUTO} runs the network layered where it qualifies and the backend is
     *                  the Java backend; {@link ExecutionStrategy#LAYERED} insists (an {@link
     *                  io.myelin.core.InvalidInputException} says why it cannot)
     */
    public Simulator(CompiledNetwork net, Backend backend, ExecutionStrategy execution) {
        super(net, false);
        this.backend = backend;
        this.schedule = new SpikeSchedule(net);
        backend.load(net);
        String why = backend instanceof JavaBackend ? LayeredExecution.whyNot(net)
                : "the " + backend.name() + " backend runs its own step loop";
        if (execution == ExecutionStrategy.LAYERED && why != null) {
            throw new io.myelin.core.InvalidInputException("the network cannot run layered: " + why);
        }
        this.layered = execution != ExecutionStrategy.STEPWISE && why == null ? new LayeredExecution(net, false) : null;
    }

    /** How this simulator advances time. */
    public ExecutionStrategy execution() {
        return layered != null ? ExecutionStrategy.LAYERED : ExecutionStrategy.STEPWISE;
    }

    @Override
    public String name() {
        return Engines.CLOCK;
    }

    /** The backend's device and the time step. */
    @Override
    public String description() {
        return backend.device() + ", dt " + net.spec.dtMs() + " ms" + (layered != null ? ", layered" : "");
    }

    /**
     * The backend; while the network runs {@link ExecutionStrategy#LAYERED layered}, it holds the network but does
     * not run it.
     */
    public Backend backend() {
        return backend;
    }

    /** Advances the network by {@code durationMs} (rounded to whole steps). */
    @Override
    public void run(double durationMs) {
        runSteps(Math.round(Engines.checkDurationMs(durationMs) / net.dtMs));
    }

    /** Advances the network by {@code steps} time steps. */
    @Override
    public void runSteps(long steps) {
        if (layered != null) {
            layered.run(steps, monitors.wantStepSpikes() || monitors.wantStates() ? report : null);
            step += steps;
            return;
        }
        boolean needSpikes = monitors.wantStepSpikes();
        boolean needStates = monitors.wantStates();
        boolean sources = schedule.hasSources();
        long end = step + steps;
        for (; step < end; step++) {
            backend.deliverAndUpdate(step);
            if (sources) {
                schedule.emit(step, sourceSpikes);
            }
            int sourceCount = sources ? sourceSpikes.size() : 0;
            if (!needStates && step + 1 < end) {
                // Nothing reads state before the next step: the backend may start on it (spikes stay readable).
                backend.propagateAndUpdateNext(step, sourceSpikes.array(), sourceCount);
            } else {
                backend.propagate(step, sourceSpikes.array(), sourceCount);
            }
            if (needSpikes) {
                int n = backend.spikeCount();
                if (spikeBuffer.length < n) {
                    spikeBuffer = new int[Math.max(n, spikeBuffer.length * 2)];
                }
                backend.copySpikes(spikeBuffer);
                monitors.spikes(step, spikeBuffer, n);
            }
            if (needStates) {
                monitors.sampleStates(step, backend);
            }
        }
    }

    @Override
    public long currentStep() {
        return step;
    }

    @Override
    public double timeMs() {
        return step * net.dtMs;
    }

    @Override
    public void reset() {
        if (layered != null) {
            layered.reset();
        } else {
            backend.reset();
            schedule.reset();
        }
        step = 0;
    }

    /** New source spikes: the backend (or the layered execution) takes the network again, same synapse arrays. */
    @Override
    public void reset(java.util.List<io.myelin.core.model.SourceSpec.SpikeTimes> sources) {
        rebind(net.withSpikeTimes(sources));
    }

    @Override
    public void resetPrepared(java.util.List<PreparedSpikes> sources) {
        rebind(net.withPreparedSpikes(sources));
    }

    private void rebind(CompiledNetwork next) {
        net = next;
        if (layered != null) {
            layered.rebind(net);
        } else {
            schedule = new SpikeSchedule(net);
            backend.load(net);
        }
        step = 0;
    }

    private final LayeredExecution.Report report = new LayeredExecution.Report() {
        @Override
        public boolean wantSpikes() {
            return monitors.wantStepSpikes();
        }

        @Override
        public boolean wantStates() {
            return monitors.wantStates();
        }

        @Override
        public boolean wantStates(String population) {
            return monitors.wantStates(population);
        }

        @Override
        public void step(long s, int[] spikes, int count, io.myelin.core.monitor.StateSource states) {
            if (spikes != null) {
                monitors.spikes(s, spikes, count);
            }
            if (states != null) {
                monitors.sampleStates(s, states);
            }
        }
    };

    /** Exact operation counts of everything simulated since the start (or the last reset); every neuron updates every step. */
    @Override
    public OperationCounts operationCounts() {
        long[] spikes = layered != null ? layered.spikeCounts() : backend.spikeCountsPerIndex();
        return counter.count(step, spikes, counter.everyNeuronEveryStep(step));
    }

    /** None: the clock engine's work is all in {@link #operationCounts()}. */
    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    public void close() {
        backend.close();
    }
}
