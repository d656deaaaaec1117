package io.myelin.cluster.cli;

import picocli.CommandLine.Option;

/** The energy report written after training, as {@code myelin train} writes it. */
public final class ReportOptions {
    @Option(names = "--report", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "after training, write the best model's energy report to RUN/report (report.json,"
                    + " report.html); --no-report skips it")
    boolean report;

    @Option(names = "--energy-model", defaultValue = "45nm", description = "energy model of the report (default"
            + " ${DEFAULT-VALUE})")
    String energyModel;
}
