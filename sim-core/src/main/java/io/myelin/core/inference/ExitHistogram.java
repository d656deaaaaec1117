package io.myelin.core.inference;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * Exit steps per class: how many samples of each class stop in each bin of {@code binWidth} steps (bin k holds exit
 * steps {@code k * binWidth + 1 .. (k + 1) * binWidth}), with each class's mean exit step and mean full length.
 *
 * @param classNames  class names, or the class numbers when the data set has none
 * @param binWidth    steps per bin
 * @param counts      {@code [class][bin]}
 * @param meanExit    mean exit step per class (null for a class without samples)
 * @param meanLength  mean full length per class
 */
@JsonPropertyOrder({"bin_width", "class_names", "counts", "mean_exit_step", "mean_full_steps"})
public record ExitHistogram(@JsonProperty("class_names") List<String> classNames,
                            @JsonProperty("bin_width") int binWidth,
                            @JsonProperty("counts") int[][] counts,
                            @JsonProperty("mean_exit_step") Double[] meanExit,
                            @JsonProperty("mean_full_steps") Double[] meanLength) {
    /** Bins a histogram aims at. */
    public static final int BINS = 10;

    /**
     * @param exitSteps  every sample's exit step (1-based)
     * @param lengths    every sample's full length
     * @param labels     every sample's class
     * @param classNames names of the classes (null: their numbers)
     */
    public static ExitHistogram of(int[] exitSteps, int[] lengths, int[] labels, int classes, List<String> classNames) {
        int max = 1;
        for (int l : lengths) {
            max = Math.max(max, l);
        }
        int width = Math.max(1, (max + BINS - 1) / BINS);
        int bins = (max + width - 1) / width;
        int[][] counts = new int[classes][bins];
        double[] exit = new double[classes], len = new double[classes];
        int[] n = new int[classes];
        for (int i = 0; i < exitSteps.length; i++) {
            int c = labels[i];
            counts[c][(exitSteps[i] - 1) / width]++;
            exit[c] += exitSteps[i];
            len[c] += lengths[i];
            n[c]++;
        }
        Double[] meanExit = new Double[classes], meanLength = new Double[classes];
        for (int c = 0; c < classes; c++) {
            meanExit[c] = n[c] == 0 ? null : exit[c] / n[c];
            meanLength[c] = n[c] == 0 ? null : len[c] / n[c];
        }
        List<String> names = classNames != null && classNames.size() == classes ? List.copyOf(classNames)
                : java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
        return new ExitHistogram(names, width, counts, meanExit, meanLength);
    }
}
