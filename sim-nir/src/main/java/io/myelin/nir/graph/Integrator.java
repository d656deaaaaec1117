package io.myelin.nir.graph;

/**
 * Integrator {@code I}: {@code dv/dt = r I}; emits v. Discrete: {@code v += dt r I}.
 */
public record Integrator(Tensor r) implements NeuronNode {
    private static final String[] NAMES = {"r"};

    public Integrator {
        NeuronParameters.shape("I", NAMES, r);
    }

    @Override
    public int[] shape() {
        return NeuronParameters.shape("I", NAMES, r);
    }

    @Override
    public boolean spiking() {
        return false;
    }

    @Override
    public String type() {
        return "I";
    }

    @Override
    public long parameterCount() {
        return r.size();
    }
}
