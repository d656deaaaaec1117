package io.myelin.core.energy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.myelin.core.InvalidInputException;

/**
 * Parameters of one kind in one layer, all stored at the same width.
 *
 * @param layer layer (or projection) the parameters belong to
 * @param kind  what they are
 * @param count how many
 * @param bits  stored width of each (bits)
 */
@JsonIgnoreProperties(value = "total_bits", allowGetters = true)
public record ParameterGroup(@JsonProperty("layer") String layer, @JsonProperty("kind") ParameterKind kind,
                             @JsonProperty("count") long count, @JsonProperty("bits") int bits) {
    public ParameterGroup {
        if (kind == null || count < 0 || bits < 0 || bits > 64) {
            throw new InvalidInputException("parameter group of '" + layer + "': needs a kind, count >= 0 and bits "
                    + "in 0..64 (got " + kind + ", " + count + ", " + bits + ")");
        }
    }

    /** count x bits. */
    @JsonProperty("total_bits")
    public long totalBits() {
        return count * bits;
    }
}
