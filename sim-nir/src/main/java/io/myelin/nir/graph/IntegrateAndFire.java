package io.myelin.nir.graph;

/**
 * Integrate-and-fire {@code IF}: {@code dv/dt = r I}; spike when {@code v > v_threshold}, then {@code v = v_reset}.
 */
public record IntegrateAndFire(Tensor r, Tensor vThreshold, Tensor vReset) implements NeuronNode {
    private static final String[] NAMES = {"r", "v_threshold", "v_reset"};

    public IntegrateAndFire {
        NeuronParameters.shape("IF", NAMES, r, vThreshold, vReset);
    }

    @Override
    public int[] shape() {
        return NeuronParameters.shape("IF", NAMES, r, vThreshold, vReset);
    }

    @Override
    public boolean spiking() {
        return true;
    }

    @Override
    public String type() {
        return "IF";
    }

    @Override
    public long parameterCount() {
        return r.size() + vThreshold.size() + vReset.size();
    }
}
