package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;
import io.myelin.core.backend.Backend;
import io.myelin.core.backend.JavaBackend;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.RateMonitor;
import io.myelin.core.monitor.SpikeListener;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clock-driven engine with event-driven propagation. Each step of {@code dt}: the backend delivers the
 * ring-buffer slot due now, updates every membrane exactly, collects spikes and scatters only the spiking neurons'
 * synapses into the slots of their arrival steps; then monitors record. Cost per step: neurons + synaptic events.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.create(spec)) {
 *     SpikeMonitor spikes = sim.recordSpikes("exc");
 *     sim.run(1000.0);                       // ms
 *     System.out.println(spikes.count());
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
    private final CompiledNetwork net;
    private final Backend backend;
    private final SpikeSchedule schedule;
    private final IntList sourceSpikes = new IntList(64);
    private final List<SpikeListener> spikeListeners = new ArrayList<>();
    private final List<StateMonitor> stateMonitors = new ArrayList<>();
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
        this.net = net;
        this.backend = backend;
        this.schedule = new SpikeSchedule(net);
        backend.load(net);
    }

    public CompiledNetwork network() {
        return net;
    }

    public Backend backend() {
        return backend;
    }

    /** Records every spike of a population or source. */
    public SpikeMonitor recordSpikes(String group) {
        return recordSpikes(group, null);
    }

    /** Records the spikes of some neurons (local indices) of a population or source. */
    public SpikeMonitor recordSpikes(String group, int[] subset) {
        CompiledNetwork.Group g = net.group(group);
        SpikeMonitor m = new SpikeMonitor(g.name(), g.offset(), g.size(), subset, net.dtMs);
        spikeListeners.add(m);
        return m;
    }

    /** Records the population rate of a population or source per step. */
    public RateMonitor recordRate(String group) {
        CompiledNetwork.Group g = net.group(group);
        RateMonitor m = new RateMonitor(g.name(), g.offset(), g.size(), net.dtMs);
        spikeListeners.add(m);
        return m;
    }

    /** Records V and synaptic currents of some neurons (local indices) of a population every {@code everySteps}. */
    public StateMonitor recordState(String population, int[] neurons, int everySteps) {
        CompiledNetwork.PopulationLayout p = net.population(population);
        StateMonitor m = new StateMonitor(p.name(), p.offset(), p.size(), neurons, everySteps, net.dtMs);
        stateMonitors.add(m);
        return m;
    }

    /** Adds a custom spike listener (called after every step). */
    public void addSpikeListener(SpikeListener l) {
        spikeListeners.add(l);
    }

    /** Removes a spike listener added before; when none is left, steps no longer copy spikes out of the backend. */
    public void removeSpikeListener(SpikeListener l) {
        spikeListeners.remove(l);
    }


    /** Advances the network by {@code durationMs} (rounded to whole steps). */
    public void run(double durationMs) {
        if (!(durationMs >= 0) || Double.isInfinite(durationMs)) {
            throw new InvalidInputException("run duration must be a finite number of ms >= 0, got " + durationMs);
        }
        runSteps(Math.round(durationMs / net.dtMs));
    }

    /** Advances the network by {@code steps} time steps. */
    public void runSteps(long steps) {
        boolean needSpikes = !spikeListeners.isEmpty();
        boolean sources = schedule.hasSources();
        long end = step + steps;
        for (; step < end; step++) {
            backend.deliverAndUpdate(step);
            if (sources) {
                schedule.emit(step, sourceSpikes);
            }
            backend.propagate(step, sourceSpikes.array(), sources ? sourceSpikes.size() : 0);
            if (needSpikes) {
                int n = backend.spikeCount();
                if (spikeBuffer.length < n) {
                    spikeBuffer = new int[Math.max(n, spikeBuffer.length * 2)];
                }
                backend.copySpikes(spikeBuffer);
                for (SpikeListener l : spikeListeners) {
                    l.onSpikes(step, spikeBuffer, n);
                }
            }
            for (StateMonitor m : stateMonitors) {
                m.sample(step, backend);
            }
        }
    }

    /** Steps simulated so far. */
    public long currentStep() {
        return step;
    }

    /** Biological time simulated so far (ms). */
    public double timeMs() {
        return step * net.dtMs;
    }

    /** Back to the initial state at step 0 (monitors keep what they recorded). */
    public void reset() {
        backend.reset();
        schedule.reset();
        step = 0;
    }

    /** Exact operation counts of everything simulated since the start (or the last reset). */
    public OperationCounts operationCounts() {
        long[] perIndex = backend.spikeCountsPerIndex();
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
        return new OperationCounts(step, step * (long) net.neuronCount, spikes, events);
    }

    private static long sum(long[] a, int from, int n) {
        long s = 0;
        for (int i = from; i < from + n; i++) {
            s += a[i];
        }
        return s;
    }

    @Override
    public void close() {
        backend.close();
    }
}
