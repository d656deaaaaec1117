package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench train}'s JSON line: alone, with a paired thread count, and over a run's SIG schedule. */
class BenchTrainCommandTest {
    @TempDir
    Path dir;

    private Path smallConfig() throws Exception {
        String json = Files.readString(RepositoryFiles.path("examples/configs/shd-delays.json"))
                .replace("[256, 256]", "[16, 16]").replace("\"batch\": 256", "\"batch\": 20");
        Path f = dir.resolve("small.json");
        Files.writeString(f, json);
        return f;
    }

    private JsonNode run(String... extra) throws Exception {
        String[] base = {"bench", "train", "--config", smallConfig().toString(), "--train",
                RepositoryFiles.testData("sd_mini_train.h5").toString(), "--batches", "3", "--warmup", "1",
                "--max-warmup", "1", "--threads", "2"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CommandRun r = CommandRun.of(args);
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        return Json.reader().readTree(lines[lines.length - 1]);
    }

    @Test
    void aPairedThreadCountReportsItsSpeedAndTheSpeedupBatchByBatch() throws Exception {
        JsonNode j = run("--pair-threads", "1");
        assertEquals(2, j.get("threads").asInt());
        assertEquals(1, j.get("pair").get("threads").asInt());
        assertTrue(j.get("pair").get("samples_per_s").asDouble() > 0);
        assertEquals(3, j.get("batch_speedups").size());
        double ratio = j.get("pair").get("seconds").asDouble() / j.get("seconds").asDouble();
        assertEquals(ratio, j.get("speedup_over_pair").asDouble(), 1e-9 * ratio);
        assertTrue(j.get("min_batch_speedup").asDouble() <= j.get("median_batch_speedup").asDouble());
    }

    @Test
    void withoutAPairThereIsNoPairedFigure() throws Exception {
        JsonNode j = run();
        assertTrue(j.get("samples_per_s").asDouble() > 0);
        assertFalse(j.has("pair") || j.has("speedup_over_pair"), j.toString());
    }

    @Test
    void aScheduleReportsEveryPointAndTheRunsMean() throws Exception {
        Path cfg = dir.resolve("eight.json");
        Files.writeString(cfg, Files.readString(smallConfig()).replace("\"epochs\": 150", "\"epochs\": 8"));
        CommandRun r = CommandRun.of("bench", "train", "--config", cfg.toString(), "--train",
                RepositoryFiles.testData("sd_mini_train.h5").toString(), "--batches", "1", "--warmup", "1",
                "--max-warmup", "1", "--schedule");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        JsonNode j = Json.reader().readTree(lines[lines.length - 1]);
        assertEquals(8, j.get("epochs").asInt());
        JsonNode points = j.get("schedule");
        assertEquals(3, points.size(), j.toString());
        int epochs = 0;
        double time = 0;
        for (JsonNode p : points) {
            epochs += p.get("epochs").asInt();
            time += p.get("epochs").asInt() / p.get("samples_per_s").asDouble();
        }
        assertEquals(8, epochs);
        assertEquals(8 / time, j.get("samples_per_s").asDouble(), 1e-9 * j.get("samples_per_s").asDouble());
    }

    @Test
    void aScheduleWithAFixedSigIsOneClearLine() throws Exception {
        CommandRun r = CommandRun.of("bench", "train", "--config", smallConfig().toString(), "--train",
                RepositoryFiles.testData("sd_mini_train.h5").toString(), "--schedule", "--sig", "3");
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n") || err.contains("Exception"), err);
        assertTrue(err.contains("--schedule"), err);
    }

    @Test
    void aNegativePairedThreadCountIsOneClearLine() throws Exception {
        CommandRun r = CommandRun.of("bench", "train", "--config", smallConfig().toString(), "--train",
                RepositoryFiles.testData("sd_mini_train.h5").toString(), "--batches", "1", "--pair-threads", "-2");
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n") || err.contains("Exception"), err);
        assertTrue(err.contains("paired thread count"), err);
    }
}
