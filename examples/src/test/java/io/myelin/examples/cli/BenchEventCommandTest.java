package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.myelin.core.json.Json;
import io.myelin.examples.Myelin;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchEventCommandTest {

    private static List<JsonNode> run(String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Myelin.commandLine().execute(args));
        } finally {
            System.setOut(old);
        }
        ObjectReader json = Json.reader();
        return buf.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }

    @Test
    void deltaCubaRunsOnBothQueuesWithIdenticalSpikesAndOnTheClockEngine() throws Exception {
        List<JsonNode> lines = run("bench", "event", "--network", "cuba", "--n", "200", "--duration-ms", "100", "--repeats", "1");
        assertEquals(3, lines.size());
        assertEquals("event", lines.get(0).get("engine").asText());
        assertEquals("clock", lines.get(2).get("engine").asText());
        long spikes = lines.get(0).get("spikes").asLong();
        assertTrue(spikes > 50, "delta CUBA must stay active: " + spikes);
        assertEquals(spikes, lines.get(1).get("spikes").asLong(), "heap and calendar give identical runs");
        // Same regime on both engines: spike counts within 20%.
        assertEquals(spikes, lines.get(2).get("spikes").asLong(), 0.2 * spikes);
    }

    @Test
    void queueHoldBenchmarkReportsBothQueues() throws Exception {
        List<JsonNode> lines = run("bench", "event", "--network", "queue", "--n", "100", "--repeats", "1");
        assertEquals(6, lines.size());
        assertEquals("heap", lines.get(0).get("queue").asText());
        assertEquals("calendar", lines.get(1).get("queue").asText());
        assertTrue(lines.get(0).get("nsPerHold").asDouble() > 0);
    }
}
