package io.myelin.models.train.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.data.DataConfig;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.data.TrainingSets;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.models.train.Phase;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.models.train.shard.Sharding.BatchNormMode;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The K-shards mode of the trainer (synchronous data parallelism in one process). */
class ShardedTrainingTest {
    @Test
    void oneShardIsOrdinaryTrainingBitForBit(@TempDir Path tmp) throws IOException {
        DelaySnnConfig cfg = config(0.4, 2, 8);
        new Trainer(cfg, files(), tmp.resolve("plain"), null).train();
        new Trainer(cfg, files(), tmp.resolve("one"), null).sharded(new Sharding(1, BatchNormMode.SHARD),
                LocalShards.BACKEND).train();
        assertEquals(reproducible(tmp.resolve("plain")), reproducible(tmp.resolve("one")));
        assertArrayEquals(Files.readAllBytes(RunStore.of(tmp.resolve("plain")).weightsFile()),
                Files.readAllBytes(RunStore.of(tmp.resolve("one")).weightsFile()));
    }

    /**
     * With synchronised BatchNorm, no dropout and the two shards padded like the whole batch, the shards' weighted
     * gradients add up to the gradient of the whole batch (rounding aside): the shard weights and the synchronised
     * statistics are right.
     */
    @Test
    void synchronisedShardsAddUpToTheWholeBatchGradient() {
        DelaySnnConfig c = config(0, 1, 8);
        // spikes after 300 ms dropped: most samples then last the same 30 frames
        DelaySnnConfig cfg = new DelaySnnConfig(c.name(), new DataConfig(10.0, 5, 300, 0), c.model(), c.training())
                .validate("test");
        TrainingSets sets = TrainingSets.open(cfg.data(), 0, files());
        BinnedSet train = sets.train();
        Integer[] byLength = new Integer[train.size()];
        for (int i = 0; i < byLength.length; i++) {
            byLength[i] = i;
        }
        Arrays.sort(byLength, (a, b) -> Integer.compare(train.sample(b).frames(), train.sample(a).frames()));
        assertEquals(train.sample(byLength[0]).frames(), train.sample(byLength[1]).frames(),
                "the test needs two samples of the longest length");
        // the two longest samples lead the two shards, so both are padded as the whole batch is
        int[] batch = {byLength[0], byLength[5], byLength[9], byLength[1], byLength[20], byLength[33]};
        Phase<?> phase = Phase.only(cfg);
        Map<String, float[]> state;
        float[][] whole;
        try (ShardReplica one = ShardReplica.build(phase, null, train, sets.trainDs().classes(), 1)) {
            state = io.myelin.models.train.Recipes.of(cfg).build(cfg, train.channels(), sets.trainDs().classes()).state();
            whole = one.run(state, ShardStep.of(new Sharding(1, BatchNormMode.SHARD), batch, 5), 0, false, null)
                    .gradients();
        }
        Sharding two = new Sharding(2, BatchNormMode.SYNC);
        List<ShardResult> rs;
        try (ShardGradients shards = LocalShards.BACKEND.open(new ShardSetup(cfg, phase, files(), null, sets, two, 2))) {
            rs = shards.compute(state, ShardStep.of(two, batch, 5));
        }
        assertEquals(2, rs.size());
        double worst = 0;
        for (int p = 0; p < whole.length; p++) {
            double scale = 0;
            for (float v : whole[p]) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int j = 0; j < whole[p].length; j++) {
                double sum = rs.get(0).gradients()[p][j] + rs.get(1).gradients()[p][j];
                worst = Math.max(worst, Math.abs(sum - whole[p][j]) / Math.max(scale, 1e-12));
            }
        }
        assertTrue(worst < 1e-4, "sharded gradients differ from the whole batch's by " + worst + " of the largest");
    }

    @Test
    void aShardedRunResumesToTheUninterruptedRunAndOnlyInItsOwnMode(@TempDir Path tmp) throws IOException {
        DelaySnnConfig cfg = config(0.4, 3, 8);
        Sharding sharding = new Sharding(2, BatchNormMode.SYNC);
        new Trainer(cfg, files(), tmp.resolve("straight"), null).sharded(sharding, LocalShards.BACKEND).train();
        new Trainer(cfg, files(), tmp.resolve("split"), null).sharded(sharding, LocalShards.BACKEND).stopAfter(1)
                .train();
        InvalidInputException plain = assertThrows(InvalidInputException.class,
                () -> new Trainer(cfg, files(), tmp.resolve("split"), null).resume());
        assertTrue(plain.getMessage().contains("was trained in 2 shards, BatchNorm synchronised; resume it the same way"),
                plain.getMessage());
        InvalidInputException other = assertThrows(InvalidInputException.class,
                () -> new Trainer(cfg, files(), tmp.resolve("split"), null)
                        .sharded(new Sharding(2, BatchNormMode.SHARD), LocalShards.BACKEND).resume());
        assertTrue(other.getMessage().contains("2 shards, BatchNorm synchronised"), other.getMessage());
        new Trainer(cfg, files(), tmp.resolve("split"), null).sharded(sharding, LocalShards.BACKEND).resume();
        assertEquals(reproducible(tmp.resolve("straight")), reproducible(tmp.resolve("split")));
        assertArrayEquals(Files.readAllBytes(RunStore.of(tmp.resolve("straight")).weightsFile()),
                Files.readAllBytes(RunStore.of(tmp.resolve("split")).weightsFile()));
        // and two shards are not one: the mode changes the run
        new Trainer(cfg, files(), tmp.resolve("plain"), null).train();
        assertNotEquals(reproducible(tmp.resolve("plain")), reproducible(tmp.resolve("straight")));
    }

    /** The SHD recipe shrunk: two hidden layers of 16, 7 taps, batch 24 of sd_mini's 100 samples. */
    static DelaySnnConfig config(double dropout, int epochs, int taps) {
        return new DelaySnnConfig("shard-test", new DataConfig(10.0, 5, 0, 0),
                new DelaySnnConfig.Model(List.of(16, 16), "learned", taps, 10.05, 1.0, 5.0, dropout, 3.0, 0.23),
                new DelaySnnConfig.Training(epochs, 24, 3, 5e-3, 1e-5, 0.1, 2)).validate("test");
    }

    static TrainingFiles files() {
        return new TrainingFiles(RepositoryFiles.testData("sd_mini_train.h5"), null,
                RepositoryFiles.testData("sd_mini_test.h5"));
    }

    /** A run's metrics lines without their timings. */
    static List<String> reproducible(Path run) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunStore.METRICS))) {
            JsonNode n = m.readTree(line);
            ((ObjectNode) n).remove(List.of("samples_per_s", "eval_samples_per_s", "epoch_s"));
            out.add(n.toString());
        }
        return out;
    }
}
