package io.myelin.core.inference;

import io.myelin.core.InvalidInputException;

import java.util.Locale;

/**
 * What a {@link PolicyRun} adds to its running sum for each step's output {@code o_t} (one value per class).
 */
public enum Decoding {
    /**
     * {@code sum_t o_t}: the step's output as it is (Dynamic Confidence's summed output logits; for the delay SNN the
     * readout's membrane potential V_t).
     */
    SUM("sum"),
    /**
     * {@code sum_t softmax(o_t)}: the softmax of each step's output, summed (the delay SNN's own logits are
     * {@code sum_t softmax(V_t)}, so at full length this decoding predicts exactly as the model does).
     */
    SOFTMAX_SUM("softmax-sum");

    private final String json;

    Decoding(String json) {
        this.json = json;
    }

    /** The name used on the command line and in JSON. */
    public String json() {
        return json;
    }

    /** The decoding called {@code name} ("sum" or "softmax-sum"); one clear error otherwise. */
    public static Decoding of(String name) {
        for (Decoding d : values()) {
            if (d.json.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new InvalidInputException("decoding must be 'sum' or 'softmax-sum', got '" + name + "'");
    }
}
