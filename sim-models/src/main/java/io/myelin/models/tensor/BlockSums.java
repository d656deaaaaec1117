package io.myelin.models.tensor;

/**
 * Sums of many terms into a block of consecutive elements that stays in registers from the first term to the last
 * (the DCLS layer's training sums): a term costs one load and one multiply-add per vector, and each block is
 * written once, where adding term after term into memory costs a load and a store per vector as well. Two shapes:
 * <ul>
 *   <li>{@link #shiftedTerms}: coefficient times a row shifted by the term's offset (a delayed gradient row);</li>
 *   <li>{@link #tableRows}: value times a row of a table (an input event times the kernel's row for its tap).</li>
 * </ul>
 * Every element sums its terms in the order given, from zero (or from its value, for {@link #tableRows}), with exactly
 * the operations the Javadoc of each method states, on the Vector API when {@link WindowOps#vectorized()} and in plain loops otherwise: the same
 * bits either way. Lengths are multiples of {@link WindowOps#lanes()} (callers pad their rows).
 */
public final class BlockSums {
    /** A shifted term packs its row and shift as {@code row << SHIFT_BITS | shift}. */
    static final int SHIFT_BITS = 8;
    static final int SHIFT_MASK = (1 << SHIFT_BITS) - 1;
    private static final boolean VECTOR = WindowOps.vectorized();

    private BlockSums() {
    }

    /** The term reading row {@code row} at shift {@code shift} (0..255) of a {@link #shiftedTerms} source. */
    public static int term(int row, int shift) {
        if (shift < 0 || shift > SHIFT_MASK || row < 0 || row >= 1 << (31 - SHIFT_BITS)) {
            throw new IllegalArgumentException("term row " + row + ", shift " + shift + " out of range");
        }
        return row << SHIFT_BITS | shift;
    }

    /**
     * {@code dst[dOff + k] = sum over m in [from, to) of coef[m] * src[base + row_m * pitch + shift_m + k]} for
     * {@code 0 <= k < len}, where {@code term[m]} packs {@code (row_m, shift_m)} ({@link #term}); each element a chain
     * of fused multiply-adds in the order of m, from zero.
     */
    public static void shiftedTerms(float[] src, int base, int pitch, int[] term, float[] coef, int from, int to,
                                    float[] dst, int dOff, int len) {
        if (VECTOR) {
            VectorBlockSums.shiftedTerms(src, base, pitch, term, coef, from, to, dst, dOff, len);
            return;
        }
        for (int k = 0; k < len; k++) {
            float a = 0f;
            for (int m = from; m < to; m++) {
                int t = term[m];
                a = Math.fma(src[base + (t >>> SHIFT_BITS) * pitch + (t & SHIFT_MASK) + k], coef[m], a);
            }
            dst[dOff + k] = a;
        }
    }

    /**
     * {@code dst[dOff + k] += sum over m in [from, to) of val[m] * table[row[m] + k]} for {@code 0 <= k < len}: each
     * element a chain of fused multiply-adds in the order of m, from its value in {@code dst}.
     */
    public static void tableRows(float[] table, int[] row, float[] val, int from, int to, float[] dst, int dOff,
                                 int len) {
        if (VECTOR) {
            VectorBlockSums.tableRows(table, row, val, from, to, dst, dOff, len);
            return;
        }
        for (int k = 0; k < len; k++) {
            float a = dst[dOff + k];
            for (int m = from; m < to; m++) {
                a = Math.fma(table[row[m] + k], val[m], a);
            }
            dst[dOff + k] = a;
        }
    }
}
