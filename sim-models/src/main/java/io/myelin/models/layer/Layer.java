package io.myelin.models.layer;

import io.myelin.models.module.Module;
import io.myelin.models.tensor.SeqTensor;

/**
 * One differentiable stage over time-major sequences. {@link #forward} keeps what {@link #backward} needs (one batch
 * at a time); {@link #backward} adds parameter gradients into {@link io.myelin.models.module.Param#grad} and returns
 * the input gradient. Its parameters, state and workers are those of a {@link Module}.
 */
public interface Layer extends Module {
    SeqTensor forward(SeqTensor x, boolean training);

    SeqTensor backward(SeqTensor gradOut);

    /** Steps the output has for an input of {@code steps} steps. */
    default int outputSteps(int steps) {
        return steps;
    }
}
