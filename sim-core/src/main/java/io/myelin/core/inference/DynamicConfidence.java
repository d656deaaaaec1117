package io.myelin.core.inference;

import io.myelin.core.InvalidInputException;

/**
 * Dynamic Confidence (Li, Jones, Furber, ICCV 2023; docs/dynamic-confidence.md): stop at the first step t whose
 * confidence {@code c_t = max softmax(sum_t / temperature)} exceeds {@code threshold}. The authors' code uses
 * temperature 30 on summed output logits and threshold 0.6.
 *
 * @param threshold   in (0, 1]; 1 never stops early (a confidence never exceeds 1)
 * @param temperature softmax temperature on the running sum, > 0 (in the units of the summed outputs)
 * @param decoding    what is summed per step
 */
public record DynamicConfidence(double threshold, double temperature, Decoding decoding) implements StoppingPolicy {
    /** The authors' temperature. */
    public static final double PAPER_TEMPERATURE = 30;
    /** The authors' threshold. */
    public static final double PAPER_THRESHOLD = 0.6;

    public DynamicConfidence {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new InvalidInputException("early-exit threshold must be in (0, 1], got " + threshold);
        }
        checkTemperature(temperature);
        if (decoding == null) {
            throw new InvalidInputException("early-exit decoding is missing; choose sum or softmax-sum");
        }
    }

    static void checkTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new InvalidInputException("early-exit temperature must be a finite number > 0, got " + temperature);
        }
    }

    @Override
    public boolean stops(double confidence) {
        return confidence > threshold;
    }

    @Override
    public String name() {
        return "dynamic-confidence";
    }
}
