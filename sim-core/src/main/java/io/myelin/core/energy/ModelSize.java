package io.myelin.core.energy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.myelin.core.InvalidInputException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a model stores, by kind and layer, each group at its stored bit width, next to what the same parameters
 * take as float32. Quantized weights count at their bit width; integer delays over Td taps at
 * {@link #delayBits(long) ceil(log2 Td)} bits.
 */
@JsonIgnoreProperties(value = {"total_bits", "float32_bits", "compression", "bits_by_kind"}, allowGetters = true)
@JsonPropertyOrder({"parameters", "total_bits", "float32_bits", "compression", "bits_by_kind"})
public final class ModelSize {
    private final List<ParameterGroup> parameters;

    @JsonCreator
    public ModelSize(@JsonProperty("parameters") List<ParameterGroup> parameters) {
        this.parameters = List.copyOf(parameters == null ? List.of() : parameters);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Bits of one integer delay chosen among {@code taps} values: ceil(log2 taps), 0 for a single tap. */
    public static int delayBits(long taps) {
        if (taps < 1) {
            throw new InvalidInputException("delay bit width: the number of delay taps must be >= 1, got " + taps);
        }
        return 64 - Long.numberOfLeadingZeros(taps - 1);
    }

    @JsonProperty("parameters")
    public List<ParameterGroup> parameters() {
        return parameters;
    }

    /** Sum of count x bits (bits). */
    @JsonProperty("total_bits")
    public long totalBits() {
        long s = 0;
        for (ParameterGroup g : parameters) {
            s += g.totalBits();
        }
        return s;
    }

    /** The same parameters all stored as float32 (bits). */
    @JsonProperty("float32_bits")
    public long float32Bits() {
        long s = 0;
        for (ParameterGroup g : parameters) {
            s += g.count() * 32;
        }
        return s;
    }

    /** float32 bits / stored bits (1 for an all-float model); 0 for an empty model. */
    @JsonProperty("compression")
    public double compression() {
        long t = totalBits();
        return t == 0 ? 0 : float32Bits() / (double) t;
    }

    /** Total parameter count. */
    public long parameterCount() {
        long s = 0;
        for (ParameterGroup g : parameters) {
            s += g.count();
        }
        return s;
    }

    /** Stored bits per kind, in {@link ParameterKind} order. */
    @JsonProperty("bits_by_kind")
    public Map<ParameterKind, Long> bitsByKind() {
        Map<ParameterKind, Long> m = new EnumMap<>(ParameterKind.class);
        for (ParameterGroup g : parameters) {
            m.merge(g.kind(), g.totalBits(), Long::sum);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSize m && m.parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
        return parameters.hashCode();
    }

    @Override
    public String toString() {
        return "ModelSize" + parameters;
    }

    /** Collects parameter groups; groups with count 0 are dropped. */
    public static final class Builder {
        private final List<ParameterGroup> groups = new ArrayList<>();

        public Builder add(String layer, ParameterKind kind, long count, int bits) {
            if (count > 0) {
                groups.add(new ParameterGroup(layer, kind, count, bits));
            }
            return this;
        }

        /** Integer delays of {@code count} synapses over {@code taps} possible values (ceil(log2 taps) bits each). */
        public Builder delays(String layer, long count, long taps) {
            return add(layer, ParameterKind.DELAY, count, delayBits(taps));
        }

        public ModelSize build() {
            return new ModelSize(groups);
        }
    }
}
