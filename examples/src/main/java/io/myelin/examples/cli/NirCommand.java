package io.myelin.examples.cli;

import picocli.CommandLine.Command;

/** {@code myelin nir ...}: NIR (Neuromorphic Intermediate Representation) graphs: inspect, run, export, compare. */
@Command(name = "nir", mixinStandardHelpOptions = true,
        description = "Read, run and write NIR graphs (neuromorphs/NIR, .nir HDF5 files); export trained delay SNNs.",
        subcommands = {NirInfoCommand.class, NirRunCommand.class, NirExportCommand.class, NirLifCommand.class,
                NirBenchCommand.class})
public final class NirCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
