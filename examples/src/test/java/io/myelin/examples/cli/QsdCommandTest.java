package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.qsd.QsdConfig;
import io.myelin.models.qsd.QsdRecipe;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code myelin train/eval/report} on QSD-Transformer configs: the same contracts as for the delay SNN. */
class QsdCommandTest {
    @TempDir
    Path dir;

    Path smallConfig(boolean distill) throws Exception {
        String json = Files.readString(RepositoryFiles.path("examples/configs/shd-qsd.json"))
                .replace("\"embedDim\": 128", "\"embedDim\": 16").replace("\"heads\": 8", "\"heads\": 2")
                .replace("\"mlpRatio\": 4", "\"mlpRatio\": 2").replace("\"taps\": 25", "\"taps\": 7")
                .replace("\"epochs\": 20", "\"epochs\": 2").replace("\"teacherEpochs\": 20", "\"teacherEpochs\": 1")
                .replace("\"enabled\": true", "\"enabled\": " + distill);
        Path f = dir.resolve("small-qsd.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void trainEvalIntegerAndReport() throws Exception {
        Path out = dir.resolve("run");
        CommandRun t = CommandRun.of("train", "--config", smallConfig(true).toString(),
                "--train", RepositoryFiles.testData("synth_train.h5").toString(), "--test", RepositoryFiles.testData("synth_test.h5").toString(),
                "--out", out.toString(), "--json", "--quiet", "--threads", "1");
        assertEquals(0, t.code(), t.err());
        String[] lines = t.out().trim().split("\n");
        JsonNode s = Json.reader().readTree(lines[lines.length - 1]);
        for (String k : List.of("best_test_acc", "final_test_acc", "train_samples_per_s")) {
            assertTrue(s.has(k), k + " in " + s);
        }
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertEquals(1, Files.readAllLines(out.resolve("teacher").resolve("metrics.jsonl")).size(), "teacher trained first");
        JsonNode m0 = Json.reader().readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        for (String k : List.of("epoch", "train_loss", "distill_loss", "train_acc", "test_acc", "samples_per_s")) {
            assertTrue(m0.has(k), k + " in " + m0);
        }
        JsonNode rep = Json.tree(out.resolve("report").resolve("report.json"));
        assertTrue(rep.get("total").get("acs").asLong() > 0 && rep.get("total").get("macs").asLong() > 0);
        assertTrue(rep.get("model_size").get("compression").asDouble() > 5, "4-bit weights: " + rep.get("model_size"));

        CommandRun e = CommandRun.of("eval", "--model", out.toString(), "--test",
                RepositoryFiles.testData("synth_test.h5").toString(), "--integer", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode r = Json.reader().readTree(e.out().trim());
        assertEquals(100, r.get("samples").asInt());
        assertEquals(s.get("best_test_acc").asDouble(), r.get("accuracy").asDouble(), 1e-12);
        assertEquals(1.0, r.get("agreement").asDouble(), "integer predictions equal the float-simulated model's");
        assertEquals(100, r.get("identical_logits").asInt(), "bit for bit");
        assertEquals(r.get("accuracy").asDouble(), r.get("integer_accuracy").asDouble(), 1e-12);

        CommandRun bad = CommandRun.of("eval", "--model", out.toString(), "--test",
                RepositoryFiles.testData("synth_test.h5").toString(), "--integer", "tpu");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("java, opencl"), bad.err());
        CommandRun engine = CommandRun.of("eval", "--model", out.toString(), "--test",
                RepositoryFiles.testData("synth_test.h5").toString(), "--engine");
        assertEquals(2, engine.code());
        assertTrue(engine.err().contains("--integer"), engine.err());
        CommandRun teacherInt = CommandRun.of("eval", "--model", out.resolve("teacher").toString(), "--test",
                RepositoryFiles.testData("synth_test.h5").toString(), "--integer");
        assertEquals(2, teacherInt.code());
        assertTrue(teacherInt.err().contains("float32"), teacherInt.err());

        CommandRun resumed = CommandRun.of("train", "--train", RepositoryFiles.testData("synth_train.h5").toString(),
                "--test", RepositoryFiles.testData("synth_test.h5").toString(), "--resume", out.toString(), "--json", "--quiet",
                "--no-report");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "a finished run resumes to no new epoch");
    }

    /** metrics.jsonl without its timing fields. */
    static List<JsonNode> reproducible(Path metrics) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            com.fasterxml.jackson.databind.node.ObjectNode n =
                    (com.fasterxml.jackson.databind.node.ObjectNode) Json.reader().readTree(line);
            n.remove(List.of("samples_per_s", "eval_samples_per_s", "epoch_s"));
            out.add(n);
        }
        return out;
    }

    /**
     * A distilled run killed while its teacher trains continues with {@code --resume DIR} alone (the run recorded its
     * config when it started) to what the uninterrupted run gives; a run directory of format v1, which has no such
     * record, says in one line that it needs {@code --config}, and continues with it.
     */
    @Test
    void aRunKilledInItsTeacherPhaseResumes() throws Exception {
        Path cfgFile = dir.resolve("teacher2.json");
        Files.writeString(cfgFile, Files.readString(smallConfig(true)).replace("\"teacherEpochs\": 1",
                "\"teacherEpochs\": 2"));
        String train = RepositoryFiles.testData("synth_train.h5").toString(), test = RepositoryFiles.testData("synth_test.h5").toString();
        Path straight = dir.resolve("straight"), killed = dir.resolve("killed"), old = dir.resolve("old");
        CommandRun t = CommandRun.of("train", "--config", cfgFile.toString(), "--train", train, "--test", test,
                "--out", straight.toString(), "--quiet", "--no-report");
        assertEquals(0, t.code(), t.err());
        QsdConfig cfg = (QsdConfig) RunConfig.read(cfgFile);
        TrainingFiles files = new TrainingFiles(Path.of(train), null, Path.of(test));
        new Trainer(cfg, files, killed, null).stopAfter(1).train();
        new Trainer(cfg.asFloatTeacher(), files, old.resolve(QsdRecipe.TEACHER_DIR), null).stopAfter(1).train();

        CommandRun r = CommandRun.of("train", "--train", train, "--test", test, "--resume", killed.toString(),
                "--quiet", "--no-report");
        assertEquals(0, r.code(), r.err());
        CommandRun o = CommandRun.of("train", "--train", train, "--test", test, "--resume", old.toString(),
                "--quiet", "--no-report");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--resume " + old + " --config"), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace");
        o = CommandRun.of("train", "--train", train, "--test", test, "--resume", old.toString(), "--config", cfgFile.toString(),
                "--quiet", "--no-report");
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.isRegularFile(old.resolve(RunStore.RUN_JSON)),
                "resumed with its config, the old run has its record now");
        for (Path resumed : List.of(killed, old)) {
            for (String phase : List.of(QsdRecipe.TEACHER_DIR, "")) {
                assertEquals(reproducible(straight.resolve(phase).resolve("metrics.jsonl")),
                        reproducible(resumed.resolve(phase).resolve("metrics.jsonl")), resumed + " " + phase);
            }
            assertArrayEquals(Files.readAllBytes(RunStore.of(straight).weightsFile()),
                    Files.readAllBytes(RunStore.of(resumed).weightsFile()), "best model of " + resumed);
        }
        // --overwrite starts afresh: the run record and the teacher go with the rest
        CommandRun w = CommandRun.of("train", "--config", cfgFile.toString(), "--train", train, "--test", test,
                "--out", killed.toString(), "--quiet", "--no-report", "--overwrite", "--epochs", "1");
        assertEquals(0, w.code(), w.err());
        assertEquals(1, Files.readAllLines(killed.resolve("metrics.jsonl")).size());
        assertEquals(2, Files.readAllLines(killed.resolve(QsdRecipe.TEACHER_DIR).resolve("metrics.jsonl")).size());
        assertEquals(1, ((QsdConfig) RunStore.of(killed).config()).training().epochs());
    }

    @Test
    void badQsdConfigsAreOneLineErrors() throws Exception {
        String json = Files.readString(smallConfig(false)).replace("\"levels\": 4", "\"levels\": 3");
        Files.writeString(dir.resolve("bad.json"), json);
        CommandRun r = CommandRun.of("train", "--config", dir.resolve("bad.json").toString(), "--train",
                RepositoryFiles.testData("synth_train.h5").toString(), "--test", RepositoryFiles.testData("synth_test.h5").toString(),
                "--out", dir.resolve("r").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.json") && r.err().contains("model.levels"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void shippedQsdConfigs() {
        QsdConfig shd = QsdConfig.read(RepositoryFiles.path("examples/configs/shd-qsd.json"));
        assertEquals(4.0, shd.bitWidth().nominalBits);
        assertEquals(4, shd.model().levels());
        assertTrue(shd.model().embeddingDelays() && shd.model().rectify() && shd.distillation().enabled());
        QsdConfig ssc = QsdConfig.read(RepositoryFiles.path("examples/configs/ssc-qsd.json"));
        assertEquals(2, ssc.model().blocks());
        assertEquals(0, ssc.model().embedDim() % ssc.model().heads());
    }
}
