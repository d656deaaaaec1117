package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.model.NetworkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code myelin simulate}: runs a network spec on the exact event-driven engine or the clock-driven one and writes
 * the spikes as CSV ({@code spikes.csv}: group, neuron, time_ms), a raster plot ({@code raster.svg}) and a summary
 * ({@code summary.json}); with {@code --h5} also {@code spikes.h5} in the SHD layout (one sample per group) for the
 * data tools. The CSV keeps full double precision; the HDF5 file float32 seconds.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate a network spec (JSON) and write spikes.csv, raster.svg, summary.json (and spikes.h5).")
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    BackendChoice backendChoice;

    @Option(names = "--spec", required = true, description = "Network spec JSON file.")
    Path spec;

    @Option(names = "--engine", defaultValue = "event",
            description = "event (exact, continuous time for delta-synapse LIF; discrete time for discrete LIF) "
                    + "or clock (fixed dt from the spec). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--duration", required = true, description = "Biological time to simulate, in seconds.")
    double durationS;

    @Option(names = "--out", required = true, description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--queue", defaultValue = "heap", description = "Event engine queue: heap or calendar. Default: ${DEFAULT-VALUE}.")
    String queue;

    @Option(names = "--record-sources", description = "Also write the spikes of spike sources.")
    boolean recordSources;

    @Option(names = "--h5", description = "Also write spikes.h5 in the SHD layout (one sample per group, float32 seconds).")
    boolean h5;

    @Override
    public Integer call() {
        if (!(durationS >= 0) || Double.isInfinite(durationS)) {
            throw new InvalidInputException("--duration must be a finite number of seconds >= 0, got " + durationS);
        }
        NetworkSpec net = NetworkSpec.read(spec);
        SimulationRun run = SimulationRun.run(net, engine, backendChoice, queue, durationS * 1000, recordSources);
        try {
            Files.createDirectories(out);
            run.spikes().writeCsv(out.resolve("spikes.csv"));
            if (h5) {
                run.spikes().writeShdHdf5(out.resolve("spikes.h5"));
            }
            run.spikes().writeSvg(out.resolve("raster.svg"), spec.getFileName() + " — " + run.engine() + " engine ("
                    + run.engineDetail() + ")");
            Files.writeString(out.resolve("summary.json"), summaryJson(run));
        } catch (IOException e) {
            throw new InvalidInputException("cannot write to output directory " + out + ": " + e.getMessage(), e);
        }
        System.out.println(String.format(Locale.ROOT, "%s engine (%s): %.3f s simulated in %.3f s, %d spikes, %d synaptic events"
                        + " (%.3g events/s); wrote %s", run.engine(), run.engineDetail(), durationS, run.runSeconds(),
                run.spikes().totalSpikes(), run.counts().totalSynapticEvents(), run.eventsPerSecond(), out));
        return 0;
    }

    static String summaryJson(SimulationRun run) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"engine\": \"").append(run.engine()).append("\",\n");
        sb.append("  \"detail\": \"").append(run.engineDetail().replace("\"", "'")).append("\",\n");
        sb.append(String.format(Locale.ROOT, "  \"durationMs\": %s,\n", run.spikes().durationMs()));
        sb.append(String.format(Locale.ROOT, "  \"compileSeconds\": %.6f,\n  \"runSeconds\": %.6f,\n", run.compileSeconds(), run.runSeconds()));
        sb.append("  \"spikesByGroup\": {");
        String sep = "";
        for (var e : run.counts().spikesByGroup().entrySet()) {
            sb.append(sep).append('"').append(e.getKey()).append("\": ").append(e.getValue());
            sep = ", ";
        }
        sb.append("},\n  \"synapticEvents\": ").append(run.counts().totalSynapticEvents()).append(",\n");
        sb.append("  \"neuronUpdates\": ").append(run.counts().neuronUpdates()).append(",\n");
        sb.append("  \"queueEvents\": ").append(run.queueEvents()).append(",\n");
        sb.append(String.format(Locale.ROOT, "  \"eventsPerSecond\": %.1f\n}\n", run.eventsPerSecond()));
        return sb.toString();
    }

}
