package io.myelin.models.train;

import io.myelin.models.data.TrainingSets;

/**
 * A phase as it trains, what {@link TrainingListener}s see: its config and directory, the model and its learner, the
 * data, and where it stands.
 *
 * @param last             whether it trains the model the run delivers
 * @param checkpointFormat the header format of its checkpoints
 */
public record PhaseRun(Phase<?> phase, boolean last, RunConfig config, RunStore store, TrainedModel model,
                       Learner learner, TrainingSets sets, RunProgress progress, String checkpointFormat) {
    public int epochs() {
        return config.training().epochs();
    }
}
