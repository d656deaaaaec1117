package io.myelin.models.train.shard;

import java.util.List;
import java.util.Map;

/** Where the shards of every step run: on replicas in this process ({@link LocalShards}) or on a cluster's executors. */
public interface ShardGradients extends AutoCloseable {
    /**
     * The results of the step's shards that hold samples, in shard order, each computed on a replica holding
     * {@code state} (the model's parameters and buffers by name, as {@code Module.state()} lists them).
     */
    List<ShardResult> compute(Map<String, float[]> state, ShardStep step);

    @Override
    void close();
}
