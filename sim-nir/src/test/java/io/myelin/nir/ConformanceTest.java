package io.myelin.nir;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.Npy;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.io.Npz;
import io.myelin.nir.run.Integration;
import io.myelin.nir.run.NirRunner;
import io.myelin.nir.run.NirTrace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case of the shared NIR conformance set ({@code test-data/nir}, from {@code ../shared/nir}): the graph read
 * from the reference library's file, run on the case's input at its dt, must give the expected output (spike steps
 * identical) and membrane traces (within 1e-5 relative) of the independent numpy simulation.
 */
class ConformanceTest {
    static final double REL = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"lif_norse", "two_lif", "braille_rnn_zero", "delays_small", "fixtures/encodings"})
    void matchesTheReferenceSimulation(String name) throws Exception {
        Path dir = TestData.nirCase(name);
        JsonNode c = TestData.caseJson(name);
        NirGraph g = NirGraph.read(dir.resolve("graph.nir"));
        NpyArray input = Npy.read(dir.resolve("input.npy"));
        Map<String, NpyArray> expected = Npz.read(dir.resolve("expected.npz"));
        for (int threads : new int[] {1, 2}) {
            try (NirRunner r = NirRunner.compile(g, c.get("dt_s").asDouble(), Integration.EULER, threads)) {
                NirTrace t = r.run(input, null);
                assertEquals(c.get("steps").asInt(), t.steps());
                Map<String, NpyArray> got = t.arrays();
                NpyArray out = expected.get("output");
                assertArrayEquals(out.shape(), got.get("output").shape(), name + ": output shape");
                compare(name + " output", out.data(), got.get("output").data());
                double sum = 0;
                for (double v : got.get("output").data()) {
                    sum += v;
                }
                assertEquals(c.get("output_sum").asDouble(), sum, 1e-6 * Math.max(1, Math.abs(sum)), name + ": output sum");
                for (JsonNode s : c.get("states")) {
                    String key = s.asText();
                    assertTrue(got.containsKey(key), name + ": no state recorded for " + key);
                    assertArrayEquals(expected.get(key).shape(), got.get(key).shape(), name + ": shape of " + key);
                    compare(name + " state " + key, expected.get(key).data(), got.get(key).data());
                }
            }
        }
    }

    /** Equal within REL relative to the trace's own scale at each element (and exactly where values are 0/1 spikes). */
    static void compare(String what, double[] expected, double[] got) {
        assertEquals(expected.length, got.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double tol = REL * Math.max(Math.abs(expected[i]), 1e-12);
            double err = Math.abs(expected[i] - got[i]);
            if (err > tol && err / Math.max(Math.abs(expected[i]), 1e-300) > worst) {
                worst = err / Math.max(Math.abs(expected[i]), 1e-300);
                at = i;
            }
        }
        assertTrue(at < 0, what + ": element " + at + " is " + (at < 0 ? 0 : got[at]) + ", expected "
                + (at < 0 ? 0 : expected[at]) + " (relative error " + worst + ")");
    }
}
