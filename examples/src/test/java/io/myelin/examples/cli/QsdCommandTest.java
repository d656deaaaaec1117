package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.models.qsd.QsdConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.myelin.examples.cli.TrainEvalCommandTest.repo;
import static io.myelin.examples.cli.TrainEvalCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code myelin train/eval/report} on QSD-Transformer configs: the same contracts as for the delay SNN. */
class QsdCommandTest {
    @TempDir
    Path dir;

    Path smallConfig(boolean distill) throws Exception {
        String json = Files.readString(repo("examples/configs/shd-qsd.json"))
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
        TrainEvalCommandTest.Run t = run("train", "--config", smallConfig(true).toString(),
                "--train", repo("test-data/synth_train.h5").toString(), "--test", repo("test-data/synth_test.h5").toString(),
                "--out", out.toString(), "--json", "--quiet", "--threads", "1");
        assertEquals(0, t.code(), t.err());
        String[] lines = t.out().trim().split("\n");
        JsonNode s = new ObjectMapper().readTree(lines[lines.length - 1]);
        for (String k : List.of("best_test_acc", "final_test_acc", "train_samples_per_s")) {
            assertTrue(s.has(k), k + " in " + s);
        }
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertEquals(1, Files.readAllLines(out.resolve("teacher").resolve("metrics.jsonl")).size(), "teacher trained first");
        JsonNode m0 = new ObjectMapper().readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        for (String k : List.of("epoch", "train_loss", "distill_loss", "train_acc", "test_acc", "samples_per_s")) {
            assertTrue(m0.has(k), k + " in " + m0);
        }
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report").resolve("report.json").toFile());
        assertTrue(rep.get("total").get("acs").asLong() > 0 && rep.get("total").get("macs").asLong() > 0);
        assertTrue(rep.get("model_size").get("compression").asDouble() > 5, "4-bit weights: " + rep.get("model_size"));

        TrainEvalCommandTest.Run e = run("eval", "--model", out.toString(), "--test",
                repo("test-data/synth_test.h5").toString(), "--integer", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode r = new ObjectMapper().readTree(e.out().trim());
        assertEquals(100, r.get("samples").asInt());
        assertEquals(s.get("best_test_acc").asDouble(), r.get("accuracy").asDouble(), 1e-12);
        assertEquals(1.0, r.get("agreement").asDouble(), "integer predictions equal the float-simulated model's");
        assertEquals(100, r.get("identical_logits").asInt(), "bit for bit");
        assertEquals(r.get("accuracy").asDouble(), r.get("integer_accuracy").asDouble(), 1e-12);

        TrainEvalCommandTest.Run bad = run("eval", "--model", out.toString(), "--test",
                repo("test-data/synth_test.h5").toString(), "--integer", "tpu");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("java, opencl"), bad.err());
        TrainEvalCommandTest.Run engine = run("eval", "--model", out.toString(), "--test",
                repo("test-data/synth_test.h5").toString(), "--engine");
        assertEquals(2, engine.code());
        assertTrue(engine.err().contains("--integer"), engine.err());
        TrainEvalCommandTest.Run teacherInt = run("eval", "--model", out.resolve("teacher").toString(), "--test",
                repo("test-data/synth_test.h5").toString(), "--integer");
        assertEquals(2, teacherInt.code());
        assertTrue(teacherInt.err().contains("float32"), teacherInt.err());

        TrainEvalCommandTest.Run resumed = run("train", "--train", repo("test-data/synth_train.h5").toString(),
                "--test", repo("test-data/synth_test.h5").toString(), "--resume", out.toString(), "--json", "--quiet",
                "--no-report");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "a finished run resumes to no new epoch");
    }

    @Test
    void badQsdConfigsAreOneLineErrors() throws Exception {
        String json = Files.readString(smallConfig(false)).replace("\"levels\": 4", "\"levels\": 3");
        Files.writeString(dir.resolve("bad.json"), json);
        TrainEvalCommandTest.Run r = run("train", "--config", dir.resolve("bad.json").toString(), "--train",
                repo("test-data/synth_train.h5").toString(), "--test", repo("test-data/synth_test.h5").toString(),
                "--out", dir.resolve("r").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.json") && r.err().contains("model.levels"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void shippedQsdConfigs() {
        QsdConfig shd = QsdConfig.read(repo("examples/configs/shd-qsd.json"));
        assertEquals(4.0, shd.bitWidth().nominalBits);
        assertEquals(4, shd.model().levels());
        assertTrue(shd.model().embeddingDelays() && shd.model().rectify() && shd.distillation().enabled());
        QsdConfig ssc = QsdConfig.read(repo("examples/configs/ssc-qsd.json"));
        assertEquals(2, ssc.model().blocks());
        assertEquals(0, ssc.model().embedDim() % ssc.model().heads());
    }
}
