package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;

/**
 * Synaptic weights are delivered as 32-bit fixed-point integers {@code round(w * 2^bits)}. The number of fractional
 * bits is the largest that keeps the worst-case sum arriving at one neuron in one step below 2^31, so sums never
 * overflow and, being integers, never depend on the order of addition (which float atomics on a GPU would).
 * For CUBA (80 inputs, |w| &le; 9 mV) this is 21 bits: a resolution of 5e-7 mV.
 */
public record FixedPointScale(int fractionalBits) {
    /** More fractional bits than this add nothing for float32 membranes and risk overflow in sums. */
    public static final int MAX_BITS = 30;

    public FixedPointScale {
        if (fractionalBits < 0 || fractionalBits > MAX_BITS) {
            throw new IllegalArgumentException("fractional bits must be in 0.." + MAX_BITS + ", got " + fractionalBits);
        }
    }

    /**
     * Chooses the scale for a worst-case per-neuron, per-step input magnitude.
     *
     * @param worstCaseSum the largest possible sum of |weight| arriving at one neuron's receptor in one step
     */
    public static FixedPointScale forWorstCase(double worstCaseSum) {
        if (!(worstCaseSum >= 0) || Double.isInfinite(worstCaseSum)) {
            throw new InvalidInputException("synaptic weights sum to " + worstCaseSum + " at one neuron");
        }
        if (worstCaseSum == 0) {
            return new FixedPointScale(MAX_BITS);
        }
        // Leave one bit of headroom below 2^31 for the rounding of each weight.
        int bits = (int) Math.floor(Math.log(Integer.MAX_VALUE / 2.0 / worstCaseSum) / Math.log(2));
        if (bits < 0) {
            throw new InvalidInputException("synaptic weights arriving at one neuron in one step can sum to " + worstCaseSum
                    + ", beyond what 32-bit fixed-point delivery holds (2^30); scale the weights down");
        }
        return new FixedPointScale(Math.min(bits, MAX_BITS));
    }

    public int toFixed(double weight) {
        return (int) Math.round(Math.scalb(weight, fractionalBits));
    }

    /** The float multiplier turning a fixed-point sum back into weight units (an exact power of two). */
    public float inverse() {
        return Math.scalb(1.0f, -fractionalBits);
    }

    /** The weight value a fixed-point number stands for. */
    public double toWeight(int fixed) {
        return Math.scalb((double) fixed, -fractionalBits);
    }
}
