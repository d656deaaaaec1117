package io.myelin.core.backend;

import io.myelin.core.vector.VectorApi;
import io.myelin.core.engine.CompiledNetwork;

/**
 * Chooses the neuron update kernel: the Vector API one when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (as README's commands and the build's tests are) and its registers hold
 * at least 4 floats, otherwise the scalar one; both give the same bits. The system property
 * {@code myelin.vector=false} turns the Vector API off (as for the DCLS kernels).
 */
final class NeuronUpdates {
    private static final boolean VECTOR = detect();

    private NeuronUpdates() {
    }

    private static boolean detect() {
        return VectorApi.usable(() -> VectorNeuronUpdate.lanes() >= 4);
    }

    /** Whether {@link #create} with {@code vector} true gives the Vector API kernel. */
    static boolean vectorAvailable() {
        return VECTOR;
    }

    static NeuronUpdate create(CompiledNetwork net, NeuronState state, boolean vector) {
        return vector && VECTOR ? new VectorNeuronUpdate(net, state) : new ScalarNeuronUpdate(net, state);
    }
}
