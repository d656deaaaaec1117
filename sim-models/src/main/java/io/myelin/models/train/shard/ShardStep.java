package io.myelin.models.train.shard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of sharded training as the shards see it: each shard's samples (indices into the training set; a shard of
 * a batch smaller than the shard count may be empty), the step's seed and the global batch size. The parameters go
 * separately (a cluster broadcasts them).
 *
 * @param samples    per shard, its samples in batch order
 * @param stepSeed   the step's seed ({@link Sharding#shardSeed} gives each shard's)
 * @param globalSize samples in the global batch
 */
public record ShardStep(int[][] samples, long stepSeed, int globalSize) implements Serializable {
    /** The step of a global batch cut as {@code sharding} cuts it. */
    public static ShardStep of(Sharding sharding, int[] batch, long stepSeed) {
        int[][] s = new int[sharding.shards()][];
        for (int k = 0; k < s.length; k++) {
            s[k] = sharding.slice(batch, k);
        }
        return new ShardStep(s, stepSeed, batch.length);
    }

    /** The shards that hold samples, in shard order. */
    public List<Integer> active() {
        List<Integer> a = new ArrayList<>();
        for (int k = 0; k < samples.length; k++) {
            if (samples[k].length > 0) {
                a.add(k);
            }
        }
        return a;
    }

    /** Shard {@code k}'s seed. */
    public long seed(int k) {
        return Sharding.shardSeed(stepSeed, k);
    }

    /** Shard {@code k}'s share of the global batch's mean loss: its samples over the global batch's. */
    public double weight(int k) {
        return samples[k].length / (double) globalSize;
    }
}
