package io.myelin.models.train.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Synchronous data parallelism as one process or a cluster runs it: every global batch is cut into {@code shards}
 * contiguous slices of its (shuffled) sample list, each slice's gradient is computed on a replica of the model that
 * holds the step's parameters, the gradients are summed in shard order, and one optimizer step is taken. The result
 * depends on the shard count and the BatchNorm mode only, never on where the shards run.
 *
 * @param shards    K, the slices of every global batch (1: the whole batch on one replica)
 * @param batchNorm how BatchNorm statistics are taken in training
 */
public record Sharding(int shards, BatchNormMode batchNorm) implements Serializable {
    /** BatchNorm statistics in training. */
    public enum BatchNormMode {
        /** Over each shard's own rows, running statistics from shard 0's (PyTorch DDP's default). */
        SHARD("shard"),
        /** Over the rows of all shards (PyTorch's {@code SyncBatchNorm}): two exchanges forward, one backward. */
        SYNC("sync");

        public final String label;

        BatchNormMode(String label) {
            this.label = label;
        }

        /** The mode of a label; an error listing the labels for any other. */
        public static BatchNormMode of(String label) {
            for (BatchNormMode m : values()) {
                if (m.label.equals(label)) {
                    return m;
                }
            }
            throw new InvalidInputException("BatchNorm mode must be one of shard, sync; got '" + label + "'");
        }
    }

    public Sharding {
        if (shards < 1) {
            throw new InvalidInputException("the shard count must be >= 1, got " + shards);
        }
        if (batchNorm == null) {
            throw new InvalidInputException("the BatchNorm mode must be given (shard or sync)");
        }
    }

    /** Shard {@code k} of a global batch's samples: the slice {@code [k n / K, (k + 1) n / K)}, empty when n < K. */
    public int[] slice(int[] batch, int k) {
        int n = batch.length;
        return Arrays.copyOfRange(batch, (int) ((long) k * n / shards), (int) ((long) (k + 1) * n / shards));
    }

    /**
     * The seed of shard {@code k}'s random choices (dropout masks) in the step seeded {@code stepSeed}: the step's own
     * for shard 0, so one shard draws what an ordinary step draws.
     */
    public static long shardSeed(long stepSeed, int k) {
        return stepSeed + k * 0x9E3779B97F4A7C15L;
    }

    /** Records the sharding in a checkpoint header. */
    public void writeTo(ObjectNode header) {
        header.put("shards", shards);
        header.put("shard_batchnorm", batchNorm.label);
    }

    /** The sharding a checkpoint header records, or null for an ordinary run. */
    public static Sharding fromHeader(JsonNode header) {
        if (!header.has("shards")) {
            return null;
        }
        return new Sharding(header.path("shards").asInt(), BatchNormMode.of(header.path("shard_batchnorm").asText()));
    }

    /** For messages: {@code 4 shards, BatchNorm per shard}. */
    public String describe() {
        return shards + (shards == 1 ? " shard" : " shards") + ", BatchNorm " + (batchNorm == BatchNormMode.SHARD
                ? "per shard" : "synchronised");
    }
}
