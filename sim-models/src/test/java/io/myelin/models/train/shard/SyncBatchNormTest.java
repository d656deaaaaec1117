package io.myelin.models.train.shard;

import io.myelin.models.layer.BatchNormOverTime;
import io.myelin.models.tensor.SeqTensor;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Synchronised BatchNorm over two shards of a batch computes what one BatchNorm computes over the whole batch (the
 * statistics of the union of the shards' rows): outputs, input gradients, running statistics, and parameter
 * gradients once the shards' are added.
 */
class SyncBatchNormTest {
    private static final int T = 5, B = 6, N = 4;

    @Test
    void twoSynchronisedShardsComputeTheWholeBatch() throws Exception {
        Random rng = new Random(7);
        float[] x = new float[T * B * N], g = new float[T * B * N];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * 2 + 1);
            g[i] = (float) rng.nextGaussian();
        }
        BatchNormOverTime whole = norm();
        SeqTensor y = whole.forward(new SeqTensor(T, B, N, x), true);
        SeqTensor dx = whole.backward(new SeqTensor(T, B, N, g));

        int[][] cols = {{0, 1, 2, 3}, {4, 5}};
        LocalShardSum sum = new LocalShardSum(2);
        BatchNormOverTime[] shards = {norm(), norm()};
        @SuppressWarnings("unchecked")
        CompletableFuture<SeqTensor[]>[] runs = new CompletableFuture[2];
        for (int s = 0; s < 2; s++) {
            int k = s;
            runs[s] = CompletableFuture.supplyAsync(() -> {
                shards[k].synchronise(sum.party(k));
                SeqTensor ys = shards[k].forward(columns(x, cols[k]), true);
                SeqTensor dxs = shards[k].backward(columns(g, cols[k]));
                return new SeqTensor[]{ys, dxs};
            });
        }
        for (int s = 0; s < 2; s++) {
            SeqTensor[] r = runs[s].get();
            close(columns(y.data, cols[s]).data, r[0].data, 1e-5, "y of shard " + s);
            close(columns(dx.data, cols[s]).data, r[1].data, 1e-5, "dx of shard " + s);
            close(whole.runningMean(), shards[s].runningMean(), 1e-6, "running mean of shard " + s);
            close(whole.runningVar(), shards[s].runningVar(), 1e-6, "running variance of shard " + s);
        }
        for (int c = 0; c < N; c++) {
            assertEquals(whole.gamma().grad[c], shards[0].gamma().grad[c] + shards[1].gamma().grad[c], 1e-4, "dgamma");
            assertEquals(whole.beta().grad[c], shards[0].beta().grad[c] + shards[1].beta().grad[c], 1e-4, "dbeta");
        }
    }

    private static BatchNormOverTime norm() {
        BatchNormOverTime bn = new BatchNormOverTime("bn", N);
        float[] gamma = {0.5f, 1.5f, -1.0f, 2.0f}, beta = {0.1f, -0.2f, 0.3f, 0.0f};
        System.arraycopy(gamma, 0, bn.gamma().value, 0, N);
        System.arraycopy(beta, 0, bn.beta().value, 0, N);
        return bn;
    }

    /** The batch columns {@code cols} of a time-major {@code [T][B][N]} tensor. */
    private static SeqTensor columns(float[] d, int[] cols) {
        float[] out = new float[T * cols.length * N];
        for (int t = 0; t < T; t++) {
            for (int j = 0; j < cols.length; j++) {
                System.arraycopy(d, (t * B + cols[j]) * N, out, (t * cols.length + j) * N, N);
            }
        }
        return new SeqTensor(T, cols.length, N, out);
    }

    private static void close(float[] want, float[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), what + " [" + i + "]");
        }
    }
}
