package io.myelin.nir.graph;

/**
 * Leaky integrate-and-fire {@code LIF}: {@code tau dv/dt = (v_leak - v) + r I}; spike (1) when {@code v >
 * v_threshold}, then {@code v = v_reset}. Time constants in seconds.
 */
public record Lif(Tensor tau, Tensor r, Tensor vLeak, Tensor vThreshold, Tensor vReset) implements NeuronNode {
    private static final String[] NAMES = {"tau", "r", "v_leak", "v_threshold", "v_reset"};

    public Lif {
        NeuronParameters.shape("LIF", NAMES, tau, r, vLeak, vThreshold, vReset);
        Shapes.positive("LIF: 'tau'", tau);
    }

    @Override
    public int[] shape() {
        return NeuronParameters.shape("LIF", NAMES, tau, r, vLeak, vThreshold, vReset);
    }

    @Override
    public boolean spiking() {
        return true;
    }

    @Override
    public String type() {
        return "LIF";
    }

    @Override
    public long parameterCount() {
        return tau.size() + r.size() + vLeak.size() + vThreshold.size() + vReset.size();
    }
}
