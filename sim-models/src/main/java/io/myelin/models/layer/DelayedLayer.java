package io.myelin.models.layer;

/**
 * A layer whose synapses carry DCLS delays ({@link DclsDelayedDense} itself, or a layer built around one): what the
 * delay schedules (SIG annealing, position clamping) act on, wherever it sits in a network ({@link DelayKernels}).
 */
public interface DelayedLayer extends Layer {
    /** The delay layer (positions, SIG, rounded delays). */
    DclsDelayedDense delays();
}
