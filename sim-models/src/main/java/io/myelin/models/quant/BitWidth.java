package io.myelin.models.quant;

/**
 * Weight bit widths of the QSD-Transformer family: signed integer levels {@code [-qNeg, qPos]}; "1.58 bits" is ternary
 * {-1, 0, 1} (log2 3 bits of information, stored in 2 bits).
 */
public enum BitWidth {
    TERNARY(1, 1, 2, 1.58),
    B2(2, 1, 2, 2),
    B4(8, 7, 4, 4),
    B8(128, 127, 8, 8);

    /** Magnitude of the most negative level. */
    public final int qNeg;
    /** The most positive level. */
    public final int qPos;
    /** Bits each weight occupies when packed. */
    public final int storedBits;
    /** Nominal bits (1.58 for ternary), as papers report them. */
    public final double nominalBits;

    BitWidth(int qNeg, int qPos, int storedBits, double nominalBits) {
        this.qNeg = qNeg;
        this.qPos = qPos;
        this.storedBits = storedBits;
        this.nominalBits = nominalBits;
    }

    /** Whether {@code bits} names one of the widths. */
    public static boolean isNominal(double bits) {
        for (BitWidth b : values()) {
            if (Math.abs(b.nominalBits - bits) < 1e-9) {
                return true;
            }
        }
        return false;
    }

    /** {@code 1.58}, {@code 2}, {@code 4} or {@code 8}. */
    public static BitWidth of(double bits) {
        for (BitWidth b : values()) {
            if (Math.abs(b.nominalBits - bits) < 1e-9) {
                return b;
            }
        }
        throw new io.myelin.core.InvalidInputException("weight bit width must be one of 1.58, 2, 4, 8; got " + bits);
    }
}
