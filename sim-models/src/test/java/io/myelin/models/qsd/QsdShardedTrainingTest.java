package io.myelin.models.qsd;

import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.models.train.shard.LocalShards;
import io.myelin.models.train.shard.Sharding;
import io.myelin.models.train.shard.Sharding.BatchNormMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The K-shards mode for a QSD-Transformer: LSQ steps set before the first state copy, so one shard is ordinary
 * training bit for bit; a distilled run trains both phases sharded (the student's replicas read the teacher from the
 * run directory) and resumes in either phase to the uninterrupted run.
 */
class QsdShardedTrainingTest {
    @Test
    void oneShardIsOrdinaryTrainingAndADistilledRunShardsBothPhases(@TempDir Path tmp) throws Exception {
        QsdConfig cfg = QsdTestRuns.tiny(4, true, 2, 5, 2);
        new Trainer(cfg, QsdTestRuns.synth(), tmp.resolve("plain"), null).train();
        new Trainer(cfg, QsdTestRuns.synth(), tmp.resolve("one"), null)
                .sharded(new Sharding(1, BatchNormMode.SHARD), LocalShards.BACKEND).train();
        assertEquals(metrics(tmp.resolve("plain")), metrics(tmp.resolve("one")));
        assertArrayEquals(Files.readAllBytes(RunStore.of(tmp.resolve("plain")).weightsFile()),
                Files.readAllBytes(RunStore.of(tmp.resolve("one")).weightsFile()));

        QsdConfig distilled = QsdTestRuns.tiny(4, false, 1, 5, 2, new QsdConfig.Distillation(true, 1, 1.0));
        Sharding two = new Sharding(2, BatchNormMode.SHARD);
        new Trainer(distilled, QsdTestRuns.synth(), tmp.resolve("straight"), null).sharded(two, LocalShards.BACKEND)
                .train();
        new Trainer(distilled, QsdTestRuns.synth(), tmp.resolve("split"), null).sharded(two, LocalShards.BACKEND)
                .stopAfter(1).train();
        new Trainer(distilled, QsdTestRuns.synth(), tmp.resolve("split"), null).sharded(two, LocalShards.BACKEND)
                .resume();
        assertEquals(metrics(tmp.resolve("straight")), metrics(tmp.resolve("split")));
        assertEquals(metrics(tmp.resolve("straight").resolve(QsdRecipe.TEACHER_DIR)),
                metrics(tmp.resolve("split").resolve(QsdRecipe.TEACHER_DIR)));
        assertArrayEquals(Files.readAllBytes(RunStore.of(tmp.resolve("straight")).weightsFile()),
                Files.readAllBytes(RunStore.of(tmp.resolve("split")).weightsFile()));
    }

    private static List<String> metrics(Path run) throws Exception {
        return Files.readAllLines(run.resolve(RunStore.METRICS)).stream()
                .map(l -> l.replaceAll("\"(samples_per_s|eval_samples_per_s|epoch_s)\":[^,}]*,?", "")).toList();
    }
}
