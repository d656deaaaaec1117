package io.myelin.models.train;

import io.myelin.models.data.TrainingSets;

/**
 * A phase as it trains, what {@link TrainingListener}s see: its config and directory, the model and its learner, the
 * data, and where it stands.
 *
 * @param phaseIndex       its place in the run, from 0
 * @param phaseCount       the phases of the run
 * @param checkpointFormat the header format of its checkpoints
 */
public record PhaseRun(Phase<?> phase, int phaseIndex, int phaseCount, RunConfig config, RunStore store,
                       TrainedModel model, Learner learner, TrainingSets sets, RunProgress progress,
                       String checkpointFormat) {
    /** Whether it trains the model the run delivers. */
    public boolean last() {
        return phaseIndex == phaseCount - 1;
    }

    public int epochs() {
        return config.training().epochs();
    }
}
