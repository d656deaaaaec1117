package io.myelin.cluster.parallel;

import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.shard.ShardBackend;
import io.myelin.models.train.shard.ShardGradients;
import io.myelin.models.train.shard.ShardReplica;
import io.myelin.models.train.shard.ShardResult;
import io.myelin.models.train.shard.ShardSetup;
import io.myelin.models.train.shard.ShardStep;
import io.myelin.models.train.shard.Sharding;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The shards of every step on Spark executors, as Spark ML trains: the driver broadcasts the model's state, one task
 * per shard (one Spark job per step) computes that shard's gradient on a replica its executor keeps, and the results
 * come back in shard order for the trainer to sum. Synchronised BatchNorm, or {@code barrier}, runs each step as a
 * barrier stage (all shards at once), the BatchNorm sums all-gathered between the tasks.
 */
public final class SparkShards implements ShardGradients {
    private final JavaSparkContext sc;
    private final ReplicaSpec spec;
    private final boolean barrier;

    private SparkShards(JavaSparkContext sc, ShardSetup s, boolean barrier, int taskThreads) {
        this.sc = sc;
        TrainingFiles f = s.files();
        this.spec = new ReplicaSpec(UUID.randomUUID().toString(), s.runConfig().toJson(), s.phase().dir(),
                f.train().toAbsolutePath().toString(), f.valid() == null ? null : f.valid().toAbsolutePath().toString(),
                f.test().toAbsolutePath().toString(), s.runDir().toAbsolutePath().toString(), s.sharding(), taskThreads);
        this.barrier = barrier || s.sharding().batchNorm() == Sharding.BatchNormMode.SYNC;
    }

    /**
     * The backend of a Spark application.
     *
     * @param barrier     run every step as a barrier stage even with BatchNorm per shard
     * @param taskThreads worker threads of one shard task
     */
    public static ShardBackend backend(JavaSparkContext sc, boolean barrier, int taskThreads) {
        return s -> new SparkShards(sc, s, barrier, taskThreads);
    }

    @Override
    public List<ShardResult> compute(Map<String, float[]> state, ShardStep step) {
        Broadcast<HashMap<String, float[]>> b = sc.broadcast(new HashMap<>(state));
        try {
            List<Integer> active = step.active();
            List<ShardTask> tasks = new ArrayList<>();
            for (int i = 0; i < active.size(); i++) {
                tasks.add(new ShardTask(active.get(i), i));
            }
            JavaRDD<ShardTask> rdd = sc.parallelize(tasks, tasks.size());
            ReplicaSpec sp = spec;
            if (!barrier) {
                return rdd.map(t -> run(sp, b.value(), step, t, null)).collect();
            }
            ClassTag<ShardResult> tag = ClassTag$.MODULE$.apply(ShardResult.class);
            RDD<ShardResult> out = rdd.rdd().barrier().mapPartitions(new BarrierStep(sp, b, step), false, tag);
            return new JavaRDD<>(out, tag).collect();
        } finally {
            b.destroy(false);
        }
    }

    static ShardResult run(ReplicaSpec spec, Map<String, float[]> state, ShardStep step, ShardTask t,
                           BarrierShardSum sync) {
        ShardReplica r = ReplicaCache.borrow(spec);
        try {
            return r.run(state, step, t.shard(), t.party() == 0, sync);
        } finally {
            ReplicaCache.giveBack(spec, r);
        }
    }

    /** A barrier stage's partition: its one shard, the BatchNorm sums all-gathered when synchronised. */
    private static final class BarrierStep extends AbstractFunction1<scala.collection.Iterator<ShardTask>,
            scala.collection.Iterator<ShardResult>> implements Serializable {
        private final ReplicaSpec spec;
        private final Broadcast<HashMap<String, float[]>> state;
        private final ShardStep step;

        BarrierStep(ReplicaSpec spec, Broadcast<HashMap<String, float[]>> state, ShardStep step) {
            this.spec = spec;
            this.state = state;
            this.step = step;
        }

        @Override
        public scala.collection.Iterator<ShardResult> apply(scala.collection.Iterator<ShardTask> in) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            BarrierShardSum sync = spec.sharding().batchNorm() == Sharding.BatchNormMode.SYNC
                    ? new BarrierShardSum(ctx) : null;
            List<ShardResult> out = new ArrayList<>();
            Iterator<ShardTask> it = scala.jdk.javaapi.CollectionConverters.asJava(in);
            while (it.hasNext()) {
                out.add(run(spec, state.value(), step, it.next(), sync));
            }
            return scala.jdk.javaapi.CollectionConverters.asScala(out.iterator());
        }
    }

    /** Executors drop their replicas when the next run starts or the application ends; a local driver does now. */
    @Override
    public void close() {
        ReplicaCache.release(spec);
    }
}
