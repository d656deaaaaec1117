package io.myelin.core.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {
    private final FlatSpikeDataset ds = new SyntheticSpikeData(5, 700, 3).generate(100, 1, "synthetic");

    @Test
    void sameSeedSameShuffleOtherSeedOtherShuffle() {
        int[] a = ds.shuffledOrder(42);
        assertArrayEquals(a, ds.shuffledOrder(42));
        assertFalse(Arrays.equals(a, ds.shuffledOrder(43)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i], "a permutation");
        }
    }

    @Test
    void fractionSplitIsStratifiedDisjointAndReproducible() {
        ValidationSplit s = ValidationSplit.byFraction(ds, 0.2, 7);
        assertEquals(80, s.train().size());
        assertEquals(20, s.valid().size());
        assertArrayEquals(new int[] {4, 4, 4, 4, 4}, s.valid().labelCounts());
        Set<Integer> seen = new HashSet<>();
        for (int v : s.validIndex()) {
            seen.add(v);
        }
        assertEquals(20, seen.size(), "validation indices are distinct");
        assertArrayEquals(s.validIndex(), ValidationSplit.byFraction(ds, 0.2, 7).validIndex());
        assertFalse(Arrays.equals(s.validIndex(), ValidationSplit.byFraction(ds, 0.2, 8).validIndex()));
        // sample j of the valid view is sample validIndex[j] of the original
        for (int j = 0; j < s.valid().size(); j++) {
            assertArrayEquals(ds.timesSeconds(s.validIndex()[j]), s.valid().timesSeconds(j));
        }
        assertEquals(100, s.train().size() + s.valid().size());
    }

    @Test
    void speakerSplitHoldsOutWholeSpeakers() {
        ValidationSplit s = ValidationSplit.bySpeaker(ds, 2);
        for (int i = 0; i < s.valid().size(); i++) {
            assertEquals(2, s.valid().speaker(i));
        }
        for (int i = 0; i < s.train().size(); i++) {
            assertTrue(s.train().speaker(i) != 2);
        }
        assertEquals(100, s.train().size() + s.valid().size());
        ValidationSplit r = ValidationSplit.byRandomSpeakers(ds, 1, 5);
        assertArrayEquals(r.validIndex(), ValidationSplit.byRandomSpeakers(ds, 1, 5).validIndex());
        assertEquals(1, r.valid().speakers().length);
    }

    @Test
    void subsetsByClassAndSpeaker() {
        SpikeDataset c = ds.subsetByClass(1, 3);
        assertEquals(40, c.size());
        for (int i = 0; i < c.size(); i++) {
            assertTrue(c.label(i) == 1 || c.label(i) == 3);
        }
        SpikeDataset s = ds.subsetBySpeaker(0);
        assertTrue(s.size() > 0);
        for (int i = 0; i < s.size(); i++) {
            assertEquals(0, s.speaker(i));
        }
        SpikeDataset nested = c.subset(new int[] {0, 1});
        assertEquals(c.label(1), nested.label(1));
        assertEquals(List.of(0, 0), List.of(ds.subset(new int[0]).size(), c.subset(new int[0]).size()));
    }

    @Test
    void filesWithAndWithoutValidationFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        SyntheticSpikeData gen = new SyntheticSpikeData(2, 700, 1);
        SpikeDatasetWriter w = new SpikeDatasetWriter();
        w.write(gen.generate(20, 1, "t"), dir.resolve("x_train.h5"));
        w.write(gen.generate(6, 2, "t"), dir.resolve("x_test.h5"));
        DatasetSplits carved = DatasetSplits.open(dir, "x", 0.25, 4);
        assertEquals(List.of(14, 6, 6), List.of(carved.train().size(), carved.valid().size(), carved.test().size()));
        w.write(gen.generate(4, 3, "t"), dir.resolve("x_valid.h5"));
        DatasetSplits three = DatasetSplits.open(dir, "x", 0.25, 4);
        assertEquals(List.of(20, 4, 6), List.of(three.train().size(), three.valid().size(), three.test().size()));
        assertThrows(io.myelin.core.InvalidInputException.class, () -> DatasetSplits.open(dir, "y", 0.1, 1));
    }
}
