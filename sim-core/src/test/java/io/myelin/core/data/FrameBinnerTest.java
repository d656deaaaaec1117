package io.myelin.core.data;

import cern.jet.random.engine.MersenneTwister;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameBinnerTest {

    private static FlatSpikeDataset one(float[] t, int[] u, int channels) {
        return FlatSpikeDataset.of(List.of(t), List.of(u), new int[] {0}, null, List.of("x"), channels, "test");
    }

    @Test
    void handComputedExample() {
        // 10 channels pooled by 5 -> 2; 10 ms frames.
        // t (ms):  0    4    9.9   12.5  13   36   37   (all well inside their frames)
        // unit:    0    4    5     9     3    3    4
        // frame:   0    0    0     1     1    3    3      -> T = floor(37/10)+1 = 4, frame 2 empty
        // pooled:  0    0    1     1     0    0    0
        float[] t = {0f, 0.004f, 0.0099f, 0.0125f, 0.013f, 0.036f, 0.037f};
        int[] u = {0, 4, 5, 9, 3, 3, 4};
        BinnedSample b = new FrameBinner(10, 5, 0).bin(one(t, u, 10), 0);
        assertEquals(4, b.frames());
        assertEquals(2, b.channels());
        assertArrayEquals(new int[] {0, 0, 1, 1, 3}, b.eventFrame());
        assertArrayEquals(new int[] {0, 1, 0, 1, 0}, b.eventChannel());
        assertArrayEquals(new float[] {2, 1, 1, 1, 2}, b.eventCount());
        assertArrayEquals(new float[] {2, 1, 1, 1, 0, 0, 2, 0}, b.dense());
        assertEquals(7, b.totalCount());
        assertEquals(0, b.droppedSpikes());
    }

    @Test
    void frameBoundaryBelongsToTheLaterFrame() {
        // 1/128 s is exact in binary; with 7.8125 ms (= 1/128 s) frames it starts frame 1
        float[] t = {0f, 1f / 128, 2f / 128 - 1e-6f};
        BinnedSample b = new FrameBinner(7.8125, 1, 0).bin(one(t, new int[] {0, 0, 0}, 1), 0);
        assertArrayEquals(new int[] {0, 1}, b.eventFrame());
        assertArrayEquals(new float[] {1, 2}, b.eventCount());
        assertEquals(2, b.frames());
    }

    @Test
    void maxDurationCapsFramesAndCountsDroppedSpikes() {
        float[] t = {0.001f, 0.015f, 0.025f, 0.031f, 0.045f};
        int[] u = {1, 1, 1, 1, 1};
        BinnedSample b = new FrameBinner(10, 1, 25).bin(one(t, u, 2), 0); // ceil(25/10) = 3 frames: t < 30 ms
        assertEquals(3, b.frames());
        assertEquals(3, b.totalCount());
        assertEquals(2, b.droppedSpikes());
        BinnedSample longer = new FrameBinner(10, 1, 100).bin(one(t, u, 2), 0);
        assertEquals(5, longer.frames(), "a limit above the sample's length does not pad");
    }

    @Test
    void emptySampleHasOneEmptyFrame() {
        BinnedSample b = new FrameBinner(10, 5, 0).bin(one(new float[0], new int[0], 700), 0);
        assertEquals(1, b.frames());
        assertEquals(140, b.channels());
        assertEquals(0, b.events());
    }

    @Test
    void poolingPreservesSumsAndEqualsGroupSums() {
        FlatSpikeDataset ds = random(20, 700, 7);
        FrameBinner plain = new FrameBinner(10, 1, 0);
        for (int pool : new int[] {5, 3, 7}) {
            FrameBinner pooled = new FrameBinner(10, pool, 0);
            assertEquals((700 + pool - 1) / pool, pooled.pooledChannels(700));
            for (int i = 0; i < ds.size(); i++) {
                BinnedSample a = plain.bin(ds, i);
                BinnedSample b = pooled.bin(ds, i);
                assertEquals(ds.spikeCount(i), a.totalCount());
                assertEquals(ds.spikeCount(i), b.totalCount());
                assertEquals(a.frames(), b.frames());
                float[] da = a.dense();
                float[] db = b.dense();
                int cb = b.channels();
                for (int f = 0; f < a.frames(); f++) {
                    float[] expect = new float[cb];
                    for (int c = 0; c < 700; c++) {
                        expect[c / pool] += da[f * 700 + c];
                    }
                    for (int c = 0; c < cb; c++) {
                        assertEquals(expect[c], db[f * cb + c], "pool " + pool + " sample " + i + " frame " + f);
                    }
                }
            }
        }
    }

    @Test
    void subsetAndGenericPathsAgreeWithFlatPath() {
        FlatSpikeDataset ds = random(10, 700, 3);
        FrameBinner binner = new FrameBinner(10, 5, 0);
        SpikeDataset sub = ds.subset(new int[] {4, 2, 9});
        SpikeDataset generic = new DelegatingDataset(ds);
        int[] map = {4, 2, 9};
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(binner.bin(ds, map[j]).dense(), binner.bin(sub, j).dense());
            assertArrayEquals(binner.bin(ds, map[j]).dense(), binner.bin(generic, map[j]).dense());
        }
    }

    @Test
    void batchPadsToLongestAndIsTimeMajor() {
        FlatSpikeDataset ds = random(6, 700, 11);
        FrameBinner binner = new FrameBinner(10, 5, 0);
        int[] idx = {5, 0, 3};
        BinnedBatch batch = BinnedBatch.of(ds, idx, binner);
        int maxT = 0;
        for (int i : idx) {
            maxT = Math.max(maxT, binner.bin(ds, i).frames());
        }
        assertEquals(maxT, batch.frames());
        assertEquals(3, batch.batchSize());
        assertEquals(140, batch.channels());
        assertArrayEquals(new int[] {ds.label(5), ds.label(0), ds.label(3)}, batch.labels());
        float[] dense = batch.dense();
        for (int b = 0; b < 3; b++) {
            BinnedSample s = binner.bin(ds, idx[b]);
            assertEquals(s.frames(), batch.lengths()[b]);
            float[] d = s.dense();
            for (int t = 0; t < maxT; t++) {
                for (int c = 0; c < 140; c++) {
                    float expect = t < s.frames() ? d[t * 140 + c] : 0f;
                    assertEquals(expect, dense[(t * 3 + b) * 140 + c]);
                }
            }
        }
        // sparse events sorted by frame, then sample, then channel
        int[] start = batch.stepStart();
        assertEquals(batch.events(), start[maxT]);
        for (int t = 0; t < maxT; t++) {
            for (int e = start[t] + 1; e < start[t + 1]; e++) {
                long prev = (long) batch.eventSample()[e - 1] * 1000 + batch.eventChannel()[e - 1];
                long cur = (long) batch.eventSample()[e] * 1000 + batch.eventChannel()[e];
                assertEquals(true, prev < cur);
            }
        }
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new FrameBinner(0, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> new FrameBinner(10, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FrameBinner(Double.NaN, 1, 0));
    }

    static FlatSpikeDataset random(int n, int channels, long seed) {
        MersenneTwister rng = new MersenneTwister((int) seed);
        List<float[]> times = new ArrayList<>();
        List<int[]> units = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = 50 + (int) (rng.nextDouble() * 500);
            float[] t = new float[k];
            int[] u = new int[k];
            float acc = 0;
            for (int j = 0; j < k; j++) {
                acc += (float) (rng.nextDouble() * 0.002);
                t[j] = acc;
                u[j] = (int) (rng.nextDouble() * channels);
            }
            times.add(t);
            units.add(u);
            labels[i] = i % 2;
        }
        return FlatSpikeDataset.of(times, units, labels, null, List.of("a", "b"), channels, "random");
    }

    /** A dataset that is not a FlatSpikeDataset, to exercise the generic binning path. */
    private record DelegatingDataset(SpikeDataset d) implements SpikeDataset {
        public int size() {
            return d.size();
        }

        public int channels() {
            return d.channels();
        }

        public int classes() {
            return d.classes();
        }

        public List<String> classNames() {
            return d.classNames();
        }

        public int label(int i) {
            return d.label(i);
        }

        public int speaker(int i) {
            return d.speaker(i);
        }

        public int spikeCount(int i) {
            return d.spikeCount(i);
        }

        public float[] timesSeconds(int i) {
            return d.timesSeconds(i);
        }

        public int[] units(int i) {
            return d.units(i);
        }

        public double durationSeconds(int i) {
            return d.durationSeconds(i);
        }

        public String source() {
            return d.source();
        }
    }
}
