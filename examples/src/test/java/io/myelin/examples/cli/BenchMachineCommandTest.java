package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;
import io.myelin.examples.machine.ScalingCeiling;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchMachineCommandTest {
    @Test
    void printsBothLoadsRoundByRound() throws Exception {
        CommandRun run = CommandRun.of("bench", "machine", "--threads", "2", "--rounds", "3", "--work", "0.002");
        assertEquals(0, run.code(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(1, lines.length, run.out());
        JsonNode j = Json.reader().readTree(lines[0]);
        assertEquals("machine", j.get("bench").asText());
        assertEquals(2, j.get("threads").asInt());
        for (String load : new String[]{"register", "memory"}) {
            JsonNode l = j.get(load);
            for (String key : new String[]{"one_thread_s", "all_threads_s", "scaling"}) {
                assertEquals(3, l.get(key).size(), load + " " + key);
            }
            for (int r = 0; r < 3; r++) {
                double one = l.get("one_thread_s").get(r).asDouble(), all = l.get("all_threads_s").get(r).asDouble();
                assertTrue(one > 0 && all > 0, load + " round " + r);
            }
            assertTrue(l.get("scaling_min").asDouble() <= l.get("scaling_median").asDouble(), load);
        }
    }

    @Test
    void scalingIsThreadsTimesTheOneThreadTimeOverTheAllThreadsTime() {
        ScalingCeiling.Result r = new ScalingCeiling.Result("x", 4, new double[]{1.0, 2.0}, new double[]{2.0, 2.5});
        assertEquals(2.0, r.scaling()[0], 1e-12);
        assertEquals(3.2, r.scaling()[1], 1e-12);
    }

    @Test
    void badCountsAreOneLine() {
        CommandRun run = CommandRun.of("bench", "machine", "--rounds", "0");
        assertEquals(2, run.code());
        String msg = run.err().strip();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.startsWith("myelin: error: --threads and --rounds must be >= 1"), msg);
    }
}
