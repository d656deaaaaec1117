package io.myelin.examples.cli;

import io.myelin.models.train.RunConfig;
import picocli.CommandLine.Option;

/** {@code --epochs}, {@code --batch}, {@code --seed}, {@code --threads}, {@code --sigma-truncation}: a config's values overridden. */
final class ConfigOverrides {
    @Option(names = "--epochs", description = "override training.epochs")
    Integer epochs;

    @Option(names = "--batch", description = "override training.batch")
    Integer batch;

    @Option(names = "--seed", description = "override training.seed")
    Long seed;

    @Option(names = "--threads", description = "override training.threads (results do not depend on it)")
    Integer threads;

    @Option(names = "--sigma-truncation", description = "override model.sigmaTruncation (Gaussian window in sigmas, 0: none)")
    Double sigmaTruncation;

    /** Whether an override changes the run's results (every one but the thread count). */
    boolean changeResults() {
        return epochs != null || batch != null || seed != null || sigmaTruncation != null;
    }

    /** {@code c} with the overrides that change results; the thread count is left to {@link #threads(RunConfig)}. */
    RunConfig results(RunConfig c) {
        if (sigmaTruncation != null) {
            c = c.withSigmaTruncation(sigmaTruncation);
        }
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (batch != null) {
            c = c.withBatch(batch);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        return c;
    }

    /** {@code c} with the thread count overridden, which a resumed run may change. */
    RunConfig threads(RunConfig c) {
        return threads == null ? c : c.withThreads(threads);
    }
}
