package io.myelin.cluster.parallel;

import io.myelin.models.train.shard.Sharding;

import java.io.Serializable;

/**
 * What an executor needs to build a replica of a data-parallel run's model: the run's config, the phase, the files
 * and run directory (paths every worker sees) and the threads of one shard task.
 *
 * @param key       names this phase of this run: an executor keeps the replicas of one key at a time
 * @param phaseDir  the phase's directory in the run ({@code ""}: the last phase)
 */
public record ReplicaSpec(String key, String runConfig, String phaseDir, String train, String valid, String test,
                          String runDir, Sharding sharding, int threads) implements Serializable {
}
