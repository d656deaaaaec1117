package io.myelin.core.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Summary statistics of a spike dataset, as {@code myelin data info} prints them.
 *
 * @param samples         number of samples
 * @param classes         number of classes
 * @param channels        input channels
 * @param spikesTotal     spikes over all samples
 * @param labelCounts     samples per label (label → count), every class listed
 * @param spikesPerSample min, median, mean, max of spikes per sample
 * @param durationSeconds min, median, mean, max of sample durations (last spike time) in seconds
 */
public record DatasetStats(int samples, int classes, int channels, long spikesTotal,
                           Map<Integer, Integer> labelCounts, Summary spikesPerSample, Summary durationSeconds) {

    /**
     * Min, median (mean of the two middle values for an even count), mean and max; all 0 for an empty set.
     */
    public record Summary(double min, double median, double mean, double max) {
        static Summary of(double[] v) {
            if (v.length == 0) {
                return new Summary(0, 0, 0, 0);
            }
            double[] s = v.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            double sum = 0;
            for (double x : s) {
                sum += x;
            }
            return new Summary(s[0], median, sum / n, s[n - 1]);
        }
    }

    /** Computes the statistics of {@code ds}. */
    public static DatasetStats of(SpikeDataset ds) {
        int n = ds.size();
        double[] spikes = new double[n];
        double[] durations = new double[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            spikes[i] = ds.spikeCount(i);
            durations[i] = ds.durationSeconds(i);
            total += ds.spikeCount(i);
        }
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        int[] c = ds.labelCounts();
        for (int l = 0; l < c.length; l++) {
            counts.put(l, c[l]);
        }
        return new DatasetStats(n, ds.classes(), ds.channels(), total, counts, Summary.of(spikes),
                Summary.of(durations));
    }
}
