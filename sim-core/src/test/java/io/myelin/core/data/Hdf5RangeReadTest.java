package io.myelin.core.data;

import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A range of a spike file, read alone (one partition of a distributed evaluation), is that range of the whole file. */
class Hdf5RangeReadTest {
    private static final Path FILE = RepositoryFiles.testData("sd_mini_test.h5");

    @Test
    void aRangeHoldsTheSamplesOfTheWholeFile() {
        Hdf5SpikeDataset all = Hdf5SpikeDataset.open(FILE);
        assertEquals(all.size(), Hdf5SpikeDataset.samples(FILE));
        int[][] ranges = {{0, 7}, {7, 23}, {23, all.size()}, {all.size() - 1, all.size() + 5}, {5, 5}};
        for (int[] r : ranges) {
            Hdf5SpikeDataset part = Hdf5SpikeDataset.open(FILE, r[0], r[1]);
            int end = Math.min(r[1], all.size());
            assertEquals(end - r[0], part.size());
            assertEquals(all.classNames(), part.classNames(), "class names come from the whole file");
            for (int i = r[0]; i < end; i++) {
                int k = i - r[0];
                assertEquals(all.label(i), part.label(k));
                assertEquals(all.speaker(i), part.speaker(k));
                assertArrayEquals(all.timesSeconds(i), part.timesSeconds(k));
                assertArrayEquals(all.units(i), part.units(k));
            }
        }
    }
}
