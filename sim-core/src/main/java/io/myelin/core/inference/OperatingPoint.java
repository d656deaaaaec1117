package io.myelin.core.inference;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a threshold does on a set of samples: mean exit step against accuracy.
 *
 * @param threshold    the Dynamic Confidence threshold (1: full length)
 * @param meanExitStep mean over samples of the step each one exits at
 * @param stepFraction meanExitStep / mean full length
 * @param accuracy     fraction of samples whose prediction at exit is their label
 */
@JsonPropertyOrder({"threshold", "mean_exit_step", "step_fraction", "accuracy"})
public record OperatingPoint(@JsonProperty("threshold") double threshold,
                             @JsonProperty("mean_exit_step") double meanExitStep,
                             @JsonProperty("step_fraction") double stepFraction,
                             @JsonProperty("accuracy") double accuracy) {

    /** The point of {@code threshold} on {@code table}, every exit capped at {@code cap} steps (0: no cap). */
    public static OperatingPoint of(ConfidenceTable table, double threshold, int cap) {
        int n = table.samples();
        long steps = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int e = table.exitStep(i, threshold);
            if (cap > 0) {
                e = Math.min(e, cap);
            }
            steps += e;
            if (table.correct(i, e)) {
                correct++;
            }
        }
        double mean = (double) steps / n;
        return new OperatingPoint(threshold, mean, mean / table.meanLength(), (double) correct / n);
    }
}
