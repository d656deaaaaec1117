package io.myelin.models.layer;

import io.myelin.models.module.Param;
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

    /**
     * A hint that the caller multiplies the next input gradient by {@code keep[b * in() + i]} at every step (a dropout
     * mask), so entries where it is zero may be left zero rather than computed; null: none. Ignored by default.
     */
    default void setInputGradientMask(float[] keep) {
    }
}
