package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;
import io.myelin.examples.Myelin;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCubaCommandTest {
    @Test
    void printsOneJsonLineWithTheContractKeys() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true));
        int rc;
        try {
            rc = Myelin.commandLine().execute("bench", "cuba", "--neurons", "1000", "--duration", "0.2", "--warmup", "0", "--json");
        } finally {
            System.setOut(original);
        }
        assertEquals(0, rc);
        String[] lines = out.toString().strip().split("\n");
        assertEquals(1, lines.length);
        JsonNode j = Json.reader().readTree(lines[0]);
        for (String key : new String[]{"neurons", "synapses", "spikes", "build_s", "wall_s", "backend"}) {
            assertTrue(j.has(key), "missing key " + key + " in " + lines[0]);
        }
        assertEquals(1000, j.get("neurons").asInt());
        assertEquals("java", j.get("backend").asText());
        assertTrue(j.get("spikes").asLong() > 0);
    }

    /** Repeated runs start from the initial state: the same spikes as one run, and wall_s the median of the runs. */
    @Test
    void repeatsReportTheMedianOfRunsFromTheInitialState() throws Exception {
        JsonNode once = run("--repeats", "1");
        JsonNode thrice = run("--repeats", "3");
        assertEquals(once.get("spikes").asLong(), thrice.get("spikes").asLong());
        JsonNode runs = thrice.get("wall_runs_s");
        assertEquals(3, runs.size());
        double[] w = {runs.get(0).asDouble(), runs.get(1).asDouble(), runs.get(2).asDouble()};
        java.util.Arrays.sort(w);
        assertEquals(w[1], thrice.get("wall_s").asDouble(), 1e-12, thrice.toString());
        assertEquals(1, once.get("wall_runs_s").size());
    }

    private static JsonNode run(String... extra) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true));
        String[] args = {"bench", "cuba", "--neurons", "1000", "--duration", "0.1", "--warmup", "0", "--json"};
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        try {
            assertEquals(0, Myelin.commandLine().execute(all));
        } finally {
            System.setOut(original);
        }
        return Json.reader().readTree(out.toString().strip());
    }

    @Test
    void unknownBackendIsOneLineAndExitCode2() {
        StringWriter err = new StringWriter();
        CommandLine cl = Myelin.commandLine();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("bench", "cuba", "--backend", "cuda", "--neurons", "100");
        assertEquals(2, rc);
        String msg = err.toString().strip();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.startsWith("myelin: error: unknown backend 'cuda'"), msg);
        assertFalse(msg.contains("Exception"), msg);
    }

    @Test
    void verifyComparesTheOpenClBackendWithTheJavaReference() throws Exception {
        io.myelin.core.backend.BackendProvider opencl = io.myelin.core.backend.Backends.providers().stream()
                .filter(p -> p.name().equals("opencl")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assumptions.assumeTrue(opencl.isAvailable(),
                () -> "no OpenCL platform: " + opencl.unavailableReason());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true));
        int rc;
        try {
            rc = Myelin.commandLine().execute("bench", "cuba", "--neurons", "1000", "--duration", "0.2", "--warmup", "0",
                    "--backend", "opencl", "--verify", "--json");
        } finally {
            System.setOut(original);
        }
        assertEquals(0, rc);
        JsonNode j = Json.reader().readTree(out.toString().strip());
        assertEquals("opencl", j.get("backend").asText());
        assertTrue(j.get("verify_identical_spikes").asBoolean(), out.toString());
        assertEquals(j.get("spikes").asLong(), j.get("verify_reference_spikes").asLong());
        assertEquals(0, j.get("verify_membranes_differing").asInt());
    }
}
