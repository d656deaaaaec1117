package io.myelin.core.data;

import io.myelin.core.data.hdf5.Hdf5Type;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads files written by h5py (libhdf5) with SHD's layout and integer/float variants, and the same content written
 * by Myelin's own writer; the expected values come from the closed formulas in
 * test-data/tools/make_h5py_fixtures.py.
 */
class H5pyFixturesTest {
    static final int N = 12;

    static Stream<Arguments> h5pyFiles() {
        return Stream.of(
                Arguments.of("h5py_shd.h5", "float16", "uint16", "uint16", 0),
                Arguments.of("h5py_int32_float32.h5", "float32", "int32", "int32", 0),
                Arguments.of("h5py_int64.h5", "float16", "int64", "int64", 0),
                Arguments.of("h5py_uint8_float64.h5", "float64", "uint8", "uint8", 0),
                Arguments.of("h5py_latest_vlenkeys.h5", "float16", "uint16", "uint16", 3));
    }

    @ParameterizedTest
    @MethodSource("h5pyFiles")
    void readsH5pyFile(String name, String timesType, String unitsType, String labelsType, int superblock) {
        Hdf5SpikeDataset ds = Hdf5SpikeDataset.open(RepositoryFiles.testData("fixtures/" + name));
        assertExpected(ds);
        assertEquals(timesType, ds.format().timesType());
        assertEquals(unitsType, ds.format().unitsType());
        assertEquals(labelsType, ds.format().labelsType());
        assertEquals(superblock, ds.format().superblockVersion());
        assertEquals(timesType.equals("float16") ? 4 : 6, ds.bytesPerSpike());
    }

    static Stream<Arguments> writerTypes() {
        return Stream.of(
                Arguments.of(Hdf5Type.FLOAT16, Hdf5Type.UINT16, Hdf5Type.UINT16),
                Arguments.of(Hdf5Type.FLOAT32, Hdf5Type.INT32, Hdf5Type.INT32),
                Arguments.of(Hdf5Type.FLOAT16, Hdf5Type.INT64, Hdf5Type.INT64),
                Arguments.of(Hdf5Type.FLOAT64, Hdf5Type.UINT8, Hdf5Type.UINT8),
                Arguments.of(Hdf5Type.FLOAT32, Hdf5Type.UINT32, Hdf5Type.INT16));
    }

    @ParameterizedTest
    @MethodSource("writerTypes")
    void writerRoundTrip(Hdf5Type times, Hdf5Type units, Hdf5Type labels, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.h5");
        new SpikeDatasetWriter(times, units, labels).write(expectedDataset(), file);
        Hdf5SpikeDataset ds = Hdf5SpikeDataset.open(file);
        assertExpected(ds);
        assertEquals(times.toString(), ds.format().timesType());
        assertEquals(units.toString(), ds.format().unitsType());
    }

    /** The fixture's content built in Java from the same formulas. */
    static FlatSpikeDataset expectedDataset() {
        List<float[]> t = new java.util.ArrayList<>();
        List<int[]> u = new java.util.ArrayList<>();
        int[] labels = new int[N];
        int[] speakers = new int[N];
        for (int i = 0; i < N; i++) {
            t.add(expectedTimes(i));
            u.add(expectedUnits(i));
            labels[i] = i % 3;
            speakers[i] = i % 4 + 1;
        }
        return FlatSpikeDataset.of(t, u, labels, speakers, List.of("zero", "one", "fünf"), 700, "expected");
    }

    static float[] expectedTimes(int i) {
        int n = (7 * i) % 11;
        float[] t = new float[n];
        for (int k = 0; k < n; k++) {
            t[k] = (3 * i + 5 * k) / 1024f;
        }
        return t;
    }

    static int[] expectedUnits(int i) {
        int n = (7 * i) % 11;
        int[] u = new int[n];
        for (int k = 0; k < n; k++) {
            u[k] = (31 * i + 17 * k) % 250;
        }
        return u;
    }

    static void assertExpected(SpikeDataset ds) {
        assertEquals(N, ds.size());
        assertEquals(700, ds.channels());
        assertEquals(3, ds.classes());
        assertEquals(List.of("zero", "one", "fünf"), ds.classNames());
        for (int i = 0; i < N; i++) {
            assertArrayEquals(expectedTimes(i), ds.timesSeconds(i), "times of sample " + i);
            assertArrayEquals(expectedUnits(i), ds.units(i), "units of sample " + i);
            assertEquals(i % 3, ds.label(i));
            assertEquals(i % 4 + 1, ds.speaker(i));
            assertEquals((7 * i) % 11, ds.spikeCount(i));
            float[] t = expectedTimes(i);
            assertEquals(t.length == 0 ? 0.0 : t[t.length - 1], ds.durationSeconds(i), 0.0);
        }
        assertTrue(ds.source().endsWith(".h5") || ds.source().equals("expected"));
    }
}
