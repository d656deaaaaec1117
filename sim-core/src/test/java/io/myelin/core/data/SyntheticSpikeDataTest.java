package io.myelin.core.data;

import io.myelin.core.data.hdf5.Float16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticSpikeDataTest {

    @Test
    void sameSeedSameData() {
        FlatSpikeDataset a = new SyntheticSpikeData(6, 700, 9).generate(30, 1, "a");
        FlatSpikeDataset b = new SyntheticSpikeData(6, 700, 9).generate(30, 1, "b");
        FlatSpikeDataset c = new SyntheticSpikeData(6, 700, 9).generate(30, 2, "c");
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(a.timesSeconds(i), b.timesSeconds(i));
            assertArrayEquals(a.units(i), b.units(i));
        }
        assertFalse(java.util.Arrays.equals(a.timesSeconds(0), c.timesSeconds(0)), "salt changes the samples");
        assertEquals(a.classNames(), c.classNames(), "but not the classes");
    }

    /**
     * Classes must differ in timing, not in counts: the mean spike count per band is the same for every class
     * (within sampling noise), while the mean time of each band's spikes follows the class's band order.
     */
    @Test
    void classesDifferInOrderNotInCounts() {
        int classes = 4;
        SyntheticSpikeData gen = new SyntheticSpikeData(classes, 700, 5);
        FlatSpikeDataset ds = gen.generate(400, 1, "s");
        int bands = SyntheticSpikeData.GROUPS;
        int spacing = 700 / bands;
        double[][] count = new double[classes][bands];
        double[][] timeSum = new double[classes][bands];
        for (int i = 0; i < ds.size(); i++) {
            float[] t = ds.timesSeconds(i);
            int[] u = ds.units(i);
            for (int k = 0; k < t.length; k++) {
                int band = u[k] / spacing;
                int start = band * spacing + (spacing - SyntheticSpikeData.BAND_WIDTH) / 2;
                if (band < bands && u[k] >= start && u[k] < start + SyntheticSpikeData.BAND_WIDTH) {
                    count[ds.label(i)][band]++;
                    timeSum[ds.label(i)][band] += t[k];
                }
            }
        }
        for (int c = 0; c < classes; c++) {
            int[] order = gen.order(c);
            for (int g = 0; g < bands; g++) {
                double perSample = count[c][g] / 100;
                // expected 15 channels x 2.5 x (0.7 + 0.3/2) = 31.9 burst spikes + 15 x 0.5 Hz x ~0.5 s = 3.7
                // noise spikes; per-sample sd is about 10.5, so 3.5 is over 3 standard errors of a 100-sample mean
                assertEquals(35.6, perSample, 3.5, "class " + c + " band " + g);
            }
            for (int r = 1; r < bands; r++) {
                double prev = timeSum[c][order[r - 1]] / count[c][order[r - 1]];
                double cur = timeSum[c][order[r]] / count[c][order[r]];
                assertTrue(cur > prev + 0.03, "class " + c + ": rank " + r + " fires after rank " + (r - 1));
            }
        }
        assertArrayEquals(new int[] {100, 100, 100, 100}, ds.labelCounts());
    }

    @Test
    void writtenFileReadsBackWithFloat16Rounding(@TempDir Path dir) throws Exception {
        FlatSpikeDataset ds = new SyntheticSpikeData(3, 700, 1).generate(12, 1, "s");
        Path file = dir.resolve("synth_train.h5");
        new SpikeDatasetWriter().write(ds, file);
        Hdf5SpikeDataset back = Hdf5SpikeDataset.open(file);
        assertEquals(ds.classNames(), back.classNames());
        assertEquals(0, back.warnings().size(), "rounding keeps times ascending");
        for (int i = 0; i < ds.size(); i++) {
            float[] t = ds.timesSeconds(i);
            float[] tb = back.timesSeconds(i);
            assertEquals(t.length, tb.length);
            for (int k = 0; k < t.length; k++) {
                assertEquals(Float16.toFloat(Float16.fromFloat(t[k])), tb[k]);
            }
            assertArrayEquals(ds.units(i), back.units(i));
            assertEquals(ds.label(i), back.label(i));
            assertEquals(ds.speaker(i), back.speaker(i));
        }
        // the same content gives the same bytes
        Path again = dir.resolve("again.h5");
        new SpikeDatasetWriter().write(ds, again);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }

    @Test
    void largeFileSpansSeveralHeapCollections(@TempDir Path dir) throws Exception {
        FlatSpikeDataset ds = FrameBinnerTest.random(3000, 700, 2); // ~0.9 M spikes, 3.6 MB of vlen data
        Path file = dir.resolve("big.h5");
        new SpikeDatasetWriter().write(ds, file);
        Hdf5SpikeDataset back = Hdf5SpikeDataset.open(file);
        assertTrue(back.format().heapCollections() > 2, "collections: " + back.format().heapCollections());
        assertEquals(ds.totalSpikes(), back.totalSpikes());
        for (int i = 0; i < ds.size(); i += 97) {
            assertArrayEquals(ds.units(i), back.units(i));
        }
    }
}
