package io.myelin.nir.graph;

/**
 * A node with state that persists from step to step (a neuron population): I, IF, LI, LIF, CubaLI, CubaLIF.
 * Every cycle of a runnable graph passes through one.
 */
public sealed interface NeuronNode extends NirNode permits Integrator, IntegrateAndFire, LeakyIntegrator, Lif, CubaLi,
        CubaLif {

    /** The population's shape. */
    int[] shape();

    /** Whether it emits spikes (0/1) rather than its membrane potential. */
    boolean spiking();

    /** Number of neurons. */
    default int size() {
        return (int) Tensor.count(shape());
    }

    @Override
    default int[] outputShape(int[] input, String key) {
        Shapes.requireCount(input, size(), key, this);
        return shape();
    }
}
