package io.myelin.cluster.parallel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.cluster.ClusterSession;
import io.myelin.cluster.TestRuns;
import io.myelin.core.InvalidInputException;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.Trainer;
import io.myelin.models.train.shard.LocalShards;
import io.myelin.models.train.shard.Sharding;
import io.myelin.models.train.shard.Sharding.BatchNormMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.myelin.cluster.TestRuns.testData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training on Spark executors ({@code local[2]}) is the single-process K-shards mode bit for bit, with
 * BatchNorm per shard (one plain Spark job per step) and synchronised (barrier stages, the sums all-gathered), and
 * resumes from its checkpoint to the uninterrupted run.
 */
class DataParallelTest {
    private static final TrainingFiles FILES = new TrainingFiles(testData("sd_mini_train.h5"), null,
            testData("sd_mini_test.h5"));

    @Test
    void twoSparkWorkersAreTwoShardsBitForBit(@TempDir Path tmp) throws Exception {
        RunConfig cfg = RunConfig.read(TestRuns.tinyConfig(tmp, 2));
        // synchronised BatchNorm all-gathers 6 times a step, and Spark answers a barrier call on a 1 s poll: 2 steps
        RunConfig short1 = cfg.withEpochs(1).withBatch(64);
        Sharding perShard = new Sharding(2, BatchNormMode.SHARD), sync = new Sharding(2, BatchNormMode.SYNC);
        new Trainer(cfg, FILES, tmp.resolve("local-shard"), null).sharded(perShard, LocalShards.BACKEND).train();
        new Trainer(short1, FILES, tmp.resolve("local-sync"), null).sharded(sync, LocalShards.BACKEND).train();
        try (ClusterSession s = ClusterSession.open("local[2]", "data-parallel test", Map.of(), 30)) {
            new Trainer(cfg, FILES, tmp.resolve("spark-shard"), null)
                    .sharded(perShard, SparkShards.backend(s.context(), false, 1)).train();
            new Trainer(short1, FILES, tmp.resolve("spark-sync"), null)
                    .sharded(sync, SparkShards.backend(s.context(), false, 1)).train();
            // stopped after an epoch, resumed: the uninterrupted run
            new Trainer(cfg, FILES, tmp.resolve("spark-resumed"), null)
                    .sharded(perShard, SparkShards.backend(s.context(), false, 1)).stopAfter(1).train();
            InvalidInputException other = assertThrows(InvalidInputException.class,
                    () -> new Trainer(cfg, FILES, tmp.resolve("spark-resumed"), null)
                            .sharded(new Sharding(3, BatchNormMode.SHARD), SparkShards.backend(s.context(), false, 1))
                            .resume());
            assertTrue(other.getMessage().contains("was trained in 2 shards, BatchNorm per shard"), other.getMessage());
            new Trainer(cfg, FILES, tmp.resolve("spark-resumed"), null)
                    .sharded(perShard, SparkShards.backend(s.context(), false, 1)).resume();
        }
        TestRuns.assertSameRun(tmp.resolve("local-shard"), tmp.resolve("spark-shard"));
        TestRuns.assertSameRun(tmp.resolve("local-sync"), tmp.resolve("spark-sync"));
        TestRuns.assertSameRun(tmp.resolve("local-shard"), tmp.resolve("spark-resumed"));
    }

    /** The CLI: --workers K on a master and without one (K shards in this process) give the same model. */
    @Test
    void theTrainCommandGivesTheSameModelOnSparkAndInOneProcess(@TempDir Path tmp) throws Exception {
        Path config = TestRuns.tinyConfig(tmp, 1);
        String[] args = {"train", "--config", config.toString(), "--train", FILES.train().toString(), "--test",
                FILES.test().toString(), "--json", "--quiet", "--no-report"};
        String[] common = with(args, "--workers", "2");
        TestRuns.Cli spark = TestRuns.cli(with(common, "--master", "local[2]", "--out", tmp.resolve("a").toString()));
        assertEquals(0, spark.code(), spark.err());
        TestRuns.Cli local = TestRuns.cli(with(common, "--out", tmp.resolve("b").toString()));
        assertEquals(0, local.code(), local.err());
        TestRuns.assertSameRun(tmp.resolve("b"), tmp.resolve("a"));
        JsonNode n = new ObjectMapper().readTree(spark.lines().get(0));
        assertEquals(2, n.path("workers").asInt());
        assertEquals("shard", n.path("batchnorm").asText());

        TestRuns.Cli tooMany = TestRuns.cli(with(args, "--workers", "64", "--out", tmp.resolve("c").toString()));
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("training.batch (32) must be at least --workers (64)"), tooMany.err());
        TestRuns.Cli badNorm = TestRuns.cli(with(common, "--batchnorm", "global", "--out", tmp.resolve("c").toString()));
        assertTrue(badNorm.err().contains("BatchNorm mode must be one of shard, sync; got 'global'"), badNorm.err());
    }

    private static String[] with(String[] base, String... more) {
        String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }
}
