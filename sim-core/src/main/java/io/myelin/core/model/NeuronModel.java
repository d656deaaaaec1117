package io.myelin.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The dynamics of a population's neurons. Two models share the engines and backends:
 * {@link LifParameters} (continuous-time LIF in mV/ms, integrated exactly) and {@link DiscreteLifParameters}
 * (the discrete-time LIF that trained networks use, one update per time step).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LifParameters.class, name = "lif"),
        @JsonSubTypes.Type(value = DiscreteLifParameters.class, name = "discrete-lif")
})
public sealed interface NeuronModel permits LifParameters, DiscreteLifParameters {
    /** Checks the parameters; {@code where} names the population in messages. */
    void validate(String where);
}
