package io.myelin.models.train.shard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The K-shards mode in one process: K replicas of the model, the shards of a step run on K threads at once (as K
 * workers of a cluster would), the process's worker threads split between them.
 */
public final class LocalShards implements ShardGradients {
    /** Opens local shards for a phase. */
    public static final ShardBackend BACKEND = LocalShards::new;

    private final Sharding sharding;
    private final List<ShardReplica> replicas = new ArrayList<>();
    private final ExecutorService pool;

    private LocalShards(ShardSetup s) {
        this.sharding = s.sharding();
        int k = sharding.shards();
        int threads = Math.max(1, s.threads() / k);
        for (int i = 0; i < k; i++) {
            replicas.add(ShardReplica.build(s.phase(), s.runDir(), s.sets().train(), s.sets().trainDs().classes(),
                    threads));
        }
        this.pool = Executors.newFixedThreadPool(k, r -> {
            Thread t = new Thread(r, "myelin-shard");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public List<ShardResult> compute(Map<String, float[]> state, ShardStep step) {
        List<Integer> active = step.active();
        LocalShardSum sum = sharding.batchNorm() == Sharding.BatchNormMode.SYNC ? new LocalShardSum(active.size()) : null;
        List<Future<ShardResult>> futures = new ArrayList<>();
        for (int i = 0; i < active.size(); i++) {
            int k = active.get(i), party = i;
            futures.add(pool.submit(() -> {
                try {
                    return replicas.get(k).run(state, step, k, party == 0, sum == null ? null : sum.party(party));
                } catch (RuntimeException | Error e) {
                    if (sum != null) {
                        sum.abort();
                    }
                    throw e;
                }
            }));
        }
        List<ShardResult> out = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<ShardResult> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the shards ran", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                // the first shard's own failure, not the broken barrier it left the others with
                if (failure == null || (failure.getCause() instanceof java.util.concurrent.BrokenBarrierException)) {
                    failure = c instanceof RuntimeException r ? r : new IllegalStateException(c);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        replicas.forEach(ShardReplica::close);
    }
}
