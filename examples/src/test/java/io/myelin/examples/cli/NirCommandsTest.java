package io.myelin.examples.cli;

import io.myelin.examples.Myelin;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code myelin nir info | run | export | lif} end to end, on the bundled cases and a freshly trained model. */
class NirCommandsTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Myelin.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path repo(String relative) {
        return TrainEvalCommandTest.repo(relative);
    }

    @Test
    void infoListsNodesShapesAndParameters() {
        Run r = run("nir", "info", repo("test-data/nir/delays_small/graph.nir").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("17 nodes, 21 edges"), r.out());
        assertTrue(r.out().contains("delay3") && r.out().contains("Delay"), r.out());
        Run j = run("nir", "info", "--json", repo("test-data/nir/braille_rnn_zero/graph.nir").toString());
        assertEquals(0, j.code(), j.err());
        assertTrue(j.out().contains("\"type\" : \"CubaLIF\"") && j.out().contains("\"parameters\" : 2564"), j.out());
    }

    @Test
    void runWritesTheExpectedArraysAndAnEnergyReport() throws Exception {
        Path c = repo("test-data/nir/braille_rnn_zero");
        Path out = dir.resolve("out.npz");
        Run r = run("nir", "run", c.resolve("graph.nir").toString(), "--input", c.resolve("input.npy").toString(),
                "--dt", "1e-4", "--out", out.toString(), "--report", dir.resolve("rep").toString());
        assertEquals(0, r.code(), r.err());
        Map<String, NpyArray> got = Npz.read(out), want = Npz.read(c.resolve("expected.npz"));
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) {
            assertArrayEquals(want.get(k).shape(), got.get(k).shape(), k);
            double[] a = want.get(k).data(), b = got.get(k).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5 * Math.max(1e-12, Math.abs(a[i])), k + "[" + i + "]");
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve("rep/report.json")) && Files.isRegularFile(dir.resolve("rep/report.html")));
        String rep = Files.readString(dir.resolve("rep/report.json"));
        assertTrue(rep.contains("\"lif1.lif\"") && rep.contains("\"acs\""), rep);
    }

    @Test
    void aMappableGraphRunsOnTheEngineWithTheRunnersResults() throws Exception {
        Path c = repo("test-data/nir/delays_small");
        Path out = dir.resolve("eng.npz");
        Run r = run("nir", "run", c.resolve("graph.nir").toString(), "--input", c.resolve("input.npy").toString(),
                "--dt", "1e-3", "--out", out.toString(), "--engine", "clock", "--backend", "java");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("clock-driven engine"), r.out());
        Map<String, NpyArray> got = Npz.read(out), want = Npz.read(c.resolve("expected.npz"));
        for (String k : new String[] {"output", "lif", "li"}) {
            assertArrayEquals(want.get(k).shape(), got.get(k).shape(), k);
            double[] a = want.get(k).data(), b = got.get(k).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4 * Math.max(1, Math.abs(a[i])), k + "[" + i + "] (float32 engine)");
            }
        }
        Run cuba = run("nir", "run", repo("test-data/nir/braille_rnn_zero/graph.nir").toString(), "--input",
                repo("test-data/nir/braille_rnn_zero/input.npy").toString(), "--dt", "1e-4", "--out",
                dir.resolve("x.npz").toString(), "--engine", "clock");
        assertEquals(2, cuba.code());
        assertTrue(cuba.err().contains("CubaLIF"), cuba.err());
    }

    @Test
    void badInputsGiveOneLine() {
        Path c = repo("test-data/nir/braille_rnn_zero");
        Run wrongShape = run("nir", "run", c.resolve("graph.nir").toString(), "--input",
                repo("test-data/nir/lif_norse/input.npy").toString(), "--dt", "1e-4", "--out", dir.resolve("o.npz").toString());
        assertEquals(2, wrongShape.code());
        assertTrue(wrongShape.err().contains("has shape [1000, 1]") && wrongShape.err().contains("[T, 12]"), wrongShape.err());
        assertEquals(1, wrongShape.err().trim().split("\n").length, wrongShape.err());
        Run badDt = run("nir", "run", c.resolve("graph.nir").toString(), "--input", c.resolve("input.npy").toString(),
                "--dt", "0", "--out", dir.resolve("o.npz").toString());
        assertEquals(2, badDt.code());
        assertTrue(badDt.err().contains("dt must be a positive"), badDt.err());
        Run notNir = run("nir", "info", c.resolve("input.npy").toString());
        assertEquals(2, notNir.code());
        assertTrue(notNir.err().contains("not an HDF5 file"), notNir.err());
        Run notModel = run("nir", "export", "--model", dir.toString(), "--out", dir.resolve("m.nir").toString());
        assertEquals(2, notModel.code());
        assertFalse(Files.exists(dir.resolve("m.nir")));
    }

    @Test
    void exportOfATrainedRunIsAReadableGraph() throws Exception {
        Path runDir = dir.resolve("run");
        Path cfg = dir.resolve("small.json");
        Files.writeString(cfg, Files.readString(repo("examples/configs/shd-delays.json")).replace("[256, 256]", "[16, 16]")
                .replace("\"epochs\": 150", "\"epochs\": 1").replace("\"batch\": 256", "\"batch\": 50"));
        Run t = run("train", "--config", cfg.toString(), "--train", repo("test-data/sd_mini_train.h5").toString(),
                "--test", repo("test-data/sd_mini_test.h5").toString(), "--out", runDir.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        Path nir = dir.resolve("model.nir");
        Run e = run("nir", "export", "--model", runDir.toString(), "--out", nir.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("Delay nodes"), e.out());
        NirGraph g = NirGraph.read(nir);
        assertEquals(0.01, ((Number) g.metadata().get("dt")).doubleValue(), 0);
        assertEquals("s", g.metadata().get("time_unit"));
        assertTrue(g.nodes().get("hidden1") instanceof io.myelin.nir.graph.Lif);
        assertTrue(g.nodes().get("readout") instanceof io.myelin.nir.graph.LeakyIntegrator);
    }

    @Test
    void lifComparisonWritesAnSvgWithEveryTrace() throws Exception {
        Path svg = dir.resolve("lif.svg");
        Run r = run("nir", "lif", "--case", repo("test-data/nir/lif_norse").toString(), "--out", svg.toString());
        assertEquals(0, r.code(), r.err());
        String s = Files.readString(svg);
        for (String name : new String[] {"myelin-euler", "myelin-exact", "norse", "snntorch", "lava_loihi_fixed",
                "spinnaker2", "exact"}) {
            assertTrue(s.contains(">" + name + "<"), name);
            assertTrue(r.out().contains(name), name);
        }
    }
}
