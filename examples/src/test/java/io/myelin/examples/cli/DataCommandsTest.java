package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.data.FlatSpikeDataset;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDatasetWriter;
import io.myelin.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataCommandsTest {
    @TempDir
    Path dir;

    /** Three samples with 2, 4 and 9 spikes lasting 0.25, 0.5 and 1.0 s; labels 0, 1, 1 of 3 classes. */
    private Path tinyFile() throws Exception {
        List<float[]> t = new ArrayList<>();
        List<int[]> u = new ArrayList<>();
        for (int[] spec : new int[][] {{2, 250}, {4, 500}, {9, 1000}}) {
            float[] ti = new float[spec[0]];
            int[] ui = new int[spec[0]];
            for (int k = 0; k < spec[0]; k++) {
                ti[k] = spec[1] / 1000f * (k + 1) / spec[0]; // last spike at the duration; all exact in float16
                ui[k] = k * 50;
            }
            t.add(ti);
            u.add(ui);
        }
        FlatSpikeDataset ds = FlatSpikeDataset.of(t, u, new int[] {0, 1, 1}, new int[] {7, 7, 8},
                List.of("a", "b", "c"), 700, "tiny");
        Path file = dir.resolve("tiny.h5");
        new SpikeDatasetWriter().write(ds, file);
        return file;
    }

    @Test
    void infoJsonHasExactlyTheIssueKeysAndHandComputedValues() throws Exception {
        CommandRun r = CommandRun.of("data", "info", tinyFile().toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.reader().readTree(r.out());
        assertEquals(Set.of("samples", "classes", "channels", "spikes_total", "label_counts", "spikes_per_sample",
                "duration_s"), names(j));
        assertEquals(3, j.get("samples").asInt());
        assertEquals(3, j.get("classes").asInt());
        assertEquals(700, j.get("channels").asInt());
        assertEquals(15, j.get("spikes_total").asLong());
        assertEquals(Set.of("0", "1", "2"), names(j.get("label_counts")));
        assertEquals(1, j.get("label_counts").get("0").asInt());
        assertEquals(2, j.get("label_counts").get("1").asInt());
        assertEquals(0, j.get("label_counts").get("2").asInt());
        JsonNode sp = j.get("spikes_per_sample");
        assertEquals(Set.of("min", "median", "mean", "max"), names(sp));
        assertEquals(2, sp.get("min").asDouble());
        assertEquals(4, sp.get("median").asDouble());
        assertEquals(5, sp.get("mean").asDouble());
        assertEquals(9, sp.get("max").asDouble());
        JsonNode d = j.get("duration_s");
        assertEquals(Set.of("min", "median", "mean", "max"), names(d));
        assertEquals(0.25, d.get("min").asDouble(), 1e-3);
        assertEquals(0.5, d.get("median").asDouble(), 1e-3);
        assertEquals(1.75 / 3, d.get("mean").asDouble(), 1e-3);
        assertEquals(1.0, d.get("max").asDouble(), 1e-3);
    }

    @Test
    void infoTextNamesFormat() throws Exception {
        CommandRun r = CommandRun.of("data", "info", tinyFile().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("float16") && r.out().contains("uint16") && r.out().contains("samples"), r.out());
    }

    @Test
    void badFileExitsNonZeroWithOneLine() throws Exception {
        Path bad = dir.resolve("bad.h5");
        Files.writeString(bad, "this is not hdf5");
        for (String file : new String[] {bad.toString(), dir.resolve("missing.h5").toString()}) {
            CommandRun r = CommandRun.of("data", "info", file, "--json");
            assertEquals(2, r.code());
            assertEquals("", r.out());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), "one line: " + err);
            assertTrue(err.startsWith("myelin: error: " + file), err);
            assertFalse(err.contains("Exception"), err);
        }
    }

    @Test
    void rasterWritesOneDotPerSpike() throws Exception {
        Path svg = dir.resolve("r.svg");
        CommandRun r = CommandRun.of("data", "raster", tinyFile().toString(), "--index", "2", "--out", svg.toString());
        assertEquals(0, r.code(), r.err());
        String s = Files.readString(svg);
        assertTrue(s.startsWith("<svg") && s.contains("time (s)") && s.contains("channel"));
        assertEquals(9, s.split("<circle", -1).length - 1);
        CommandRun bad = CommandRun.of("data", "raster", tinyFile().toString(), "--index", "3", "--out", svg.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--index 3 outside [0, 3)"), bad.err());
    }

    @Test
    void synthIsDeterministicAndReadable() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, CommandRun.of("synth", "--out", a.toString(), "--classes", "4", "--train", "20", "--test", "8",
                "--seed", "3").code());
        assertEquals(0, CommandRun.of("synth", "--out", b.toString(), "--classes", "4", "--train", "20", "--test", "8",
                "--seed", "3").code());
        assertArrayEquals(Files.readAllBytes(a.resolve("synth_train.h5")), Files.readAllBytes(b.resolve("synth_train.h5")));
        Hdf5SpikeDataset test = Hdf5SpikeDataset.open(a.resolve("synth_test.h5"));
        assertEquals(8, test.size());
        assertEquals(4, test.classes());
        assertEquals(2, CommandRun.of("synth", "--out", a.toString(), "--classes", "1").code());
    }

    @Test
    void subsetKeepsPerClassCount() throws Exception {
        Path src = dir.resolve("src");
        CommandRun.of("synth", "--out", src.toString(), "--classes", "3", "--train", "30", "--test", "3", "--seed", "1");
        Path out = dir.resolve("sub.h5");
        CommandRun r = CommandRun.of("data", "subset", src.resolve("synth_train.h5").toString(), "--per-class", "4", "--out",
                out.toString(), "--seed", "2");
        assertEquals(0, r.code(), r.err());
        Hdf5SpikeDataset sub = Hdf5SpikeDataset.open(out);
        assertArrayEquals(new int[] {4, 4, 4}, sub.labelCounts());
    }

    private static Set<String> names(JsonNode n) {
        Set<String> s = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            s.add(it.next());
        }
        return s;
    }
}
