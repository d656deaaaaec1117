package io.myelin.nir.graph;

/**
 * Leaky integrator {@code LI}: {@code tau dv/dt = (v_leak - v) + r I}; emits v. Time constants in seconds.
 */
public record LeakyIntegrator(Tensor tau, Tensor r, Tensor vLeak) implements NeuronNode {
    private static final String[] NAMES = {"tau", "r", "v_leak"};

    public LeakyIntegrator {
        NeuronParameters.shape("LI", NAMES, tau, r, vLeak);
        Shapes.positive("LI: 'tau'", tau);
    }

    @Override
    public int[] shape() {
        return NeuronParameters.shape("LI", NAMES, tau, r, vLeak);
    }

    @Override
    public boolean spiking() {
        return false;
    }

    @Override
    public String type() {
        return "LI";
    }

    @Override
    public long parameterCount() {
        return tau.size() + r.size() + vLeak.size();
    }
}
