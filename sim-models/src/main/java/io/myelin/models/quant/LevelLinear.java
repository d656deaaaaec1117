package io.myelin.models.quant;

import io.myelin.models.layer.Layer;
import io.myelin.models.module.Param;
import io.myelin.models.tensor.SeqTensor;

/**
 * A synaptic layer with LSQ-quantized weights: integer levels {@code [out][in]} and one step (scale) per output
 * channel; its evaluation output is {@code step_o * levelSums_o}.
 */
public interface LevelLinear extends Layer {
    int in();

    int out();

    BitWidth bits();

    /** Integer weight levels {@code [out][in]}. */
    int[] levels();

    /** Per-output-channel steps. */
    Param step();

    /** The latent float weights. */
    Param weight();

    /** Sums with the integer levels as weights; exact for inputs that are multiples of a power of two. */
    SeqTensor levelSums(SeqTensor x);

    PackedWeights packed();

    void markStepsInitialised();
}
