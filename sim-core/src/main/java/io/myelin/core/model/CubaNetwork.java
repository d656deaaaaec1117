package io.myelin.core.model;

/**
 * The Vogels–Abbott (2005) current-based benchmark network as in Brian2's CUBA example, scaled to {@code n} neurons
 * with a fixed expected in-degree of 80 (connection probability 80/n; 0.02 at n = 4000):
 * 80% excitatory, tau_m 20 ms, tau_exc 5 ms, tau_inh 10 ms, V_th -50 mV, V_reset -60 mV, E_l (rest) -49 mV,
 * refractory 5 ms, w_exc = 1.62 mV, w_inh = -9 mV, dt 0.1 ms, V(0) uniform in [V_reset, V_th].
 *
 * <p>Delays are one step: a spike emitted in step t changes the synaptic current at the start of step t+1, which is
 * exactly when Brian2's zero-delay {@code on_pre} increment first acts on V.
 */
public final class CubaNetwork {
    public static final double DT_MS = 0.1;
    public static final double W_EXC_MV = 60 * 0.27 / 10;
    public static final double W_INH_MV = -20 * 4.5 / 10;
    public static final double IN_DEGREE = 80;

    private CubaNetwork() {
    }

    /** The neuron model: E_l -49 mV above V_th -50 mV, so each neuron fires on its own unless inhibited. */
    public static LifParameters neuron() {
        return LifParameters.builder().tauMs(20).vRestMv(-49).vResetMv(-60).vThresholdMv(-50).refractoryMs(5)
                .tauExcMs(5).tauInhMs(10).build();
    }

    /** The network for {@code n} neurons: populations "exc" (80%) and "inh", four projections. */
    public static NetworkSpec spec(int n, long seed) {
        return spec(n, seed, neuron());
    }

    /** The same topology with another neuron model (e.g. delta synapses for the event-driven engine). */
    public static NetworkSpec spec(int n, long seed, LifParameters neuron) {
        if (n < 10) {
            throw new io.myelin.core.InvalidInputException("CUBA needs at least 10 neurons, got " + n);
        }
        int ne = (int) (0.8 * n);
        double p = Math.min(1.0, IN_DEGREE / n);
        Distribution v0 = Distribution.uniform(neuron.vResetMv(), neuron.vThresholdMv());
        return NetworkSpec.builder().dtMs(DT_MS).seed(seed)
                .population("exc", ne, neuron, v0)
                .population("inh", n - ne, neuron, v0)
                .projection(ProjectionSpec.from("exc").to("exc").fixedProbability(p).weight(W_EXC_MV).excitatory())
                .projection(ProjectionSpec.from("exc").to("inh").fixedProbability(p).weight(W_EXC_MV).excitatory())
                .projection(ProjectionSpec.from("inh").to("exc").fixedProbability(p).weight(W_INH_MV).inhibitory())
                .projection(ProjectionSpec.from("inh").to("inh").fixedProbability(p).weight(W_INH_MV).inhibitory())
                .build();
    }
}
