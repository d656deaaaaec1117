package io.myelin.models.layer;

import io.myelin.models.tensor.SeqTensor;

import java.util.List;

/**
 * One differentiable stage over time-major sequences. {@link #forward} keeps what {@link #backward} needs (one batch
 * at a time); {@link #backward} adds parameter gradients into {@link Param#grad} and returns the input gradient.
 */
public interface Layer {
    SeqTensor forward(SeqTensor x, boolean training);

    SeqTensor backward(SeqTensor gradOut);

    /** Steps the output has for an input of {@code steps} steps. */
    default int outputSteps(int steps) {
        return steps;
    }

    default List<Param> params() {
        return List.of();
    }
}
