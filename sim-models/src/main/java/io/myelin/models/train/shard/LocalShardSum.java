package io.myelin.models.train.shard;

import io.myelin.models.layer.BatchNormOverTime;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Synchronised BatchNorm between the shards of one step run by threads of this process: each party posts its sums,
 * waits for all, and adds them up in shard order itself (every party gets the same bits, as every task of a cluster
 * does from an all-gather).
 */
final class LocalShardSum {
    private final double[][] posted;
    private final CyclicBarrier barrier;

    LocalShardSum(int parties) {
        this.posted = new double[parties][];
        this.barrier = new CyclicBarrier(parties);
    }

    /** The sum as party {@code i} (the i-th active shard) calls it. */
    BatchNormOverTime.ShardSum party(int i) {
        return local -> {
            posted[i] = local;
            await();
            double[] s = ShardSums.inOrder(posted);
            // nobody posts the next sums before everyone has read these
            await();
            return s;
        };
    }

    /** Releases the parties waiting when one of them failed. */
    void abort() {
        barrier.reset();
    }

    private void await() {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("a shard was interrupted", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("another shard of the step failed", e);
        }
    }
}
