package io.myelin.nir.graph;

/**
 * Current-based LIF {@code CubaLIF}: {@code tau_syn dI/dt = -I + w_in x}, {@code tau_mem dv/dt = (v_leak - v) + r
 * I}; spike when {@code v > v_threshold}, then {@code v = v_reset}.
 */
public record CubaLif(Tensor tauSyn, Tensor tauMem, Tensor r, Tensor vLeak, Tensor vThreshold, Tensor vReset, Tensor wIn) implements NeuronNode {
    private static final String[] NAMES = {"tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "v_reset", "w_in"};

    public CubaLif {
        NeuronParameters.shape("CubaLIF", NAMES, tauSyn, tauMem, r, vLeak, vThreshold, vReset, wIn);
        Shapes.positive("CubaLIF: 'tau_syn'", tauSyn);
        Shapes.positive("CubaLIF: 'tau_mem'", tauMem);
    }

    @Override
    public int[] shape() {
        return NeuronParameters.shape("CubaLIF", NAMES, tauSyn, tauMem, r, vLeak, vThreshold, vReset, wIn);
    }

    @Override
    public boolean spiking() {
        return true;
    }

    @Override
    public String type() {
        return "CubaLIF";
    }

    @Override
    public long parameterCount() {
        return tauSyn.size() + tauMem.size() + r.size() + vLeak.size() + vThreshold.size() + vReset.size() + wIn.size();
    }
}
