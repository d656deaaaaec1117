package io.myelin.core.model;

import io.myelin.core.InvalidInputException;

/**
 * The discrete-time LIF neuron trained networks use (SpikingJelly's {@code LIFNode} with {@code decay_input=False}),
 * one update per engine time step:
 * <pre>
 *   H[t] = V[t-1] - V[t-1] / tau + X[t]        X = synaptic input arriving this step + the neuron's bias
 *   S[t] = H[t] &gt;= vThreshold;   V[t] = S[t] ? vReset : H[t]
 * </pre>
 * Both receptors add into X. A non-spiking readout uses a threshold no input can reach (1e9).
 * Values are dimensionless (trained units), not mV.
 *
 * @param tauSteps   membrane time constant in time steps (tau_ms / dt_ms), &gt; 0 (e.g. 1.005 for SHD)
 * @param vThreshold firing threshold
 * @param vReset     value after a spike (hard reset)
 */
public record DiscreteLifParameters(double tauSteps, double vThreshold, double vReset) implements NeuronModel {

    /** A threshold large enough that the neuron never fires: the integrator readout of a trained network. */
    public static final double NEVER_FIRES = 1e9;

    /** The trainer's hidden neuron: threshold 1, reset to 0. */
    public static DiscreteLifParameters spiking(double tauSteps) {
        return new DiscreteLifParameters(tauSteps, 1.0, 0.0);
    }

    /** The trainer's readout: the same leak, never fires. */
    public static DiscreteLifParameters readout(double tauSteps) {
        return new DiscreteLifParameters(tauSteps, NEVER_FIRES, 0.0);
    }

    @Override
    public void validate(String where) {
        SpecChecks.positive(where + ".tauSteps", tauSteps);
        SpecChecks.finite(where + ".vThreshold", vThreshold);
        SpecChecks.finite(where + ".vReset", vReset);
        if (vReset >= vThreshold) {
            throw new InvalidInputException(where + ": vReset (" + vReset + ") must be below vThreshold (" + vThreshold + ")");
        }
    }
}
