package io.myelin.core.data;

import cern.jet.random.Normal;
import cern.jet.random.engine.MersenneTwister;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A synthetic SHD-like task whose classes differ only in temporal order, so that a network needs memory over
 * tens to hundreds of ms (delays) to tell them apart, while spike counts per channel carry no class information.
 *
 * <p>{@value #GROUPS} bands of {@value #BAND_WIDTH} adjacent channels (spread over the 700 channels) each fire one
 * burst per sample. A class is a fixed order of the bands (a permutation, distinct per class, drawn from the
 * seed); the burst of the band at rank r is centred at {@code onset + r * gap}. Every sample draws: onset
 * U(20, 80) ms; gap = 60 ms times a speaker tempo (4 speakers, 0.9–1.1) times U(0.92, 1.08); per channel a
 * Poisson(2.5) number of burst spikes with N(0, 8 ms) jitter; 30% of bursts weakened to half rate; and Poisson
 * background noise of 0.5 Hz on every channel over the sample. Expected counts per channel are therefore equal for
 * all classes. Samples last about 0.55 s and hold about 500 spikes.
 *
 * <p>The class orders depend only on {@code seed}; the samples on {@code seed} and a split salt, so train and
 * test files drawn from one seed share their classes but not their samples.
 */
public final class SyntheticSpikeData {
    /** Channel bands per sample. */
    public static final int GROUPS = 8;
    /** Adjacent channels per band (3 pooled channels at pool 5). */
    public static final int BAND_WIDTH = 15;
    private static final int SPEAKERS = 4;
    private static final double[] SPEAKER_TEMPO = {0.9, 0.96, 1.03, 1.1};
    private static final double GAP_MS = 60;
    private static final double JITTER_MS = 8;
    private static final double BURST_MEAN = 2.5;
    private static final double NOISE_HZ = 0.5;

    private final int classes;
    private final int channels;
    private final long seed;
    private final int[][] order;
    private final int[] bandStart;

    /**
     * @param classes  number of classes, 2..1000 (each a distinct band order)
     * @param channels input channels (700 for SHD compatibility; at least {@value #GROUPS} x {@value #BAND_WIDTH})
     * @param seed     seed of the class orders and (with a salt) of the samples
     */
    public SyntheticSpikeData(int classes, int channels, long seed) {
        if (classes < 2 || classes > 1000) {
            throw new IllegalArgumentException("classes must be in [2, 1000], got " + classes);
        }
        if (channels < GROUPS * BAND_WIDTH || channels > 65536) {
            throw new IllegalArgumentException("channels must be in [" + GROUPS * BAND_WIDTH + ", 65536], got "
                    + channels);
        }
        this.classes = classes;
        this.channels = channels;
        this.seed = seed;
        MersenneTwister rng = SpikeDataset.Shuffle.engine(seed);
        Set<String> seen = new HashSet<>();
        order = new int[classes][];
        for (int c = 0; c < classes; c++) {
            int[] p;
            do {
                p = SpikeDataset.Shuffle.permutation(GROUPS, rng.nextLong());
            } while (!seen.add(Arrays.toString(p)));
            order[c] = p;
        }
        bandStart = new int[GROUPS];
        int spacing = channels / GROUPS;
        for (int g = 0; g < GROUPS; g++) {
            bandStart[g] = g * spacing + (spacing - BAND_WIDTH) / 2;
        }
    }

    /** Band order of class {@code c}: {@code order(c)[r]} is the band that fires at rank r. */
    public int[] order(int c) {
        return order[c].clone();
    }

    /** Class names: "seq-" followed by the band order, e.g. {@code seq-30271564}. */
    public List<String> classNames() {
        List<String> names = new ArrayList<>();
        for (int[] p : order) {
            StringBuilder sb = new StringBuilder("seq-");
            for (int g : p) {
                sb.append(g);
            }
            names.add(sb.toString());
        }
        return names;
    }

    /**
     * Draws {@code n} samples, classes balanced and interleaved (sample i has label {@code i % classes}), speaker
     * {@code (i / classes) % 4}.
     *
     * @param salt distinguishes splits drawn from the same seed (e.g. 1 = train, 2 = test)
     */
    public FlatSpikeDataset generate(int n, long salt, String source) {
        MersenneTwister rng = SpikeDataset.Shuffle.engine(seed * 1_000_003L + salt);
        Normal normal = new Normal(0, 1, rng);
        List<float[]> times = new ArrayList<>(n);
        List<int[]> units = new ArrayList<>(n);
        int[] labels = new int[n];
        int[] speakers = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            speakers[i] = (i / classes) % SPEAKERS;
            List<double[]> spikes = new ArrayList<>();
            double onset = 20 + 60 * rng.nextDouble();
            double gap = GAP_MS * SPEAKER_TEMPO[speakers[i]] * (0.92 + 0.16 * rng.nextDouble());
            for (int r = 0; r < GROUPS; r++) {
                int band = order[labels[i]][r];
                double centre = onset + r * gap;
                double rate = rng.nextDouble() < 0.3 ? BURST_MEAN / 2 : BURST_MEAN;
                for (int ch = bandStart[band]; ch < bandStart[band] + BAND_WIDTH; ch++) {
                    int k = poisson(rate, rng, normal);
                    for (int s = 0; s < k; s++) {
                        double t = centre + JITTER_MS * normal.nextDouble();
                        spikes.add(new double[] {Math.max(0, t), ch});
                    }
                }
            }
            double durationMs = onset + (GROUPS - 1) * gap + 3 * JITTER_MS;
            int noise = poisson(NOISE_HZ * channels * durationMs / 1000.0, rng, normal);
            for (int s = 0; s < noise; s++) {
                spikes.add(new double[] {durationMs * rng.nextDouble(), (int) (rng.nextDouble() * channels)});
            }
            spikes.sort((a, b) -> Double.compare(a[0], b[0]));
            float[] t = new float[spikes.size()];
            int[] u = new int[spikes.size()];
            for (int k = 0; k < t.length; k++) {
                t[k] = (float) (spikes.get(k)[0] / 1000.0);
                u[k] = (int) spikes.get(k)[1];
            }
            times.add(t);
            units.add(u);
        }
        return FlatSpikeDataset.of(times, units, labels, speakers, classNames(), channels, source);
    }

    /** Poisson draw (Knuth's product method; normal approximation above mean 30, ample for noise totals). */
    private static int poisson(double mean, MersenneTwister rng, Normal normal) {
        if (mean > 30) {
            double v = mean + Math.sqrt(mean) * normal.nextDouble();
            return Math.max(0, (int) Math.round(v));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = rng.nextDouble();
        while (p > l) {
            k++;
            p *= rng.nextDouble();
        }
        return k;
    }
}
