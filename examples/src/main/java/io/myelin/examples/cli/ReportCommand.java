package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.backend.Backend;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.EngineActivity;
import io.myelin.core.energy.EpochMetrics;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelActivityProvider;
import io.myelin.core.energy.ParetoTable;
import io.myelin.core.energy.QuantityFormat;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.engine.Simulator;
import io.myelin.core.model.NetworkSpec;
import io.myelin.report.HtmlReport;
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

    /** Spikes kept per layer for the raster plot. */
    static final int MAX_RASTER_SPIKES = 200_000;

    @Override
    public Integer call() throws IOException {
        EnergyModel em = energyModel.resolve();
        if (mode.compare != null) {
            return compare();
        }
        EnergyReport report = mode.spec != null ? engineReport(em) : modelReport(mode.model, data, samples, metrics, em);
        writeAndSummarize(report, out, new java.io.PrintWriter(System.out, true));
        return 0;
    }

    /** Writes {@code report.json} and {@code report.html} into {@code out} and prints the one-line summary. */
    static void writeAndSummarize(EnergyReport report, Path out, java.io.PrintWriter o) throws IOException {
        Files.createDirectories(out);
        report.write(out.resolve("report.json"));
        HtmlReport.write(report, out.resolve("report.html"));
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
        if (durationMs == null || !(durationMs > 0) || Double.isInfinite(durationMs)) {
            throw new InvalidInputException("--spec needs --duration-ms > 0 (ms of biological time to simulate)");
        }
        if (!(rasterMs >= 0)) {
            throw new InvalidInputException("--raster-ms must be >= 0, got " + rasterMs);
        }
        NetworkSpec spec = NetworkSpec.read(mode.spec);
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
        ModelActivityProvider provider = ModelActivityProvider.find(dir);
        if (provider == null) {
            throw new InvalidInputException("no trained-model reader in this build accepts " + dir + " (trained-model "
                    + "reports need the trainer module to register an io.myelin.core.energy.ModelActivityProvider)");
        }
        ModelActivity run = provider.run(dir, data, samples, 0);
        Path m = metrics != null ? metrics : dir.resolve("metrics.jsonl");
        List<EpochMetrics> epochs = Files.isRegularFile(m) ? EpochMetrics.readJsonl(m) : null;
        return EnergyReport.build(EnergyReport.Source.now("model", run.name(), run.detail()), em, run.dtMs(),
                run.layers(), run.size(), run.accuracy(), epochs, run.rasters());
    }

    private int compare() throws IOException {
        List<String> labels = new ArrayList<>();
        List<EnergyReport> reports = new ArrayList<>();
        for (Path p : mode.compare) {
            Path file = Files.isDirectory(p) ? p.resolve("report.json") : p;
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException("--compare: " + file + " does not exist");
            }
            reports.add(EnergyReport.read(file));
            Path named = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
            labels.add(named.getFileName() == null ? p.toString() : named.getFileName().toString());
        }
        ParetoTable t = ParetoTable.of(labels, reports);
        Files.createDirectories(out);
        Files.writeString(out.resolve("pareto.json"), t.toJson());
        Files.writeString(out.resolve("pareto.html"), ParetoPage.render(t));
        System.out.print(t.toText());
        System.out.println("wrote " + out.resolve("pareto.json") + " and " + out.resolve("pareto.html"));
        return 0;
    }
}
