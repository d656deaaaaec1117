package io.myelin.core.data;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.hdf5.Hdf5Type;
import io.myelin.core.data.hdf5.Hdf5Writer;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One broken file per validation rule; each error must name the file, the problem and the sample. */
class Hdf5ValidationTest {
    @TempDir
    Path dir;

    /** A valid 5-sample SHD file whose parts each test can replace. */
    private final class Spec {
        List<double[]> times = new ArrayList<>();
        List<double[]> units = new ArrayList<>();
        double[] labels = {0, 1, 2, 0, 1};
        Hdf5Type timesType = Hdf5Type.FLOAT16;
        Hdf5Type labelsType = Hdf5Type.UINT16;
        String[] keys = {"a", "b", "c"};
        boolean writeTimes = true;
        boolean writeUnits = true;
        boolean writeLabels = true;

        Spec() {
            for (int i = 0; i < 5; i++) {
                double[] t = new double[i + 2];
                double[] u = new double[i + 2];
                for (int k = 0; k < t.length; k++) {
                    t[k] = 0.01 * (k + 1) + 0.001 * i;
                    u[k] = (i * 100 + k * 7) % 700;
                }
                times.add(t);
                units.add(u);
            }
        }

        Path write(String name) throws IOException {
            Hdf5Writer w = new Hdf5Writer();
            if (writeTimes) {
                w.vlen("/spikes/times", timesType, times);
            }
            if (writeUnits) {
                w.vlen("/spikes/units", Hdf5Type.UINT16, units);
            } else {
                w.group("/spikes");
            }
            if (writeLabels) {
                w.dataset("/labels", labelsType, labels);
            }
            if (keys != null) {
                w.strings("/extra/keys", keys);
            }
            Path file = dir.resolve(name);
            w.write(file);
            return file;
        }
    }

    private static InvalidInputException fails(Path file) {
        return assertThrows(InvalidInputException.class, () -> Hdf5SpikeDataset.open(file));
    }

    private static void assertMessage(InvalidInputException e, Path file, String... parts) {
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), "names the file: " + m);
        for (String p : parts) {
            assertTrue(m.contains(p), "'" + p + "' in: " + m);
        }
        assertTrue(!m.contains("\n"), "one line: " + m);
    }

    @Test
    void validSpecLoads() throws IOException {
        Hdf5SpikeDataset ds = Hdf5SpikeDataset.open(new Spec().write("ok.h5"));
        assertEquals(5, ds.size());
        assertEquals(List.of(), ds.warnings());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.h5");
        assertMessage(fails(file), file, "file not found");
    }

    @Test
    void notAnHdf5File() throws IOException {
        Path file = dir.resolve("text.h5");
        Files.writeString(file, "time,unit\n0.1,3\n".repeat(100));
        assertMessage(fails(file), file, "not an HDF5 file");
    }

    @Test
    void truncatedFile() throws IOException {
        Path file = new Spec().write("cut.h5");
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size * 2 / 3);
        }
        assertMessage(fails(file), file, "truncated");
    }

    @Test
    void truncatedH5pyFile() throws IOException {
        Path file = dir.resolve("h5py-cut.h5");
        byte[] whole = Files.readAllBytes(RepositoryFiles.testData("fixtures/h5py_shd.h5"));
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 1000));
        assertMessage(fails(file), file, "truncated");
    }

    @Test
    void truncatedInsideMetadata() throws IOException {
        Path file = new Spec().write("cut2.h5");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        assertMessage(fails(file), file, "truncated");
    }

    @Test
    void missingTimes() throws IOException {
        Spec s = new Spec();
        s.writeTimes = false;
        Path file = s.write("no-times.h5");
        assertMessage(fails(file), file, "missing dataset /spikes/times");
    }

    @Test
    void missingUnits() throws IOException {
        Spec s = new Spec();
        s.writeUnits = false;
        Path file = s.write("no-units.h5");
        assertMessage(fails(file), file, "missing dataset /spikes/units");
    }

    @Test
    void missingLabels() throws IOException {
        Spec s = new Spec();
        s.writeLabels = false;
        Path file = s.write("no-labels.h5");
        assertMessage(fails(file), file, "missing dataset /labels");
    }

    @Test
    void sampleCountMismatch() throws IOException {
        Spec s = new Spec();
        s.labels = new double[] {0, 1, 2, 0};
        Path file = s.write("counts.h5");
        assertMessage(fails(file), file, "sample counts differ", "/spikes/times has 5", "/labels 4");
    }

    @Test
    void perSampleLengthMismatch() throws IOException {
        Spec s = new Spec();
        s.units.set(3, new double[] {1, 2});
        Path file = s.write("lengths.h5");
        assertMessage(fails(file), file, "sample 3", "5 spike times but 2 units");
    }

    @Test
    void unitAtOrAboveChannelCount() throws IOException {
        Spec s = new Spec();
        s.units.get(2)[1] = 700;
        Path file = s.write("unit.h5");
        assertMessage(fails(file), file, "sample 2", "spike 1", "unit 700");
    }

    @Test
    void negativeTime() throws IOException {
        Spec s = new Spec();
        s.times.get(4)[0] = -0.5;
        Path file = s.write("neg.h5");
        assertMessage(fails(file), file, "sample 4", "spike 0", "-0.5", "not a finite non-negative");
    }

    @Test
    void nanTime() throws IOException {
        Spec s = new Spec();
        s.timesType = Hdf5Type.FLOAT32;
        s.times.get(1)[2] = Double.NaN;
        Path file = s.write("nan.h5");
        assertMessage(fails(file), file, "sample 1", "spike 2", "NaN");
    }

    @Test
    void infiniteTime() throws IOException {
        Spec s = new Spec();
        s.times.get(0)[1] = Double.POSITIVE_INFINITY;
        Path file = s.write("inf.h5");
        assertMessage(fails(file), file, "sample 0", "spike 1", "Infinity");
    }

    @Test
    void labelOutsideKeys() throws IOException {
        Spec s = new Spec();
        s.labels[2] = 3;
        Path file = s.write("label.h5");
        assertMessage(fails(file), file, "sample 2", "label 3", "outside /extra/keys");
    }

    @Test
    void negativeLabel() throws IOException {
        Spec s = new Spec();
        s.labelsType = Hdf5Type.INT32;
        s.labels[1] = -1;
        Path file = s.write("neglabel.h5");
        assertMessage(fails(file), file, "sample 1", "label -1");
    }

    @Test
    void timesOfWrongType() throws IOException {
        Path file = dir.resolve("inttimes.h5");
        List<double[]> t = List.of(new double[] {1, 2});
        new Hdf5Writer().vlen("/spikes/times", Hdf5Type.INT32, t).vlen("/spikes/units", Hdf5Type.UINT16, t)
                .dataset("/labels", Hdf5Type.UINT16, new double[] {0}).write(file);
        assertMessage(fails(file), file, "/spikes/times must hold floating-point seconds");
    }

    @Test
    void labelsWithoutKeysDefineClasses() throws IOException {
        Spec s = new Spec();
        s.keys = null;
        Hdf5SpikeDataset ds = Hdf5SpikeDataset.open(s.write("nokeys.h5"));
        assertEquals(3, ds.classes());
        assertEquals(List.of("0", "1", "2"), ds.classNames());
        assertEquals(-1, ds.speaker(0));
    }

    @Test
    void unsortedTimesAreSortedWithOneWarning() throws IOException {
        Spec s = new Spec();
        s.times.set(1, new double[] {0.03, 0.01, 0.02});
        s.units.set(1, new double[] {30, 10, 20});
        s.times.set(3, new double[] {0.05, 0.04, 0.04, 0.01, 0.02});
        s.units.set(3, new double[] {5, 4, 44, 1, 2});
        Hdf5SpikeDataset ds = Hdf5SpikeDataset.open(s.write("unsorted.h5"));
        assertEquals(1, ds.warnings().size());
        assertTrue(ds.warnings().get(0).contains("2 sample(s)") && ds.warnings().get(0).contains("sample 1"),
                ds.warnings().get(0));
        assertArrayEquals(new int[] {10, 20, 30}, ds.units(1));
        // equal times keep their file order (stable sort); nothing is dropped
        assertArrayEquals(new int[] {1, 2, 4, 44, 5}, ds.units(3));
        float[] t = ds.timesSeconds(3);
        for (int k = 1; k < t.length; k++) {
            assertTrue(t[k - 1] <= t[k]);
        }
        assertEquals(2 + 3 + 4 + 5 + 6, ds.totalSpikes(), "spike total unchanged");
    }
}
