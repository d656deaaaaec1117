package io.myelin.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.myelin.core.InvalidInputException;

/**
 * Continuous-time leaky integrate-and-fire neuron with current-based synapses:
 * <pre>
 *   tau_m dV/dt = -(V - V_rest) + I_exc + I_inh        (currents in mV, i.e. already multiplied by R)
 *   tau_exc dI_exc/dt = -I_exc,   tau_inh dI_inh/dt = -I_inh
 *   V >= V_th  =>  spike, V <- V_reset, V held for the refractory period
 * </pre>
 * A synaptic time constant of 0 makes that receptor a delta synapse: an arriving weight jumps V directly.
 * The engines integrate these equations exactly between time steps (exponential propagators, no Euler error).
 *
 * @param tauMs          membrane time constant tau_m (ms), &gt; 0
 * @param vRestMv        resting (leak reversal) potential (mV)
 * @param vResetMv       reset potential after a spike (mV)
 * @param vThresholdMv   firing threshold (mV)
 * @param refractoryMs   absolute refractory period (ms), &ge; 0
 * @param tauExcMs       excitatory synaptic current time constant (ms); 0 for delta synapses
 * @param tauInhMs       inhibitory synaptic current time constant (ms); 0 for delta synapses
 */
public record LifParameters(double tauMs, double vRestMv, double vResetMv, double vThresholdMv,
                            double refractoryMs, double tauExcMs, double tauInhMs) implements NeuronModel {

    /** Starts a builder with Brian2-like defaults: tau 20 ms, rest -70 mV, reset -70 mV, threshold -50 mV, no refractoriness, delta synapses. */
    public static Builder builder() {
        return new Builder();
    }

    @JsonIgnore
    public boolean deltaExcitatory() {
        return tauExcMs == 0;
    }

    @JsonIgnore
    public boolean deltaInhibitory() {
        return tauInhMs == 0;
    }

    @Override
    public void validate(String where) {
        SpecChecks.positive(where + ".tauMs", tauMs);
        SpecChecks.finite(where + ".vRestMv", vRestMv);
        SpecChecks.finite(where + ".vResetMv", vResetMv);
        SpecChecks.finite(where + ".vThresholdMv", vThresholdMv);
        SpecChecks.nonNegative(where + ".refractoryMs", refractoryMs);
        SpecChecks.nonNegative(where + ".tauExcMs", tauExcMs);
        SpecChecks.nonNegative(where + ".tauInhMs", tauInhMs);
        if (vResetMv >= vThresholdMv) {
            throw new InvalidInputException(where + ": vResetMv (" + vResetMv + ") must be below vThresholdMv ("
                    + vThresholdMv + "), otherwise a neuron would fire on every step");
        }
    }

    /** Fluent builder for {@link LifParameters}. */
    public static final class Builder {
        private double tauMs = 20, vRestMv = -70, vResetMv = -70, vThresholdMv = -50, refractoryMs = 0;
        private double tauExcMs = 0, tauInhMs = 0;

        public Builder tauMs(double v) { tauMs = v; return this; }
        public Builder vRestMv(double v) { vRestMv = v; return this; }
        public Builder vResetMv(double v) { vResetMv = v; return this; }
        public Builder vThresholdMv(double v) { vThresholdMv = v; return this; }
        public Builder refractoryMs(double v) { refractoryMs = v; return this; }
        /** Exponential excitatory synaptic current with this time constant (ms); 0 means delta synapses. */
        public Builder tauExcMs(double v) { tauExcMs = v; return this; }
        /** Exponential inhibitory synaptic current with this time constant (ms); 0 means delta synapses. */
        public Builder tauInhMs(double v) { tauInhMs = v; return this; }

        public LifParameters build() {
            return new LifParameters(tauMs, vRestMv, vResetMv, vThresholdMv, refractoryMs, tauExcMs, tauInhMs);
        }
    }
}
