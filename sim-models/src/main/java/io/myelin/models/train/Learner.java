package io.myelin.models.train;

import io.myelin.models.data.BinnedSet;
import io.myelin.models.tensor.Workers;

import java.util.List;
import java.util.Map;

/**
 * What the {@link Trainer} drives in one phase, as a {@link Recipe} makes it for its model: the optimizers with their
 * per-epoch schedules (checkpointed as an {@link Optimization}) and one optimisation step, with any extra loss (a
 * distillation term against a teacher). A step is its {@link #gradient} and its {@link #update}, separable so that the
 * gradients of several shards of a batch can be summed before one update ({@code shard.ShardedLearner}).
 */
public interface Learner {
    Optimization optimization();

    /**
     * Sets the hyper-parameters of epoch {@code epoch} (0-based); returns the values {@code metrics.jsonl} records for
     * the epoch ({@code sigma}, {@code lr}...), in order.
     */
    Map<String, Double> beginEpoch(int epoch);

    /**
     * Forward, loss, backward and optimizer step with its constraints on one training batch: zeroed gradients,
     * {@link #gradient} of weight 1, {@link #update}.
     *
     * @param stepSeed seed of the step's random choices (dropout masks), derived from the run's seed, the epoch and
     *                 the batch index, so a resumed run draws the same ones
     * @param times    where to time the loss and the optimizer, or null
     */
    default StepResult step(BinnedSet.Batch batch, long stepSeed, StageTimes times) {
        optimization().zeroGrad();
        StepResult r = gradient(batch, stepSeed, 1, times);
        update(times);
        return r;
    }

    /**
     * Forward, loss and backward on one batch: adds {@code weight} times the gradient of the batch's mean loss (extra
     * losses included) to every parameter's gradient, without zeroing them first and without stepping.
     *
     * @param weight the batch's share of the loss minimised: 1 for a whole batch, a shard's samples over the global
     *               batch's for one shard of it
     * @return the batch's own mean loss (unweighted), its hits and its extra losses
     */
    StepResult gradient(BinnedSet.Batch batch, long stepSeed, double weight, StageTimes times);

    /** The optimizers' step from the gradients accumulated, then the model's constraints (delay positions clamped). */
    void update(StageTimes times);

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
