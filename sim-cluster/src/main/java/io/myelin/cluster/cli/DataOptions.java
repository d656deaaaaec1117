package io.myelin.cluster.cli;

import io.myelin.cluster.SharedPaths;
import io.myelin.models.data.TrainingFiles;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The data files of a training command, on storage every worker sees. */
public final class DataOptions {
    @Option(names = "--train", required = true, description = "training file (SHD/SSC HDF5), on storage every worker"
            + " sees")
    Path train;

    @Option(names = "--valid", description = "validation file; without it, data.validFraction of the training file, or"
            + " none")
    Path valid;

    @Option(names = "--test", required = true, description = "test file")
    Path test;

    /** The files, as absolute paths (executors resolve relative ones elsewhere). */
    TrainingFiles files() {
        return new TrainingFiles(SharedPaths.of("--train", train), SharedPaths.of("--valid", valid),
                SharedPaths.of("--test", test));
    }
}
