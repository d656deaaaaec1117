package io.myelin.models.train;

import io.myelin.models.data.BinnedSet;
import io.myelin.models.tensor.Workers;

import java.util.List;
import java.util.Map;

/**
 * What the {@link Trainer} drives in one phase, as a {@link Recipe} makes it for its model: the optimizers with their
 * per-epoch schedules (checkpointed as an {@link Optimization}) and one optimisation step, with any extra loss (a
 * distillation term against a teacher).
 */
public interface Learner {
    Optimization optimization();

    /**
     * Sets the hyper-parameters of epoch {@code epoch} (0-based); returns the values {@code metrics.jsonl} records for
     * the epoch ({@code sigma}, {@code lr}...), in order.
     */
    Map<String, Double> beginEpoch(int epoch);

    /**
     * Forward, loss, backward, optimizer step and constraints on one training batch.
     *
     * @param stepSeed seed of the step's random choices (dropout masks), derived from the run's seed, the epoch and
     *                 the batch index, so a resumed run draws the same ones
     * @param times    where to time the loss and the optimizer, or null
     */
    StepResult step(BinnedSet.Batch batch, long stepSeed, StageTimes times);

    /** Names of {@link StepResult#extras()} in {@code metrics.jsonl} ({@code distill_loss}). */
    default List<String> extraLosses() {
        return List.of();
    }

    /** End-of-epoch schedules of the model itself (the delay kernels' SIG). */
    void endEpoch(int epoch, int epochs);

    /** Worker threads for anything the learner runs besides the model (a teacher). */
    default void setWorkers(Workers w) {
    }
}
