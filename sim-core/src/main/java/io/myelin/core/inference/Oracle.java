package io.myelin.core.inference;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A network's "potential" (Li, Jones, Furber 2023): the accuracy and latency if every sample stopped at its best step,
 * known only in hindsight. Two oracles:
 * <ul>
 *   <li>{@link #earliestCorrect}: each sample exits at the first step whose prediction is its label;</li>
 *   <li>{@link #stablyCorrect}: each sample exits at the first step after which its prediction stays its label up to
 *       its last step.</li>
 * </ul>
 * Convention for a sample the oracle cannot place (never correct; for the stricter oracle, wrong at its last step):
 * it runs to its last step and counts as wrong. So the first oracle's accuracy is the share of samples correct at
 * some step, the second's is the full-length accuracy, and both charge such samples their full length.
 *
 * @param name         "earliest-correct" or "stably-correct"
 * @param accuracy     fraction of samples the oracle gets right
 * @param meanExitStep mean exit step
 * @param stepFraction meanExitStep / mean full length
 */
@JsonPropertyOrder({"name", "accuracy", "mean_exit_step", "step_fraction"})
public record Oracle(@JsonProperty("name") String name,
                     @JsonProperty("accuracy") double accuracy,
                     @JsonProperty("mean_exit_step") double meanExitStep,
                     @JsonProperty("step_fraction") double stepFraction) {

    /** Exit at each sample's first correct step. */
    public static Oracle earliestCorrect(ConfidenceTable t) {
        long steps = 0;
        int correct = 0;
        for (int i = 0; i < t.samples(); i++) {
            int e = t.length(i);
            for (int s = 1; s <= t.length(i); s++) {
                if (t.correct(i, s)) {
                    e = s;
                    correct++;
                    break;
                }
            }
            steps += e;
        }
        return of("earliest-correct", t, correct, steps);
    }

    /** Exit at the first step from which the prediction stays correct to the end. */
    public static Oracle stablyCorrect(ConfidenceTable t) {
        long steps = 0;
        int correct = 0;
        for (int i = 0; i < t.samples(); i++) {
            int len = t.length(i);
            int e = len;
            if (t.correct(i, len)) {
                correct++;
                while (e > 1 && t.correct(i, e - 1)) {
                    e--;
                }
            }
            steps += e;
        }
        return of("stably-correct", t, correct, steps);
    }

    private static Oracle of(String name, ConfidenceTable t, int correct, long steps) {
        double mean = (double) steps / t.samples();
        return new Oracle(name, (double) correct / t.samples(), mean, mean / t.meanLength());
    }
}
