package io.myelin.models.delay;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.data.DataConfig;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelayTrainerTest {
    /** The fields of a metrics line that must reproduce exactly (timings excluded). */
    static List<String> reproducible(Path metrics) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = Json.reader().readTree(line);
            ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove(List.of("samples_per_s", "eval_samples_per_s", "epoch_s"));
            out.add(n.toString());
        }
        return out;
    }

    @Test
    void resumeAfterAStopReproducesTheUninterruptedRunExactly(@TempDir Path tmp) throws IOException {
        DelaySnnConfig cfg = TestRuns.small("learned", 24, 9, 3, 25, 5, 2);
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split");
        Trainer.Summary a = new Trainer(cfg, TestRuns.sdMini(), straight, null).train();
        new Trainer(cfg, TestRuns.sdMini(), split, null).stopAfter(1).train();
        assertEquals(1, Files.readAllLines(split.resolve(RunStore.METRICS)).size());
        // a stale partial line (a kill between the metrics append and the checkpoint) must not survive the resume
        Files.writeString(split.resolve(RunStore.METRICS), "{\"epoch\": 1, \"torn\n",
                java.nio.file.StandardOpenOption.APPEND);
        Trainer.Summary b = new Trainer(cfg, TestRuns.sdMini(), split, null).resume();
        assertEquals(reproducible(straight.resolve(RunStore.METRICS)), reproducible(split.resolve(RunStore.METRICS)));
        assertEquals(a.bestTestAcc(), b.bestTestAcc());
        assertEquals(a.finalTestAcc(), b.finalTestAcc());
        assertEquals(RunStore.of(straight).weightsFile().getFileName(), RunStore.of(split).weightsFile().getFileName());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(RunStore.of(straight).weightsFile()),
                Files.readAllBytes(RunStore.of(split).weightsFile())), "best model weights must be bit-identical");
        try (var files = Files.list(split)) {
            assertEquals(1, files.filter(f -> RunStore.isWeightsFile(f.getFileName().toString())).count(),
                    "older weight files are removed");
        }
        assertEquals(3, Files.readAllLines(split.resolve(RunStore.METRICS)).size());
    }

    @Test
    void resultsDoNotDependOnTheThreadCountAndTheSeedMatters(@TempDir Path tmp) throws IOException {
        new Trainer(TestRuns.small("learned", 16, 7, 1, 50, 3, 1), TestRuns.sdMini(), tmp.resolve("t1"), null).train();
        new Trainer(TestRuns.small("learned", 16, 7, 1, 50, 3, 2), TestRuns.sdMini(), tmp.resolve("t2"), null).train();
        new Trainer(TestRuns.small("learned", 16, 7, 1, 50, 4, 2), TestRuns.sdMini(), tmp.resolve("s4"), null).train();
        List<String> one = reproducible(tmp.resolve("t1").resolve(RunStore.METRICS));
        assertEquals(one, reproducible(tmp.resolve("t2").resolve(RunStore.METRICS)));
        assertFalse(one.equals(reproducible(tmp.resolve("s4").resolve(RunStore.METRICS))));
    }

    @Test
    void metricsLinesCarryTheContractFieldsAndTheModelLoadsBack(@TempDir Path tmp) throws IOException {
        DelaySnnConfig cfg = TestRuns.small("learned", 16, 7, 2, 50, 1, 2);
        Trainer.Summary s = new Trainer(cfg, TestRuns.sdMini(), tmp, null).train();
        List<String> lines = Files.readAllLines(tmp.resolve(RunStore.METRICS));
        assertEquals(2, lines.size());
        for (String line : lines) {
            JsonNode n = Json.reader().readTree(line);
            for (String key : List.of("epoch", "train_loss", "train_acc", "test_acc", "samples_per_s", "firing_rate", "sigma", "lr")) {
                assertTrue(n.has(key), key + " missing in " + line);
            }
            assertEquals(2, n.get("firing_rate").size());
        }
        DelaySnn loaded = RunStore.of(tmp).loadModel(DelaySnn.class);
        BinnedSet test = new BinnedSet(io.myelin.core.data.Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5")),
                new io.myelin.core.data.FrameBinner(10, 5, 0));
        Evaluation.Result r = Evaluation.run(loaded, test, 7);
        JsonNode prov = RunStore.of(tmp).provenance();
        assertEquals(s.bestTestAcc(), prov.get("test_acc").asDouble());
        assertEquals(prov.get("test_acc").asDouble(), r.accuracy(), "the saved model reproduces its recorded accuracy"
                + " (in any batch size)");
    }

    @Test
    void validationFileOrCarvedValidationSelectsTheBestModel(@TempDir Path tmp) throws IOException {
        DelaySnnConfig cfg = TestRuns.small("learned", 8, 5, 2, 50, 1, 2);
        TrainingFiles withValid = new TrainingFiles(RepositoryFiles.testData("sd_mini_train.h5"),
                RepositoryFiles.testData("sd_mini_test.h5"), RepositoryFiles.testData("sd_mini_test.h5"));
        Trainer.Summary s = new Trainer(cfg, withValid, tmp.resolve("file"), null).train();
        for (String line : Files.readAllLines(tmp.resolve("file").resolve(RunStore.METRICS))) {
            JsonNode n = Json.reader().readTree(line);
            assertEquals(n.get("valid_acc").asDouble(), n.get("test_acc").asDouble(), "same file, same accuracy");
        }
        assertEquals(s.bestValidAcc(), RunStore.of(tmp.resolve("file")).provenance().get("valid_acc").asDouble());

        DelaySnnConfig carved = new DelaySnnConfig(cfg.name(), new DataConfig(10.0, 5, 0, 0.2), cfg.model(),
                cfg.training()).validate("test");
        new Trainer(carved, TestRuns.sdMini(), tmp.resolve("carved"), null).train();
        JsonNode prov = RunStore.of(tmp.resolve("carved")).provenance();
        assertEquals(80, prov.get("train_samples").asInt(), "20% of 100 samples held out");
        assertTrue(Json.reader().readTree(Files.readAllLines(tmp.resolve("carved").resolve(RunStore.METRICS)).get(0)).has("valid_acc"));
    }

    /**
     * The divergence check of every kind: a learning rate that overflows the weights in the first step must stop the
     * run with one line naming training.maxLr, not finish with a model of NaNs.
     */
    @Test
    void aDivergingRunStopsWithAClearError(@TempDir Path tmp) {
        DelaySnnConfig good = TestRuns.small("learned", 8, 5, 1, 50, 1, 1);
        DelaySnnConfig.Training t = good.training();
        DelaySnnConfig diverging = new DelaySnnConfig(good.name(), good.data(), good.model(), new DelaySnnConfig.Training(
                1, t.batch(), t.seed(), 1e38, t.weightDecay(), t.positionLr(), 1)).validate("x");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Trainer(diverging, TestRuns.sdMini(), tmp, null).train());
        assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains("training.maxLr"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve(RunStore.MODEL_JSON)), "no model saved");
    }

    @Test
    void clearErrors(@TempDir Path tmp) throws IOException {
        DelaySnnConfig cfg = TestRuns.small("learned", 8, 5, 1, 50, 1, 1);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Trainer(cfg,
                new TrainingFiles(tmp.resolve("missing.h5"), null, RepositoryFiles.testData("sd_mini_test.h5")), tmp, null).train());
        assertTrue(e.getMessage().contains("missing.h5"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new Trainer(cfg, TestRuns.sdMini(), tmp.resolve("none"), null).resume());
        assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
        Files.writeString(tmp.resolve("c.json"), "{\"name\":\"x\"}");
        e = assertThrows(InvalidInputException.class, () -> DelaySnnConfig.read(tmp.resolve("c.json")));
        assertTrue(e.getMessage().contains("c.json"), e.getMessage());
        String bad = cfg.toJson().replace("\"learned\"", "\"sometimes\"");
        e = assertThrows(InvalidInputException.class, () -> DelaySnnConfig.fromJson(bad, "bad.json"));
        assertTrue(e.getMessage().contains("model.delays"), e.getMessage());
        String nan = cfg.toJson().replace("\"tauMs\" : 10.05", "\"tauMs\" : -1");
        e = assertThrows(InvalidInputException.class, () -> DelaySnnConfig.fromJson(nan, "neg.json"));
        assertTrue(e.getMessage().contains("model.tauMs"), e.getMessage());
        Files.write(tmp.resolve(RunStore.CHECKPOINT), new byte[]{1, 2, 3});
        e = assertThrows(InvalidInputException.class, () -> new Trainer(cfg, TestRuns.sdMini(), tmp, null).resume());
        assertTrue(e.getMessage().contains("checkpoint.bin"), e.getMessage());
    }
}
