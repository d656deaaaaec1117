package io.myelin.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.myelin.core.InvalidInputException;

import java.util.Arrays;

/**
 * Which presynaptic neuron connects to which postsynaptic neuron in a projection. Random rules draw from the
 * network's seeded generator at compile time, so the same seed always builds the same synapses.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Connectivity.AllToAll.class, name = "all-to-all"),
        @JsonSubTypes.Type(value = Connectivity.FixedProbability.class, name = "fixed-probability"),
        @JsonSubTypes.Type(value = Connectivity.FixedInDegree.class, name = "fixed-in-degree"),
        @JsonSubTypes.Type(value = Connectivity.OneToOne.class, name = "one-to-one"),
        @JsonSubTypes.Type(value = Connectivity.Explicit.class, name = "explicit")
})
public sealed interface Connectivity permits Connectivity.AllToAll, Connectivity.FixedProbability,
        Connectivity.FixedInDegree, Connectivity.OneToOne, Connectivity.Explicit {

    /** Checks the rule against the sizes of the populations it connects. */
    void validate(String where, int preSize, int postSize, boolean samePopulation);

    /** Every pre to every post; {@code allowSelf=false} drops i&rarr;i when pre and post are the same population. */
    record AllToAll(boolean allowSelf) implements Connectivity {
        @Override
        public void validate(String where, int preSize, int postSize, boolean samePopulation) {
        }
    }

    /** Each (pre, post) pair independently with probability {@code p} (Brian2's {@code connect(p=...)}). */
    record FixedProbability(double p, boolean allowSelf) implements Connectivity {
        @Override
        public void validate(String where, int preSize, int postSize, boolean samePopulation) {
            SpecChecks.probability(where + ".connectivity.p", p);
        }
    }

    /** Each post neuron receives exactly {@code k} synapses from distinct pre neurons drawn uniformly. */
    record FixedInDegree(int k, boolean allowSelf) implements Connectivity {
        @Override
        public void validate(String where, int preSize, int postSize, boolean samePopulation) {
            int available = samePopulation && !allowSelf ? preSize - 1 : preSize;
            if (k < 0 || k > available) {
                throw new InvalidInputException(where + ".connectivity.k = " + k + " but only " + available
                        + " distinct presynaptic neurons are available");
            }
        }
    }

    /** Neuron i to neuron i; both populations must have the same size. */
    record OneToOne() implements Connectivity {
        @Override
        public void validate(String where, int preSize, int postSize, boolean samePopulation) {
            if (preSize != postSize) {
                throw new InvalidInputException(where + ": one-to-one needs equal sizes, got pre " + preSize
                        + " and post " + postSize);
            }
        }
    }

    /**
     * Explicit synapse lists, e.g. from a trained model. {@code weights} and {@code delaysMs} are optional per-synapse
     * values; when present they override the projection's weight/delay distributions.
     */
    record Explicit(int[] pre, int[] post, float[] weights, float[] delaysMs) implements Connectivity {
        @Override
        public void validate(String where, int preSize, int postSize, boolean samePopulation) {
            if (pre == null || post == null) {
                throw new InvalidInputException(where + ".connectivity: explicit lists need both 'pre' and 'post'");
            }
            if (pre.length != post.length) {
                throw new InvalidInputException(where + ".connectivity: 'pre' has " + pre.length
                        + " entries but 'post' has " + post.length);
            }
            checkLength(where + ".connectivity.weights", weights, pre.length);
            checkLength(where + ".connectivity.delaysMs", delaysMs, pre.length);
            for (int s = 0; s < pre.length; s++) {
                if (pre[s] < 0 || pre[s] >= preSize) {
                    throw new InvalidInputException(where + ".connectivity.pre[" + s + "] = " + pre[s]
                            + " is outside the presynaptic population (size " + preSize + ")");
                }
                if (post[s] < 0 || post[s] >= postSize) {
                    throw new InvalidInputException(where + ".connectivity.post[" + s + "] = " + post[s]
                            + " is outside the postsynaptic population (size " + postSize + ")");
                }
                if (weights != null && !Float.isFinite(weights[s])) {
                    throw new InvalidInputException(where + ".connectivity.weights[" + s + "] must be finite, got " + weights[s]);
                }
                if (delaysMs != null && !Float.isFinite(delaysMs[s])) {
                    throw new InvalidInputException(where + ".connectivity.delaysMs[" + s + "] must be finite, got " + delaysMs[s]);
                }
            }
        }

        private static void checkLength(String field, float[] values, int n) {
            if (values != null && values.length != n) {
                throw new InvalidInputException(field + " has " + values.length + " entries but there are " + n + " synapses");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Explicit e && Arrays.equals(pre, e.pre) && Arrays.equals(post, e.post)
                    && Arrays.equals(weights, e.weights) && Arrays.equals(delaysMs, e.delaysMs);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * Arrays.hashCode(pre) + Arrays.hashCode(post)) + Arrays.hashCode(weights))
                    + Arrays.hashCode(delaysMs);
        }

        @Override
        public String toString() {
            return "Explicit[" + pre.length + " synapses]";
        }
    }
}
