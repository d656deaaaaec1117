package io.myelin.examples.cli;

import picocli.CommandLine.Command;

/** {@code myelin data ...}: inspect, plot and cut SHD-format spike datasets. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Inspect SHD/SSC-format spike datasets (HDF5).",
        subcommands = {DataInfoCommand.class, DataRasterCommand.class, DataSubsetCommand.class})
public final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
