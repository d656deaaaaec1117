package io.myelin.cluster.parallel;

import java.io.Serializable;

/** One shard of one step as a Spark partition holds it: which shard, and the position among the step's active ones. */
record ShardTask(int shard, int party) implements Serializable {
}
