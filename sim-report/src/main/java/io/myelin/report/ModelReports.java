package io.myelin.report;

import io.myelin.core.InvalidInputException;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.EpochMetrics;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelActivityProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The energy report of a trained model's inference (whatever kind its run directory holds, through the
 * {@link ModelActivityProvider} of the trainer on the class path) and its two files, {@code report.json} and
 * {@code report.html}: what {@code myelin train} writes to {@code DIR/report} and every run of a sweep too.
 */
public final class ModelReports {
    private ModelReports() {
    }

    /**
     * The report of the model in {@code dir} run over {@code data} (all samples when {@code samples} is 0), with the
     * training curve of {@code metrics} when that file exists.
     */
    public static EnergyReport of(Path dir, Path data, int samples, Path metrics, EnergyModel em) throws IOException {
        ModelActivityProvider provider = ModelActivityProvider.find(dir);
        if (provider == null) {
            throw new InvalidInputException("no trained-model reader in this build accepts " + dir + " (trained-model "
                    + "reports need the trainer module to register an io.myelin.core.energy.ModelActivityProvider)");
        }
        ModelActivity run = provider.run(dir, data, samples, 0);
        List<EpochMetrics> epochs = metrics != null && Files.isRegularFile(metrics) ? EpochMetrics.readJsonl(metrics)
                : null;
        return EnergyReport.build(EnergyReport.Source.now("model", run.name(), run.detail()), em, run.dtMs(),
                run.layers(), run.size(), run.accuracy(), epochs, run.rasters());
    }

    /** Writes {@code report.json} and {@code report.html} into {@code out} (created if absent). */
    public static void write(EnergyReport report, Path out) throws IOException {
        Files.createDirectories(out);
        report.write(out.resolve("report.json"));
        HtmlReport.write(report, out.resolve("report.html"));
    }
}
