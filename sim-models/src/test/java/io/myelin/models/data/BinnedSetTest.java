package io.myelin.models.data;

import io.myelin.core.data.BinnedSample;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * A batch's dense input against each sample's own dense frames: time-major, zero-padded, with and without extra
 * frames.
 */
class BinnedSetTest {
    @Test
    void batchesHoldEachSamplesFramesZeroPadded() {
        BinnedSet set = new BinnedSet(Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_train.h5")),
                new DataConfig(10.0, 5, 0, 0).binner());
        int[] idx = {3, 0, 17, 8};
        for (int extra : new int[]{0, 3}) {
            BinnedSet.Batch b = set.batch(idx, extra);
            SeqTensor x = b.x();
            int longest = 0;
            for (int i : idx) {
                longest = Math.max(longest, set.sample(i).frames());
            }
            assertEquals(longest + extra, x.steps);
            assertEquals(idx.length, x.batch);
            assertEquals(set.channels(), x.features);
            for (int k = 0; k < idx.length; k++) {
                BinnedSample s = set.sample(idx[k]);
                float[] own = s.dense();
                assertEquals(s.frames(), b.lengths()[k]);
                assertEquals(set.label(idx[k]), b.labels()[k]);
                for (int t = 0; t < x.steps; t++) {
                    float[] row = new float[x.features], want = new float[x.features];
                    System.arraycopy(x.data, x.index(t, k, 0), row, 0, x.features);
                    if (t < s.frames()) {
                        System.arraycopy(own, t * s.channels(), want, 0, x.features);
                    }
                    assertArrayEquals(want, row, "sample " + k + " frame " + t + " extra " + extra);
                }
            }
        }
        // every batch its own array: a caller may change one without touching the next
        assertNotSame(set.batch(idx, 0).x().data, set.batch(idx, 0).x().data);
    }
}
