package io.myelin.models.train.shard;

/** Opens the {@link ShardGradients} of one training phase ({@link LocalShards#BACKEND}: replicas in this process). */
@FunctionalInterface
public interface ShardBackend {
    ShardGradients open(ShardSetup setup);
}
