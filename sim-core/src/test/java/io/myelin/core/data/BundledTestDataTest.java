package io.myelin.core.data;

import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The files in test-data/ that README's main command trains on are intact and as documented. */
class BundledTestDataTest {

    @Test
    void syntheticFilesAreAsDocumentedAndReproducible() {
        Hdf5SpikeDataset train = Hdf5SpikeDataset.open(RepositoryFiles.testData("synth_train.h5"));
        Hdf5SpikeDataset test = Hdf5SpikeDataset.open(RepositoryFiles.testData("synth_test.h5"));
        assertEquals(400, train.size());
        assertEquals(100, test.size());
        assertEquals(10, train.classes());
        assertEquals(train.classNames(), test.classNames());
        assertArrayEquals(new int[] {40, 40, 40, 40, 40, 40, 40, 40, 40, 40}, train.labelCounts());
        assertEquals(171_615, train.totalSpikes());
        // regenerating from the documented command's parameters gives the same samples
        FlatSpikeDataset again = new SyntheticSpikeData(10, 700, 1).generate(400, 1, "again");
        for (int i = 0; i < 400; i += 37) {
            assertArrayEquals(again.units(i), train.units(i));
        }
    }

    @Test
    void spokenDigitSubsetIsBalanced() {
        Hdf5SpikeDataset train = Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_train.h5"));
        Hdf5SpikeDataset test = Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5"));
        assertEquals(20, train.classes());
        for (int c : train.labelCounts()) {
            assertEquals(5, c);
        }
        for (int c : test.labelCounts()) {
            assertEquals(2, c);
        }
        assertTrue(train.totalSpikes() > 100 * 500);
    }
}
