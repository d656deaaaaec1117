package io.myelin.core.energy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.myelin.core.InvalidInputException;

/**
 * Classification accuracy over the reported samples, when their labels are known.
 *
 * @param correct samples classified correctly
 * @param samples samples with a label
 */
@JsonIgnoreProperties(value = "accuracy", allowGetters = true)
public record Accuracy(@JsonProperty("correct") long correct, @JsonProperty("samples") long samples) {
    public Accuracy {
        if (samples < 1 || correct < 0 || correct > samples) {
            throw new InvalidInputException("accuracy: need 0 <= correct <= samples and samples >= 1, got " + correct
                    + " of " + samples);
        }
    }

    /** correct / samples (0..1). */
    @JsonProperty("accuracy")
    public double accuracy() {
        return correct / (double) samples;
    }
}
