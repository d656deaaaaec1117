package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.models.train.RunStore;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainEvalCommandTest {
    @TempDir
    Path dir;

    Path smallConfig() throws Exception {
        String json = Files.readString(RepositoryFiles.path("examples/configs/shd-delays.json"))
                .replace("[256, 256]", "[16, 16]").replace("\"epochs\": 150", "\"epochs\": 2")
                .replace("\"batch\": 256", "\"batch\": 50");
        Path f = dir.resolve("small.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void trainThenEvalWithTheEngineJsonContracts() throws Exception {
        Path out = dir.resolve("run");
        CommandRun t = CommandRun.of("train", "--config", smallConfig().toString(), "--train", RepositoryFiles.testData("sd_mini_train.h5").toString(),
                "--test", RepositoryFiles.testData("sd_mini_test.h5").toString(), "--out", out.toString(), "--json", "--quiet");
        assertEquals(0, t.code(), t.err());
        String[] lines = t.out().trim().split("\n");
        JsonNode s = Json.reader().readTree(lines[lines.length - 1]);
        for (String k : List.of("best_test_acc", "final_test_acc", "train_samples_per_s")) {
            assertTrue(s.has(k), k + " in " + s);
        }
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(Files.isRegularFile(out.resolve("model.json")) && Files.isRegularFile(io.myelin.models.train.RunStore.of(out).weightsFile()));
        // the energy report of the best model, written at the end of training
        JsonNode rep = Json.tree(out.resolve("report").resolve("report.json"));
        assertEquals(3, rep.get("layers").size());
        assertTrue(rep.get("total").get("energy_pj").asDouble() > 0);
        assertTrue(rep.get("total").get("ann_energy_pj").asDouble() > rep.get("total").get("energy_pj").asDouble());
        assertEquals(s.get("best_test_acc").asDouble(), rep.get("accuracy").get("accuracy").asDouble(), 1e-12);
        assertTrue(Files.readString(out.resolve("report").resolve("report.html")).contains("<svg"));

        CommandRun e = CommandRun.of("eval", "--model", out.toString(), "--test", RepositoryFiles.testData("sd_mini_test.h5").toString(), "--engine", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode r = Json.reader().readTree(e.out().trim());
        assertEquals(40, r.get("samples").asInt());
        assertEquals(s.get("best_test_acc").asDouble(), r.get("accuracy").asDouble(), 1e-12);
        assertEquals(1.0, r.get("agreement").asDouble(), "engine predictions equal the model's on every sample");
        assertTrue(r.get("samples_per_s").asDouble() > 0);
        CommandRun ev = CommandRun.of("eval", "--model", out.toString(), "--test", RepositoryFiles.testData("sd_mini_test.h5").toString(), "--engine", "event", "--json");
        assertEquals(0, ev.code(), ev.err());
        assertEquals(1.0, Json.reader().readTree(ev.out().trim()).get("agreement").asDouble(), "event-driven engine too");
        CommandRun badEngine = CommandRun.of("eval", "--model", out.toString(), "--test", RepositoryFiles.testData("sd_mini_test.h5").toString(), "--engine", "gpu");
        assertEquals(2, badEngine.code());
        assertTrue(badEngine.err().contains("clock or event"), badEngine.err());

        CommandRun resumed = CommandRun.of("train", "--train", RepositoryFiles.testData("sd_mini_train.h5").toString(),
                "--test", RepositoryFiles.testData("sd_mini_test.h5").toString(), "--resume", out.toString(), "--json", "--quiet");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "a finished run resumes to no new epoch");
    }

    @Test
    void badInputIsOneLineErrors() throws Exception {
        CommandRun noConfig = CommandRun.of("train", "--train", "a.h5", "--test", "b.h5", "--out", dir.toString());
        assertEquals(2, noConfig.code());
        assertTrue(noConfig.err().contains("--config is required"), noConfig.err());
        CommandRun missing = CommandRun.of("train", "--config", smallConfig().toString(), "--train", dir.resolve("nope.h5").toString(),
                "--test", dir.resolve("nope.h5").toString(), "--out", dir.resolve("r").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("myelin: error:") && missing.err().contains("nope.h5"), missing.err());
        assertFalse(missing.err().contains("\tat "), "no stack trace");
        CommandRun noModel = CommandRun.of("eval", "--model", dir.toString(), "--test", RepositoryFiles.testData("sd_mini_test.h5").toString());
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().contains("model.json"), noModel.err());
        Files.writeString(dir.resolve("bad.json"), "{\"name\": \"x\", \"data\": {}}");
        CommandRun badCfg = CommandRun.of("train", "--config", dir.resolve("bad.json").toString(), "--train", "a", "--test", "b", "--out",
                dir.resolve("r2").toString());
        assertEquals(2, badCfg.code());
        assertTrue(badCfg.err().contains("bad.json"), badCfg.err());
    }

    @Test
    void shippedConfigsAreTheRecipes() {
        DelaySnnConfig shd = DelaySnnConfig.read(RepositoryFiles.path("examples/configs/shd-delays.json"));
        assertEquals(List.of(256, 256), shd.model().hidden());
        assertEquals(25, shd.model().taps());
        assertEquals(1.005, shd.tauSteps(), 1e-12);
        assertEquals(0.4, shd.model().dropout());
        assertEquals(150, shd.training().epochs());
        assertEquals(256, shd.training().batch());
        DelaySnnConfig ssc = DelaySnnConfig.read(RepositoryFiles.path("examples/configs/ssc-delays.json"));
        assertEquals(List.of(512, 512, 512), ssc.model().hidden());
        assertEquals(1.5, ssc.tauSteps(), 1e-12);
        assertEquals(DelaySnnConfig.Delays.NONE, DelaySnnConfig.read(RepositoryFiles.path("examples/configs/shd-nodelays.json")).delayMode());
        assertEquals(DelaySnnConfig.Delays.RANDOM, DelaySnnConfig.read(RepositoryFiles.path("examples/configs/shd-random-delays.json")).delayMode());
    }
}
