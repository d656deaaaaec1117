package io.myelin.nir;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.hdf5.Hdf5Type;
import io.myelin.core.data.hdf5.Hdf5Writer;
import io.myelin.nir.graph.NirGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed file gives one InvalidInputException whose single line names the file and the node at fault. */
class MalformedFileTest {
    @TempDir
    Path tmp;

    /** A valid two-node chain input -> lin -> lif -> output, with hooks to break it. */
    private Hdf5Writer chain() {
        Hdf5Writer w = new Hdf5Writer();
        w.string("/version", "1.0.7");
        w.string("/node/type", "NIRGraph");
        w.string("/node/nodes/input/type", "Input");
        w.dataset("/node/nodes/input/shape", Hdf5Type.INT64, new long[] {1}, new double[] {2});
        w.string("/node/nodes/lin/type", "Linear");
        w.dataset("/node/nodes/lin/weight", Hdf5Type.FLOAT32, new long[] {3, 2}, new double[] {1, 2, 3, 4, 5, 6});
        w.string("/node/nodes/output/type", "Output");
        w.dataset("/node/nodes/output/shape", Hdf5Type.INT64, new long[] {1}, new double[] {3});
        return w;
    }

    private void lif(Hdf5Writer w, String key, int n, boolean withThreshold) {
        w.string("/node/nodes/" + key + "/type", "LIF");
        double[] ones = new double[n];
        Arrays.fill(ones, 0.01);
        w.dataset("/node/nodes/" + key + "/tau", Hdf5Type.FLOAT64, new long[] {n}, ones);
        w.dataset("/node/nodes/" + key + "/r", Hdf5Type.FLOAT64, new long[] {n}, ones);
        w.dataset("/node/nodes/" + key + "/v_leak", Hdf5Type.FLOAT64, new long[] {n}, new double[n]);
        if (withThreshold) {
            w.dataset("/node/nodes/" + key + "/v_threshold", Hdf5Type.FLOAT64, new long[] {n}, ones);
        }
    }

    private static void edges(Hdf5Writer w, String... ends) {
        w.vlenStrings("/node/edges", new long[] {ends.length / 2, 2}, ends);
    }

    private Path write(Hdf5Writer w) throws Exception {
        Path f = tmp.resolve("bad.nir");
        w.write(f);
        return f;
    }

    private void rejects(Path f, String... mustContain) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NirGraph.read(f));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.startsWith(f.toString()), "names the file: " + m);
        for (String s : mustContain) {
            assertTrue(m.contains(s), "'" + s + "' missing from: " + m);
        }
    }

    @Test
    void aValidChainReads() throws Exception {
        Hdf5Writer w = chain();
        lif(w, "lif", 3, true);
        edges(w, "input", "lin", "lin", "lif", "lif", "output");
        NirGraph g = NirGraph.read(write(w));
        assertTrue(g.nodes().containsKey("lif"));
    }

    @Test
    void unknownPrimitive() throws Exception {
        Hdf5Writer w = chain();
        w.string("/node/nodes/lif/type", "Hodgkin");
        edges(w, "input", "lin", "lin", "lif", "lif", "output");
        rejects(write(w), "node 'lif'", "unknown NIR type 'Hodgkin'");
    }

    @Test
    void missingParameter() throws Exception {
        Hdf5Writer w = chain();
        lif(w, "lif", 3, false);
        edges(w, "input", "lin", "lin", "lif", "lif", "output");
        rejects(write(w), "node 'lif'", "'v_threshold' is missing");
    }

    @Test
    void mismatchedShapes() throws Exception {
        Hdf5Writer w = chain();
        lif(w, "lif", 4, true);
        edges(w, "input", "lin", "lin", "lif", "lif", "output");
        rejects(write(w), "node 'lif' (LIF)", "[3]");
    }

    @Test
    void danglingEdge() throws Exception {
        Hdf5Writer w = chain();
        lif(w, "lif", 3, true);
        edges(w, "input", "lin", "lin", "lyf", "lif", "output");
        rejects(write(w), "'lyf'", "dangling");
    }

    @Test
    void cycleWithoutANeuron() throws Exception {
        Hdf5Writer w = chain();
        w.string("/node/nodes/back/type", "Linear");
        double[] id = new double[9];
        id[0] = id[4] = id[8] = 0.5;
        w.dataset("/node/nodes/back/weight", Hdf5Type.FLOAT64, new long[] {3, 3}, id);
        w.string("/node/nodes/sum/type", "Scale");
        w.dataset("/node/nodes/sum/scale", Hdf5Type.FLOAT64, new long[] {3}, new double[] {1, 1, 1});
        lif(w, "lif", 3, true);
        edges(w, "input", "lin", "lin", "sum", "sum", "back", "back", "sum", "sum", "lif", "lif", "output");
        rejects(write(w), "cycle with no neuron", "sum -> back -> sum");
    }

    @Test
    void aCycleThroughANeuronIsFine() throws Exception {
        Hdf5Writer w = chain();
        lif(w, "lif", 3, true);
        w.string("/node/nodes/rec/type", "Linear");
        w.dataset("/node/nodes/rec/weight", Hdf5Type.FLOAT64, new long[] {3, 3}, new double[9]);
        edges(w, "input", "lin", "lin", "lif", "lif", "rec", "rec", "lif", "lif", "output");
        NirGraph.read(write(w));
    }

    @Test
    void wrongTypes() throws Exception {
        Hdf5Writer w = chain();
        lif(w, "lif", 3, false);
        w.string("/node/nodes/lif/v_threshold", "one");
        edges(w, "input", "lin", "lin", "lif", "lif", "output");
        rejects(write(w), "node 'lif'", "'v_threshold' must be numeric");

        Hdf5Writer w2 = chain();
        lif(w2, "lif", 3, true);
        w2.dataset("/node/nodes/x/type", Hdf5Type.INT64, new long[0], new double[] {3});
        edges(w2, "input", "lin", "lin", "lif", "lif", "output");
        rejects(write(w2), "node 'x'", "'type' must be a string");

        Hdf5Writer w3 = chain();
        lif(w3, "lif", 3, true);
        w3.dataset("/node/edges", Hdf5Type.INT64, new long[] {1, 2}, new double[] {0, 1});
        rejects(write(w3), "'edges' must hold strings");
    }

    @Test
    void truncatedAndNonHdf5Files() throws Exception {
        Path good = TestData.nirCase("braille_rnn_zero").resolve("graph.nir");
        byte[] all = Files.readAllBytes(good);
        for (int keep : new int[] {all.length / 2, all.length - 100, 2000, 40}) {
            Path f = tmp.resolve("cut" + keep + ".nir");
            Files.write(f, Arrays.copyOf(all, keep));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> NirGraph.read(f));
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        Path text = tmp.resolve("text.nir");
        Files.writeString(text, "this is not HDF5 at all, just some text.");
        rejects(text, "not an HDF5 file");
        rejects(tmp.resolve("absent.nir"), "file not found");
        Hdf5Writer noNode = new Hdf5Writer().string("/version", "1.0.7");
        rejects(write(noNode), "no /node group");
    }
}
