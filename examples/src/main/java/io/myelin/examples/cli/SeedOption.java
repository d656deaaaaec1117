package io.myelin.examples.cli;

import picocli.CommandLine.Option;

/** {@code --seed}: every random choice of the command is drawn from it. */
final class SeedOption {
    @Option(names = "--seed", defaultValue = "1",
            description = "seed of every random choice; the same seed gives the same result (default ${DEFAULT-VALUE})")
    long seed;
}
