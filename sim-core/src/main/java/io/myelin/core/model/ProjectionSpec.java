package io.myelin.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.myelin.core.InvalidInputException;

/**
 * Synapses from one population (or source) to a neuron population.
 *
 * @param name         unique name (used by operation counters and reports)
 * @param pre          presynaptic population or source name
 * @param post         postsynaptic neuron population name
 * @param connectivity which pairs connect
 * @param weight       per-synapse weight (mV jump/current for {@link LifParameters}; dimensionless for the
 *                     discrete-time model). Ignored where an explicit list gives weights.
 * @param delayMs      per-synapse axonal delay (ms, &ge; dt; rounded to whole steps by the clock-driven engine).
 *                     Ignored where an explicit list gives delays.
 * @param receptor     which synaptic current of the target the weight goes into
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectionSpec(String name, String pre, String post, Connectivity connectivity,
                             Distribution weight, Distribution delayMs, Receptor receptor) {

    /** Starts a projection from the named population or source: {@code ProjectionSpec.from("exc").to("all")...}. */
    public static Builder from(String pre) {
        return new Builder(pre);
    }

    void validateShape(String where) {
        SpecChecks.notBlank(where + ".name", name);
        String w = where + " '" + name + "'";
        SpecChecks.notBlank(w + ".pre", pre);
        SpecChecks.notBlank(w + ".post", post);
        if (connectivity == null) {
            throw new InvalidInputException(w + ": 'connectivity' is missing");
        }
        if (receptor == null) {
            throw new InvalidInputException(w + ": 'receptor' is missing (excitatory or inhibitory)");
        }
        boolean explicitWeights = connectivity instanceof Connectivity.Explicit e && e.weights() != null;
        boolean explicitDelays = connectivity instanceof Connectivity.Explicit e && e.delaysMs() != null;
        if (!explicitWeights) {
            if (weight == null) {
                throw new InvalidInputException(w + ": 'weight' is missing");
            }
            weight.validate(w + ".weight");
        }
        if (!explicitDelays) {
            if (delayMs == null) {
                throw new InvalidInputException(w + ": 'delayMs' is missing");
            }
            delayMs.validate(w + ".delayMs");
        }
    }

    /** Fluent builder; see {@link NetworkSpec.Builder#projection(ProjectionSpec.Builder)}. */
    public static final class Builder {
        private final String pre;
        private String post;
        private String name;
        private Connectivity connectivity = new Connectivity.AllToAll(true);
        private Distribution weight = Distribution.constant(0);
        private Distribution delayMs;
        private Receptor receptor = Receptor.EXCITATORY;

        private Builder(String pre) {
            this.pre = pre;
        }

        public Builder to(String post) { this.post = post; return this; }
        /** Name for counters and reports; defaults to {@code pre->post}. */
        public Builder named(String name) { this.name = name; return this; }
        public Builder allToAll() { connectivity = new Connectivity.AllToAll(true); return this; }
        public Builder allToAllNoSelf() { connectivity = new Connectivity.AllToAll(false); return this; }
        public Builder fixedProbability(double p) { connectivity = new Connectivity.FixedProbability(p, true); return this; }
        public Builder fixedProbability(double p, boolean allowSelf) { connectivity = new Connectivity.FixedProbability(p, allowSelf); return this; }
        public Builder fixedInDegree(int k) { connectivity = new Connectivity.FixedInDegree(k, true); return this; }
        public Builder fixedInDegree(int k, boolean allowSelf) { connectivity = new Connectivity.FixedInDegree(k, allowSelf); return this; }
        public Builder oneToOne() { connectivity = new Connectivity.OneToOne(); return this; }
        /** Explicit synapses; {@code weights}/{@code delaysMs} may be null to use the distributions instead. */
        public Builder explicit(int[] pre, int[] post, float[] weights, float[] delaysMs) {
            connectivity = new Connectivity.Explicit(pre, post, weights, delaysMs);
            return this;
        }
        /** Same weight for every synapse (mV for LIF targets). */
        public Builder weight(double w) { weight = Distribution.constant(w); return this; }
        public Builder weight(Distribution w) { weight = w; return this; }
        /** Same delay for every synapse (ms). */
        public Builder delayMs(double d) { delayMs = Distribution.constant(d); return this; }
        public Builder delayMs(Distribution d) { delayMs = d; return this; }
        public Builder excitatory() { receptor = Receptor.EXCITATORY; return this; }
        public Builder inhibitory() { receptor = Receptor.INHIBITORY; return this; }

        ProjectionSpec build(double defaultDelayMs) {
            Distribution d = delayMs != null ? delayMs : Distribution.constant(defaultDelayMs);
            return new ProjectionSpec(name != null ? name : pre + "->" + post, pre, post, connectivity, weight, d, receptor);
        }
    }
}
