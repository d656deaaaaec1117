package io.myelin.examples.cli;

import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.io.Npz;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void infoListsNodesShapesAndParameters() {
        CommandRun r = CommandRun.of("nir", "info", RepositoryFiles.testData("nir/delays_small/graph.nir").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("17 nodes, 21 edges"), r.out());
        assertTrue(r.out().contains("delay3") && r.out().contains("Delay"), r.out());
        CommandRun j = CommandRun.of("nir", "info", "--json", RepositoryFiles.testData("nir/braille_rnn_zero/graph.nir").toString());
        assertEquals(0, j.code(), j.err());
        assertTrue(j.out().contains("\"type\" : \"CubaLIF\"") && j.out().contains("\"parameters\" : 2564"), j.out());
    }

    @Test
    void runWritesTheExpectedArraysAndAnEnergyReport() throws Exception {
        Path c = RepositoryFiles.testData("nir/braille_rnn_zero");
        Path out = dir.resolve("out.npz");
        CommandRun r = CommandRun.of("nir", "run", c.resolve("graph.nir").toString(), "--input", c.resolve("input.npy").toString(),
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
        Path c = RepositoryFiles.testData("nir/delays_small");
        Path out = dir.resolve("eng.npz");
        CommandRun r = CommandRun.of("nir", "run", c.resolve("graph.nir").toString(), "--input", c.resolve("input.npy").toString(),
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
        CommandRun cuba = CommandRun.of("nir", "run", RepositoryFiles.testData("nir/braille_rnn_zero/graph.nir").toString(), "--input",
                RepositoryFiles.testData("nir/braille_rnn_zero/input.npy").toString(), "--dt", "1e-4", "--out",
                dir.resolve("x.npz").toString(), "--engine", "clock");
        assertEquals(2, cuba.code());
        assertTrue(cuba.err().contains("CubaLIF"), cuba.err());
    }

    @Test
    void badInputsGiveOneLine() {
        Path c = RepositoryFiles.testData("nir/braille_rnn_zero");
        CommandRun wrongShape = CommandRun.of("nir", "run", c.resolve("graph.nir").toString(), "--input",
                RepositoryFiles.testData("nir/lif_norse/input.npy").toString(), "--dt", "1e-4", "--out", dir.resolve("o.npz").toString());
        assertEquals(2, wrongShape.code());
        assertTrue(wrongShape.err().contains("has shape [1000, 1]") && wrongShape.err().contains("[T, 12]"), wrongShape.err());
        assertEquals(1, wrongShape.err().trim().split("\n").length, wrongShape.err());
        CommandRun badDt = CommandRun.of("nir", "run", c.resolve("graph.nir").toString(), "--input", c.resolve("input.npy").toString(),
                "--dt", "0", "--out", dir.resolve("o.npz").toString());
        assertEquals(2, badDt.code());
        assertTrue(badDt.err().contains("dt must be a positive"), badDt.err());
        CommandRun notNir = CommandRun.of("nir", "info", c.resolve("input.npy").toString());
        assertEquals(2, notNir.code());
        assertTrue(notNir.err().contains("not an HDF5 file"), notNir.err());
        CommandRun notModel = CommandRun.of("nir", "export", "--model", dir.toString(), "--out", dir.resolve("m.nir").toString());
        assertEquals(2, notModel.code());
        assertFalse(Files.exists(dir.resolve("m.nir")));
    }

    @Test
    void exportOfATrainedRunIsAReadableGraph() throws Exception {
        Path runDir = dir.resolve("run");
        Path cfg = dir.resolve("small.json");
        Files.writeString(cfg, Files.readString(RepositoryFiles.path("examples/configs/shd-delays.json")).replace("[256, 256]", "[16, 16]")
                .replace("\"epochs\": 150", "\"epochs\": 1").replace("\"batch\": 256", "\"batch\": 50"));
        CommandRun t = CommandRun.of("train", "--config", cfg.toString(), "--train", RepositoryFiles.testData("sd_mini_train.h5").toString(),
                "--test", RepositoryFiles.testData("sd_mini_test.h5").toString(), "--out", runDir.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        Path nir = dir.resolve("model.nir");
        CommandRun e = CommandRun.of("nir", "export", "--model", runDir.toString(), "--out", nir.toString());
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
        CommandRun r = CommandRun.of("nir", "lif", "--case", RepositoryFiles.testData("nir/lif_norse").toString(), "--out", svg.toString());
        assertEquals(0, r.code(), r.err());
        String s = Files.readString(svg);
        for (String name : new String[] {"myelin-euler", "myelin-exact", "norse", "snntorch", "lava_loihi_fixed",
                "spinnaker2", "exact"}) {
            assertTrue(s.contains(">" + name + "<"), name);
            assertTrue(r.out().contains(name), name);
        }
    }
}
