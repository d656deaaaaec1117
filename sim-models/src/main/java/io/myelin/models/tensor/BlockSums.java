package io.myelin.models.tensor;

/**
 * Sums of many terms into a block of consecutive elements that stays in registers from the first term to the last
 * (the DCLS layer's training sums): a term costs one load and one multiply-add per vector, and each block is
 * written once, where adding term after term into memory costs a load and a store per vector as well. Two shapes:
 * <ul>
 *   <li>{@link #shiftedTerms}: coefficient times a row at the term's offset (a delayed input or gradient row);</li>
 *   <li>{@link #tableRows}: value times a row of a table (an input event times the kernel's row for its tap).</li>
 * </ul>
 * Every element sums its terms in the order given, onto its value in the destination (callers that want a sum start
 * from zeros), with exactly the operations the Javadoc of each method states, on the Vector API when {@link WindowOps#vectorized()} and in plain loops otherwise: the same
 * bits either way. Lengths are multiples of {@link WindowOps#lanes()} (callers pad their rows).
 */
public final class BlockSums {
    private static final boolean VECTOR = WindowOps.vectorized();

    private BlockSums() {
    }

    /**
     * {@code dst[dOff + k] += sum over m in [from, to) of coef[m] * src[base + offset[m] + k]} for
     * {@code 0 <= k < len}; each element a chain of fused multiply-adds in the order of m, from its value in
     * {@code dst}.
     */
    public static void shiftedTerms(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst,
                                    int dOff, int len) {
        if (VECTOR) {
            VectorBlockSums.shiftedTerms(src, base, offset, coef, from, to, dst, dOff, len);
            return;
        }
        for (int k = 0; k < len; k++) {
            float a = dst[dOff + k];
            for (int m = from; m < to; m++) {
                a = Math.fma(src[base + offset[m] + k], coef[m], a);
            }
            dst[dOff + k] = a;
        }
    }

    /**
     * {@link #shiftedTerms} for two destinations whose terms read the same rows with their own coefficients:
     * {@code dst[dA + k] += sum over m of coefA[m] * src[base + offset[m] + k]} and likewise {@code dst[dB + k]} with
     * coefB, each element the very chain of fused multiply-adds {@link #shiftedTerms} runs, so the same bits. Each
     * row vector loaded serves two sums: where the loads, not the multiply-adds, bound the sums (unaligned rows),
     * nearly half the time.
     */
    public static void shiftedTermPairs(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from,
                                        int to, float[] dst, int dA, int dB, int len) {
        if (VECTOR) {
            VectorBlockSums.shiftedTermPairs(src, base, offset, coefA, coefB, from, to, dst, dA, dB, len);
            return;
        }
        shiftedTerms(src, base, offset, coefA, from, to, dst, dA, len);
        shiftedTerms(src, base, offset, coefB, from, to, dst, dB, len);
    }

    /**
     * {@link #shiftedTerms} for four destinations whose terms read the same rows with their own coefficients:
     * {@code dst[d[j] + k] += sum over m of coef[j][m] * src[base + offset[m] + k]} for {@code j < 4}, each element
     * the very chain of fused multiply-adds {@link #shiftedTerms} runs, so the same bits. Each row vector loaded serves
     * four sums, so that the multiply-adds alone bound them (blocks of up to four vectors per sum: sixteen sums in
     * registers).
     */
    public static void shiftedTermQuads(float[] src, int base, int[] offset, float[][] coef, int from, int to,
                                        float[] dst, int[] d, int len) {
        if (VECTOR) {
            VectorBlockSums.shiftedTermQuads(src, base, offset, coef, from, to, dst, d, len);
            return;
        }
        for (int j = 0; j < 4; j++) {
            shiftedTerms(src, base, offset, coef[j], from, to, dst, d[j], len);
        }
    }

    /**
     * {@code dst[dOff + k] += sum over m in [from, to) of val[m] * table[row[m] + k]} for {@code 0 <= k < len}: each
     * element a chain of fused multiply-adds in the order of m, from its value in {@code dst}.
     */
    public static void tableRows(float[] table, int[] row, float[] val, int from, int to, float[] dst, int dOff,
                                 int len) {
        tableRows(table, row, 0, val, from, to, dst, dOff, len);
    }

    /**
     * {@link #tableRows} for {@code taps} destination rows whose table rows step back {@code tapStride} floats each:
     * {@code dst[dOff + j * dStride + k] += sum over m in [from, to) of val[m] * table[row[m] + shift - j * tapStride
     * + k]} for {@code 0 <= j < taps}, each element the same chain of fused multiply-adds in the order of m. Two
     * destination rows run together, so that a block of four vectors still keeps eight sums in flight.
     */
    public static void tapRows(float[] table, int[] row, int shift, int tapStride, int taps, float[] val, int from,
                               int to, float[] dst, int dOff, int dStride, int len) {
        if (VECTOR) {
            VectorBlockSums.tapRows(table, row, shift, tapStride, taps, val, from, to, dst, dOff, dStride, len);
            return;
        }
        for (int j = 0; j < taps; j++) {
            tableRows(table, row, shift - j * tapStride, val, from, to, dst, dOff + j * dStride, len);
        }
    }

    /**
     * {@link #tableRows} over the columns {@code [shift, shift + len)} of the rows (a cache tile of them, or rows
     * whose starts all move by the same amount): {@code dst[dOff + k] += sum over m of val[m] * table[row[m] + shift
     * + k]}, each element the same chain of fused multiply-adds.
     */
    public static void tableRows(float[] table, int[] row, int shift, float[] val, int from, int to, float[] dst,
                                 int dOff, int len) {
        if (VECTOR) {
            VectorBlockSums.tableRows(table, row, shift, val, from, to, dst, dOff, len);
            return;
        }
        for (int k = 0; k < len; k++) {
            float a = dst[dOff + k];
            for (int m = from; m < to; m++) {
                a = Math.fma(table[row[m] + shift + k], val[m], a);
            }
            dst[dOff + k] = a;
        }
    }
}
