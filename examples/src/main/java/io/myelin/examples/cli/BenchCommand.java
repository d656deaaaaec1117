package io.myelin.examples.cli;

import picocli.CommandLine.Command;

/** {@code myelin bench ...}: speed benchmarks whose figures go into BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (print one JSON line each), and the fault suite's soak (bench faults).",
        subcommands = {BenchCubaCommand.class, BenchEventCommand.class, DataBenchCommand.class, BenchTrainCommand.class,
                BenchInferCommand.class, BenchFaultsCommand.class, BenchMachineCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
