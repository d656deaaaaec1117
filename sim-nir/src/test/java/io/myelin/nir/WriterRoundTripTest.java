package io.myelin.nir;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.Npy;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.run.NirRunner;
import io.myelin.nir.run.NirTrace;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graphs written by {@link io.myelin.nir.io.NirWriter} read back identically in Java (same nodes, same runs bit for
 * bit) and in h5py (every dataset equal to the reference library's file, float widths kept), and pass the
 * reference reader's checks (test-data/tools/nir_read_check.py replicates {@code nir.read} with its type check).
 */
class WriterRoundTripTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"lif_norse", "two_lif", "braille_rnn_zero", "delays_small", "fixtures/encodings"})
    void writtenGraphsReadBackAndRunIdentically(String name) throws Exception {
        Path dir = TestData.nirCase(name);
        JsonNode c = TestData.caseJson(name);
        NirGraph g = NirGraph.read(dir.resolve("graph.nir"));
        Path out = tmp.resolve("copy.nir");
        g.write(out);
        NirGraph back = NirGraph.read(out);
        assertEquals(g, back, name + ": graph read back differs");
        assertEquals(g.metadata().keySet(), back.metadata().keySet());
        NpyArray input = Npy.read(dir.resolve("input.npy"));
        double dt = c.get("dt_s").asDouble();
        try (NirRunner a = NirRunner.compile(g, dt); NirRunner b = NirRunner.compile(back, dt)) {
            NirTrace ta = a.run(input, null), tb = b.run(input, null);
            assertArrayEquals(ta.output(), tb.output(), name + ": output differs after the round trip");
            for (Map.Entry<String, double[]> e : ta.states().entrySet()) {
                assertArrayEquals(e.getValue(), tb.states().get(e.getKey()), name + ": state " + e.getKey());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lif_norse", "two_lif", "braille_rnn_zero", "delays_small"})
    void writtenFilesPassTheReferenceReadersChecks(String name) throws Exception {
        Python.assumeH5py();
        Path dir = TestData.nirCase(name);
        Path out = tmp.resolve(name + ".nir");
        NirGraph.read(dir.resolve("graph.nir")).write(out);
        Python.Result check = Python.script("nir_read_check.py", out.toString());
        assertEquals(0, check.code(), check.output());
        assertTrue(check.output().contains("\"ok\": true"), check.output());
        Python.Result same = Python.script("nir_compare.py", dir.resolve("graph.nir").toString(), out.toString());
        assertEquals(0, same.code(), same.output());
    }

    @org.junit.jupiter.api.Test
    void fixtureWithEveryEncodingIsRewrittenWithTheSameValues() throws Exception {
        Python.assumeH5py();
        Path src = TestData.nirCase("fixtures/encodings").resolve("graph.nir");
        Path out = tmp.resolve("enc.nir");
        NirGraph.read(src).write(out);
        // nested graphs keep their own layout; the comparison covers every dataset, strings decoded
        Python.Result same = Python.script("nir_compare.py", src.toString(), out.toString());
        assertEquals(0, same.code(), same.output());
    }
}
