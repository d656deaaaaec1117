package io.myelin.nir.graph;

/**
 * Current-based leaky integrator {@code CubaLI}: {@code tau_syn dI/dt = -I + w_in x}, {@code tau_mem dv/dt = (v_leak
 * - v) + r I}; emits v.
 */
public record CubaLi(Tensor tauSyn, Tensor tauMem, Tensor r, Tensor vLeak, Tensor wIn) implements NeuronNode {
    private static final String[] NAMES = {"tau_syn", "tau_mem", "r", "v_leak", "w_in"};

    public CubaLi {
        NeuronParameters.shape("CubaLI", NAMES, tauSyn, tauMem, r, vLeak, wIn);
        Shapes.positive("CubaLI: 'tau_syn'", tauSyn);
        Shapes.positive("CubaLI: 'tau_mem'", tauMem);
    }

    @Override
    public int[] shape() {
        return NeuronParameters.shape("CubaLI", NAMES, tauSyn, tauMem, r, vLeak, wIn);
    }

    @Override
    public boolean spiking() {
        return false;
    }

    @Override
    public String type() {
        return "CubaLI";
    }

    @Override
    public long parameterCount() {
        return tauSyn.size() + tauMem.size() + r.size() + vLeak.size() + wIn.size();
    }
}
