package io.myelin.core.data;

import cern.jet.random.engine.MersenneTwister;

import java.util.Arrays;
import java.util.List;

/**
 * A labelled set of spike-train samples in the SHD/SSC sense: each sample is a list of spikes (time in seconds,
 * input channel) with one class label and optionally a speaker id. Implementations are immutable.
 */
public interface SpikeDataset {

    /** Number of samples. */
    int size();

    /** Number of input channels (700 for SHD/SSC); every unit id is in {@code [0, channels())}. */
    int channels();

    /** Number of classes; every label is in {@code [0, classes())}. */
    int classes();

    /** Class names, index = label ({@code /extra/keys} when the file has them, else {@code "0"}, {@code "1"}, ...). */
    List<String> classNames();

    /** Class label of sample {@code i}. */
    int label(int i);

    /** Speaker id of sample {@code i}, or -1 when the dataset has no speaker information. */
    int speaker(int i);

    /** Number of spikes in sample {@code i}. */
    int spikeCount(int i);

    /** Spike times of sample {@code i} in seconds, ascending (a fresh array). */
    float[] timesSeconds(int i);

    /** Channel (unit) of each spike of sample {@code i}, aligned with {@link #timesSeconds(int)} (a fresh array). */
    int[] units(int i);

    /** Duration of sample {@code i} in seconds: the time of its last spike (0 for a sample without spikes). */
    double durationSeconds(int i);

    /** Where the data came from (file path), for provenance in reports and checkpoints. */
    String source();

    /** A view of the samples at {@code indices} (in that order; sample j of the view is sample indices[j] here). */
    default SpikeDataset subset(int[] indices) {
        return new SubsetSpikeDataset(this, indices);
    }

    /** The samples whose label is one of {@code labels}, in their original order. */
    default SpikeDataset subsetByClass(int... labels) {
        boolean[] keep = new boolean[classes()];
        for (int l : labels) {
            if (l < 0 || l >= classes()) {
                throw new IllegalArgumentException("class " + l + " outside [0, " + classes() + ")");
            }
            keep[l] = true;
        }
        int[] idx = new int[size()];
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (keep[label(i)]) {
                idx[n++] = i;
            }
        }
        return subset(Arrays.copyOf(idx, n));
    }

    /** The samples spoken by one of {@code speakers}, in their original order. */
    default SpikeDataset subsetBySpeaker(int... speakers) {
        int[] sorted = speakers.clone();
        Arrays.sort(sorted);
        int[] idx = new int[size()];
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (Arrays.binarySearch(sorted, speaker(i)) >= 0) {
                idx[n++] = i;
            }
        }
        return subset(Arrays.copyOf(idx, n));
    }

    /** Sorted distinct speaker ids present (empty when the dataset has none). */
    default int[] speakers() {
        return Arrays.stream(speakerColumn()).filter(s -> s >= 0).distinct().sorted().toArray();
    }

    /** Label of every sample, in order. */
    default int[] labels() {
        int[] l = new int[size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = label(i);
        }
        return l;
    }

    /** Speaker of every sample, in order (-1 where absent). */
    default int[] speakerColumn() {
        int[] s = new int[size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = speaker(i);
        }
        return s;
    }

    /** Number of samples per class, index = label. */
    default int[] labelCounts() {
        int[] c = new int[classes()];
        for (int i = 0; i < size(); i++) {
            c[label(i)]++;
        }
        return c;
    }

    /**
     * A permutation of {@code 0..size()-1} drawn by Fisher-Yates from a Mersenne Twister seeded with {@code seed};
     * the same seed always gives the same order.
     */
    default int[] shuffledOrder(long seed) {
        return Shuffle.permutation(size(), seed);
    }

    /** Random source shared by the data package: Colt's Mersenne Twister from a 64-bit seed. */
    final class Shuffle {
        private Shuffle() {
        }

        /** A seeded random permutation of {@code 0..n-1}. */
        public static int[] permutation(int n, long seed) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            shuffle(p, engine(seed));
            return p;
        }

        /** Shuffles {@code a} in place (Fisher-Yates). */
        public static void shuffle(int[] a, MersenneTwister rng) {
            for (int i = a.length - 1; i > 0; i--) {
                int j = (int) (rng.nextDouble() * (i + 1));
                int t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }

        /** Mersenne Twister seeded from both halves of a 64-bit seed. */
        public static MersenneTwister engine(long seed) {
            return new MersenneTwister((int) (seed ^ (seed >>> 32)) * 0x9E3779B9 + 17);
        }
    }
}
