package io.myelin.core.energy;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a group of stored parameters is, for the model-size breakdown. */
public enum ParameterKind {
    /** Synaptic weights (quantized weights at their bit width). */
    WEIGHT("weights"),
    /** Synaptic delays: integer delays of a Td-tap range at ceil(log2 Td) bits. */
    DELAY("delays"),
    /** BatchNorm statistics and affine parameters (before folding). */
    BATCH_NORM("batch_norm"),
    /** Firing thresholds. */
    THRESHOLD("thresholds"),
    /** Quantization step sizes and other scales. */
    SCALE("scales"),
    /** Biases and constant input currents. */
    BIAS("biases"),
    /** Other neuron parameters (time constants, reset and rest potentials). */
    NEURON("neuron_parameters");

    private final String json;

    ParameterKind(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
