package io.myelin.models.layer;

import io.myelin.models.tensor.Workers;

/** A layer of synapses from {@link #in()} inputs to {@link #out()} neurons with weights {@code [out][in]}. */
public interface SynapticLayer extends Layer {
    String name();

    int in();

    int out();

    /** The weights, element {@code o * in + i}. */
    Param weight();

    void setWorkers(Workers w);

    /** The first layer needs no input gradient. */
    void setInputGradient(boolean needed);
}
