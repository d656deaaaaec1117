package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.engine.Engine;
import io.myelin.core.engine.EngineOptions;
import io.myelin.core.engine.Engines;
import io.myelin.core.engine.EventDrivenSimulator;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.SpikeMonitor;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a spec on either engine with spike monitors on the chosen groups and reports what it took: the shared core
 * of {@code myelin simulate} and {@code myelin bench event}.
 *
 * @param engine        "event" or "clock"
 * @param engineDetail  the queue (event) or backend device (clock)
 * @param spikes        recorded spikes
 * @param counts        operation counts
 * @param compileSeconds time to build the network (connectivity, CSR)
 * @param runSeconds    time spent simulating
 * @param queueEvents   events popped from the queue (event engine), 0 for clock
 */
record SimulationRun(String engine, String engineDetail, RecordedSpikes spikes, OperationCounts counts,
                     double compileSeconds, double runSeconds, long queueEvents) {

    /** Synaptic events plus spikes processed per second of run time. */
    double eventsPerSecond() {
        return (counts.totalSynapticEvents() + counts.totalSpikes()) / runSeconds;
    }

    static SimulationRun run(NetworkSpec spec, String engine, BackendChoice backend, String queue,
                             double durationMs, boolean recordSources) {
        if (!Engines.names().contains(engine)) {
            throw new InvalidInputException("--engine must be 'event' or 'clock', got '" + engine + "'");
        }
        EngineOptions options = new EngineOptions(backend.backend, backend.options(),
                EventDrivenSimulator.QueueKind.of(queue));
        long t0 = System.nanoTime();
        try (Engine sim = Engines.create(spec, engine, options)) {
            List<SpikeMonitor> monitors = monitorAll(sim.network(), recordSources, sim::recordSpikes);
            long t1 = System.nanoTime();
            sim.run(durationMs);
            long t2 = System.nanoTime();
            return new SimulationRun(sim.name(), sim.description(), recorded(sim.network(), monitors, durationMs),
                    sim.operationCounts(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, sim.counters().getOrDefault("queue_pops", 0L));
        }
    }

    private static List<SpikeMonitor> monitorAll(CompiledNetwork net, boolean sources,
                                                 java.util.function.Function<String, SpikeMonitor> record) {
        List<SpikeMonitor> out = new ArrayList<>();
        for (CompiledNetwork.PopulationLayout p : net.populations) {
            out.add(record.apply(p.name()));
        }
        if (sources) {
            for (CompiledNetwork.SourceLayout s : net.sources) {
                out.add(record.apply(s.name()));
            }
        }
        return out;
    }

    private static RecordedSpikes recorded(CompiledNetwork net, List<SpikeMonitor> monitors, double durationMs) {
        List<RecordedSpikes.Group> groups = new ArrayList<>();
        for (SpikeMonitor m : monitors) {
            int size = 0;
            for (CompiledNetwork.PopulationLayout p : net.populations) {
                if (p.name().equals(m.population())) {
                    size = p.size();
                }
            }
            for (CompiledNetwork.SourceLayout s : net.sources) {
                if (s.name().equals(m.population())) {
                    size = s.size();
                }
            }
            groups.add(new RecordedSpikes.Group(m.population(), size, m.neurons(), m.timesMs()));
        }
        return new RecordedSpikes(groups, durationMs);
    }
}
