package io.myelin.cluster.parallel;

import io.myelin.models.data.TrainingFiles;
import io.myelin.models.data.TrainingSets;
import io.myelin.models.train.Phase;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.shard.ShardReplica;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The replicas of an executor JVM, kept from step to step: the training data binned once and one replica per task
 * running at a time. Only the replicas of the latest {@link ReplicaSpec#key()} are kept (a run's next phase, or the
 * next run, releases the last).
 */
final class ReplicaCache {
    private static String key;
    private static TrainingSets sets;
    private static Phase<?> phase;
    private static final Deque<ShardReplica> IDLE = new ArrayDeque<>();

    private ReplicaCache() {
    }

    /** A replica for {@code spec}, built if none is idle. */
    static ShardReplica borrow(ReplicaSpec spec) {
        TrainingSets s;
        Phase<?> p;
        synchronized (ReplicaCache.class) {
            if (!spec.key().equals(key)) {
                IDLE.forEach(ShardReplica::close);
                IDLE.clear();
                RunConfig run = RunConfig.fromJson(spec.runConfig(), "the data-parallel run");
                p = ShardReplica.phase(run, spec.phaseDir());
                // binned as the trainer bins the run's data (the run's seed draws any validation split)
                sets = TrainingSets.open(run.data(), run.training().seed(), new TrainingFiles(
                        Path.of(spec.train()), spec.valid() == null ? null : Path.of(spec.valid()), Path.of(spec.test())));
                phase = p;
                key = spec.key();
            }
            if (!IDLE.isEmpty()) {
                return IDLE.pop();
            }
            s = sets;
            p = phase;
        }
        return ShardReplica.build(p, Path.of(spec.runDir()), s.train(), s.trainDs().classes(), spec.threads());
    }

    /** Releases the replicas of {@code spec} (in local mode the driver's own JVM holds them). */
    static void release(ReplicaSpec spec) {
        synchronized (ReplicaCache.class) {
            if (spec.key().equals(key)) {
                IDLE.forEach(ShardReplica::close);
                IDLE.clear();
                key = null;
                sets = null;
                phase = null;
            }
        }
    }

    /** Gives a replica back for the next task of the same key. */
    static void giveBack(ReplicaSpec spec, ShardReplica r) {
        synchronized (ReplicaCache.class) {
            if (spec.key().equals(key)) {
                IDLE.push(r);
                return;
            }
        }
        r.close();
    }
}
