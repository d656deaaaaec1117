package io.myelin.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.myelin.core.InvalidInputException;

import java.util.Arrays;
import java.util.Objects;

/**
 * A group of spike generators with no membrane: their spikes are decided outside the network dynamics and
 * propagate through projections like any neuron's.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SourceSpec.Poisson.class, name = "poisson"),
        @JsonSubTypes.Type(value = SourceSpec.SpikeTimes.class, name = "spike-times")
})
public sealed interface SourceSpec permits SourceSpec.Poisson, SourceSpec.SpikeTimes {
    String name();

    int size();

    void validate(String where);

    /** Independent Poisson processes at {@code rateHz} each (at most one spike per neuron per time step). */
    record Poisson(String name, int size, double rateHz) implements SourceSpec {
        @Override
        public void validate(String where) {
            SpecChecks.notBlank(where + ".name", name);
            if (size <= 0) {
                throw new InvalidInputException(where + " '" + name + "': size must be > 0, got " + size);
            }
            SpecChecks.nonNegative(where + " '" + name + "'.rateHz", rateHz);
        }
    }

    /**
     * Explicit spikes: spike k is emitted by neuron {@code neurons[k]} at {@code timesMs[k]} (ms from the start).
     * A neuron may emit several spikes in one time step (e.g. a dataset channel pooled from several cochlea
     * channels); each is delivered. Times need not be sorted.
     */
    record SpikeTimes(String name, int size, int[] neurons, double[] timesMs) implements SourceSpec {
        @Override
        public void validate(String where) {
            SpecChecks.notBlank(where + ".name", name);
            String w = where + " '" + name + "'";
            if (size <= 0) {
                throw new InvalidInputException(w + ": size must be > 0, got " + size);
            }
            if (neurons == null || timesMs == null) {
                throw new InvalidInputException(w + ": needs both 'neurons' and 'timesMs'");
            }
            if (neurons.length != timesMs.length) {
                throw new InvalidInputException(w + ": 'neurons' has " + neurons.length + " entries but 'timesMs' has "
                        + timesMs.length);
            }
            for (int k = 0; k < neurons.length; k++) {
                if (neurons[k] < 0 || neurons[k] >= size) {
                    throw new InvalidInputException(w + ".neurons[" + k + "] = " + neurons[k] + " is outside 0.." + (size - 1));
                }
                if (!Double.isFinite(timesMs[k]) || timesMs[k] < 0) {
                    throw new InvalidInputException(w + ".timesMs[" + k + "] must be finite and >= 0, got " + timesMs[k]);
                }
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SpikeTimes s && size == s.size && Objects.equals(name, s.name)
                    && Arrays.equals(neurons, s.neurons) && Arrays.equals(timesMs, s.timesMs);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, size) * 961 + Arrays.hashCode(neurons) * 31 + Arrays.hashCode(timesMs);
        }

        @Override
        public String toString() {
            return "SpikeTimes[" + name + ", " + size + " neurons, " + neurons.length + " spikes]";
        }
    }
}
