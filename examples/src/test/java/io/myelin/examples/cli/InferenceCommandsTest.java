package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eval --threads/--batch/--warmup} and {@code bench infer}: JSON contracts, results independent of threads. */
class InferenceCommandsTest {
    @TempDir
    Path dir;

    @Test
    void evalAndBenchInferOnATrainedRun() throws Exception {
        String json = Files.readString(RepositoryFiles.path("examples/configs/shd-delays.json"))
                .replace("[256, 256]", "[20, 20]").replace("\"epochs\": 150", "\"epochs\": 1")
                .replace("\"batch\": 256", "\"batch\": 50");
        Path cfg = dir.resolve("small.json");
        Files.writeString(cfg, json);
        Path run = dir.resolve("run");
        String test = RepositoryFiles.testData("sd_mini_test.h5").toString();
        CommandRun t = CommandRun.of("train", "--config", cfg.toString(), "--train",
                RepositoryFiles.testData("sd_mini_train.h5").toString(), "--test", test, "--out", run.toString(),
                "--no-report", "--quiet");
        assertEquals(0, t.code(), t.err());

        JsonNode one = eval(run, test, "--threads", "1", "--batch", "64", "--warmup", "0");
        for (String threads : new String[]{"1", "3"}) {
            for (String batch : new String[]{"1", "7"}) {
                JsonNode r = eval(run, test, "--threads", threads, "--batch", batch, "--engine", "event");
                assertEquals(one.get("accuracy").asDouble(), r.get("accuracy").asDouble(), threads + " threads, batch " + batch);
                assertEquals(1.0, r.get("agreement").asDouble());
                assertEquals(Integer.parseInt(threads), r.get("threads").asInt());
                assertTrue(r.get("warmup_s").asDouble() > 0);
            }
        }

        CommandRun b = CommandRun.of("bench", "infer", "--model", run.toString(), "--test", test, "--threads", "2",
                "--warmup", "0", "--repeats", "1", "--paths", "reference,eval,eval1,clock,event,clock-stepwise,event-stepwise");
        assertEquals(0, b.code(), b.err());
        JsonNode n = Json.reader().readTree(b.out().trim());
        assertEquals(40, n.get("samples").asInt());
        assertTrue(n.get("macs_per_sample").asDouble() > 0 && n.get("acs_per_sample").asDouble() > 0);
        for (String p : new String[]{"reference", "eval1", "clock", "event", "clock-stepwise", "event-stepwise"}) {
            assertEquals(1.0, n.get(p).get("agreement_with_eval").asDouble(), p);
            assertTrue(n.get(p).get("samples_per_s").asDouble() > 0, p);
        }
        assertEquals(one.get("accuracy").asDouble(), n.get("eval").get("accuracy").asDouble());

        CommandRun bad = CommandRun.of("bench", "infer", "--model", run.toString(), "--test", test, "--paths", "gpu");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown inference path"), bad.err());
        CommandRun badThreads = CommandRun.of("eval", "--model", run.toString(), "--test", test, "--threads", "0");
        assertEquals(2, badThreads.code());
        assertTrue(badThreads.err().contains("--threads must be >= 1"), badThreads.err());
    }

    private static JsonNode eval(Path run, String test, String... extra) throws Exception {
        String[] args = new String[6 + extra.length];
        args[0] = "eval";
        args[1] = "--model";
        args[2] = run.toString();
        args[3] = "--test";
        args[4] = test;
        args[5] = "--json";
        System.arraycopy(extra, 0, args, 6, extra.length);
        CommandRun r = CommandRun.of(args);
        assertEquals(0, r.code(), r.err());
        return Json.reader().readTree(r.out().trim());
    }
}
