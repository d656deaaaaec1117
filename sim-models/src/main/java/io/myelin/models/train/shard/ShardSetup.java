package io.myelin.models.train.shard;

import io.myelin.models.data.TrainingFiles;
import io.myelin.models.data.TrainingSets;
import io.myelin.models.train.Phase;
import io.myelin.models.train.RunConfig;

import java.nio.file.Path;

/**
 * The phase a {@link ShardBackend} opens its shards for: enough to build a replica of the model and its learner
 * anywhere (the run's config, the phase's directory, the files and the run directory, for a teacher) and, in this
 * process, the data already binned.
 *
 * @param runConfig the run's config (its recipe gives the phases)
 * @param phase     the phase trained
 * @param sets      the run's data, binned in this process
 * @param threads   worker threads of this process
 */
public record ShardSetup(RunConfig runConfig, Phase<?> phase, TrainingFiles files, Path runDir, TrainingSets sets,
                         Sharding sharding, int threads) {
}
