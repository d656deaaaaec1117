package io.myelin.models.train;

import java.io.IOException;

/**
 * A side effect of training, called by the {@link Trainer} in the order the listeners were added: progress output,
 * {@code metrics.jsonl}, the best model, the checkpoint, the divergence check. A listener that throws stops the run
 * (an {@link IOException} as "cannot write to DIR"). Epochs and batches are counted from 1, as users see them.
 */
public interface TrainingListener {
    /** A phase starts (or resumes) before its first epoch of this invocation. */
    default void phaseStarted(PhaseRun run) throws IOException {
    }

    /** After each optimisation step, before its numbers count. */
    default void stepDone(PhaseRun run, int epoch, int batch, StepResult step) {
    }

    /**
     * After each batch: the running mean loss of the epoch and its samples predicted right.
     *
     * @param seen    samples trained in this epoch so far, of {@code samples}
     * @param seconds since the epoch started
     */
    default void batchDone(PhaseRun run, int epoch, int batch, int batches, double loss, int correct, int seen,
                           int samples, double seconds) {
    }

    /** After an epoch's evaluation, its metrics line added to the run's progress and its epoch counted as done. */
    default void epochDone(PhaseRun run, EpochResult epoch) throws IOException {
    }
}
