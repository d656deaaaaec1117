package io.myelin.models.train;

/**
 * The command line's changes to a config that change a run's results ({@code --epochs}, {@code --batch},
 * {@code --seed}, {@code --sigma-truncation}; null: unchanged), applied the one way every train command applies them.
 * The thread count is not among them: a resumed run may change it.
 */
public record ConfigChanges(Integer epochs, Integer batch, Long seed, Double sigmaTruncation) {
    /** Whether any value is changed. */
    public boolean any() {
        return epochs != null || batch != null || seed != null || sigmaTruncation != null;
    }

    /** {@code c} with the changes, each validated by the config. */
    public RunConfig apply(RunConfig c) {
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
}
