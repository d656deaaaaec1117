package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.backend.Backend;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.EngineActivity;
import io.myelin.core.energy.EpochMetrics;
import io.myelin.core.energy.ModelActivityProvider;
import io.myelin.core.energy.ParetoTable;
import io.myelin.core.energy.QuantityFormat;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.engine.Simulator;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.store.AtomicFiles;
import io.myelin.report.ModelReports;
import io.myelin.report.ParetoPage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code myelin report}: energy, synaptic-operation and bit-budget reports ({@code report.json} + {@code report.html})
 * from an engine run of a network spec or from a trained model's inference, or a Pareto comparison of several
 * reports ({@code pareto.json} + {@code pareto.html}).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write report.json and report.html (energy, ACs/MACs, bit budget, model size) for a network run "
                + "or a trained model, or compare reports (energy per inference vs accuracy).",
                "  myelin report --spec net.json --duration-ms 1000 --out DIR",
                "  myelin report --model DIR --data test.h5 [--samples N] --out DIR",
                "  myelin report --compare DIR1 DIR2 ... --out DIR"})
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    BackendChoice backendChoice;

    @Mixin
    EnergyModelOption energyModel;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--spec", description = "network spec (JSON) to simulate in the engine")
        Path spec;

        @Option(names = "--model", description = "trained model directory (model.json + weights)")
        Path model;

        @Option(names = "--compare", arity = "1..*", description = "report directories (or report.json files) to compare")
        List<Path> compare;
    }

    @Option(names = "--out", required = true, description = "output directory (created if absent)")
    Path out;

    @Option(names = "--duration-ms", description = "with --spec: biological time to simulate (ms)")
    Double durationMs;

    @Option(names = "--data", description = "with --model: data file (SHD-format HDF5)")
    Path data;

    @Option(names = "--samples", defaultValue = "0", description = "with --model: samples to run (default: all)")
    int samples;

    @Option(names = "--metrics", description = "metrics.jsonl of the training run (default: MODEL/metrics.jsonl if present)")
    Path metrics;

    @Option(names = "--raster-ms", defaultValue = "1000",
            description = "with --spec: record the spike raster over the first this many ms (default ${DEFAULT-VALUE})")
    double rasterMs;

    /**
     * The label of each compared report: the run it belongs to ({@code runs/shd-delays/report/report.json} is
     * {@code shd-delays}, not {@code report}); labels that would repeat get their parent directory too.
     */
    static List<String> runLabels(List<Path> reportFiles) {
        List<String> labels = new ArrayList<>();
        for (Path f : reportFiles) {
            labels.add(runName(f.toAbsolutePath().normalize(), 1));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            boolean repeated = java.util.Collections.frequency(labels, labels.get(i)) > 1;
            out.add(repeated ? runName(reportFiles.get(i).toAbsolutePath().normalize(), 2) : labels.get(i));
        }
        return out;
    }

    /** The last {@code depth} names of the run directory of a report file. */
    private static String runName(Path reportFile, int depth) {
        Path dir = reportFile.getParent();
        if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("report")
                && dir.getParent() != null && dir.getParent().getFileName() != null) {
            dir = dir.getParent();
        }
        if (dir == null || dir.getFileName() == null) {
            return reportFile.getFileName().toString();
        }
        Path name = dir.getFileName();
        for (int d = 1; d < depth && dir.getParent() != null && dir.getParent().getFileName() != null; d++) {
            dir = dir.getParent();
            name = dir.getFileName().resolve(name);
        }
        return name.toString();
    }

    /** Spikes kept per layer for the raster plot. */
    static final int MAX_RASTER_SPIKES = 200_000;

    @Override
    public Integer call() throws IOException {
        EnergyModel em = energyModel.resolve();
        if (mode.compare != null) {
            return compare();
        }
        if (mode.spec != null) {
            checkSpecOptions();
        } else {
            checkModelOptions(mode.model, data, samples);
        }
        OutputDirectory.prepare(out, "--out");
        EnergyReport report = mode.spec != null ? engineReport(em) : modelReport(mode.model, data, samples, metrics, em);
        writeAndSummarize(report, out, new java.io.PrintWriter(System.out, true));
        return 0;
    }

    private void checkSpecOptions() {
        if (durationMs == null || !(durationMs > 0) || Double.isInfinite(durationMs)) {
            throw new InvalidInputException("--spec needs --duration-ms > 0 (ms of biological time to simulate)");
        }
        if (!(rasterMs >= 0) || Double.isInfinite(rasterMs)) {
            throw new InvalidInputException("--raster-ms must be a finite number >= 0, got " + rasterMs);
        }
        backendChoice.check(new java.io.PrintWriter(System.err, true));
    }

    /**
     * Writes {@code report.json} and {@code report.html} into {@code out}, each atomically (a kill leaves the old file
     * or the new one, and a temporary file that the next write removes), and prints the one-line summary.
     */
    static void writeAndSummarize(EnergyReport report, Path out, java.io.PrintWriter o) throws IOException {
        ModelReports.write(report, out);
        EnergyReport.Total t = report.total();
        o.println("energy per sample " + QuantityFormat.energy(t.energyPerSamplePj()) + " (ANN "
                + QuantityFormat.energy(t.annEnergyPerSamplePj()) + ", ratio " + (t.snnAnnRatio() == null ? "n/a" : QuantityFormat.num(t.snnAnnRatio()))
                + "), ACs " + QuantityFormat.count(t.acs()) + ", MACs " + QuantityFormat.count(t.macs()) + ", spikes " + QuantityFormat.count(t.spikes())
                + ", model " + QuantityFormat.bits(t.modelBits()) + ", bit budget " + QuantityFormat.num(t.bitBudget())
                + (report.accuracy() == null ? "" : ", accuracy " + QuantityFormat.percent(report.accuracy().accuracy())));
        o.println("wrote " + out.resolve("report.json") + " and " + out.resolve("report.html"));
        o.flush();
    }

    private EnergyReport engineReport(EnergyModel em) {
        NetworkSpec spec = NetworkSpec.read(mode.spec);
        io.myelin.core.engine.NetworkMemory.check(spec, "network spec " + mode.spec);
        CompiledNetwork net = CompiledNetwork.compile(spec);
        Backend b = backendChoice.select();
        try (Simulator sim = new Simulator(net, b)) {
            EngineActivity activity = EngineActivity.attach(sim, Math.round(Math.min(rasterMs, durationMs) / net.dtMs),
                    MAX_RASTER_SPIKES);
            activity.runSteps(Math.round(durationMs / net.dtMs));
            List<EpochMetrics> epochs = metrics == null ? null : EpochMetrics.readJsonl(metrics);
            return EnergyReport.build(EnergyReport.Source.now("engine", mode.spec.getFileName().toString(),
                            QuantityFormat.num(durationMs) + " ms on " + b.name() + " backend"), em, net.dtMs, activity.layers(),
                    EngineActivity.modelSize(net), null, epochs, activity.rasters());
        }
    }

    /** The report of a trained model's inference over {@code data} (all samples when {@code samples} is 0). */
    static EnergyReport modelReport(Path dir, Path data, int samples, Path metrics, EnergyModel em) throws IOException {
        checkModelOptions(dir, data, samples);
        return ModelReports.of(dir, data, samples, metrics != null ? metrics : dir.resolve("metrics.jsonl"), em);
    }

    /** The options of a model report, checked before anything is loaded. */
    static void checkModelOptions(Path dir, Path data, int samples) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("--model " + dir + " is not a directory");
        }
        if (data == null) {
            throw new InvalidInputException("--model needs --data (the data file to run inference on)");
        }
        if (samples < 0) {
            throw new InvalidInputException("--samples must be >= 0 (0 = all), got " + samples);
        }
        if (!Files.isRegularFile(data)) {
            throw new InvalidInputException("--data " + data + " does not exist");
        }
        if (ModelActivityProvider.find(dir) == null) {
            throw new InvalidInputException("no trained-model reader in this build accepts " + dir + " (trained-model "
                    + "reports need the trainer module to register an io.myelin.core.energy.ModelActivityProvider)");
        }
    }

    private int compare() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : mode.compare) {
            Path file = Files.isDirectory(p) ? p.resolve("report.json") : p;
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException("--compare: " + file + " does not exist");
            }
            files.add(file);
        }
        OutputDirectory.prepare(out, "--out");
        List<EnergyReport> reports = new ArrayList<>();
        for (Path f : files) {
            reports.add(EnergyReport.read(f));
        }
        ParetoTable t = ParetoTable.of(runLabels(files), reports);
        AtomicFiles.writeString(out.resolve("pareto.json"), t.toJson());
        AtomicFiles.writeString(out.resolve("pareto.html"), ParetoPage.render(t));
        System.out.print(t.toText());
        System.out.println("wrote " + out.resolve("pareto.json") + " and " + out.resolve("pareto.html"));
        return 0;
    }
}
