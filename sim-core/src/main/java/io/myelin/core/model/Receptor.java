package io.myelin.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The input channel a synapse feeds: each has its own synaptic current (and time constant) in the target neuron. */
public enum Receptor {
    @JsonProperty("excitatory") EXCITATORY,
    @JsonProperty("inhibitory") INHIBITORY
}
