package io.myelin.core.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneTranspose} on the JDK's Vector API; loaded only where the module is in the boot layer.
 */
final class VectorLaneTranspose {
    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;

    private VectorLaneTranspose() {
    }

    /*
     * Transposing a block of L x L floats in registers: log2(L) stages swap the off-diagonal blocks of size L/2, ..., 2
     * and 1, each with one-vector permutations and blends under constant masks (which the JIT compiles to vector
     * instructions; two-vector shuffles and gathers it does not). Half a vector operation per element with 16 lanes,
     * three quarters with 8, where a scalar copy into a [step][lane] tile costs a strided load and store each. Each
     * width has its own straight-line method: a loop over the stages would keep the vectors in an array, which the
     * JIT does not hold in registers.
     */
    private static final boolean SIXTEEN = SF.length() == 16, EIGHT = SF.length() == 8;
    private static final VectorShuffle<Float> DOWN8 = shift(-8), DOWN4 = shift(-4), DOWN2 = shift(-2),
            DOWN1 = shift(-1), UP8 = shift(8), UP4 = shift(4), UP2 = shift(2), UP1 = shift(1);
    private static final VectorMask<Float> HIGH8 = high(8), HIGH4 = high(4), HIGH2 = high(2), HIGH1 = high(1);

    /** Lane c takes lane c + by where that stays in the vector and the lane's block bit |by| says so, else itself. */
    private static VectorShuffle<Float> shift(int by) {
        int n = SF.length();
        int[] at = new int[n];
        for (int c = 0; c < n; c++) {
            int to = c + by;
            boolean high = (c & Math.abs(by)) != 0;
            at[c] = to >= 0 && to < n && (by < 0 ? high : !high) ? to : c;
        }
        return VectorShuffle.fromArray(SF, at, 0);
    }

    /** Lanes whose index has bit {@code h} set. */
    private static VectorMask<Float> high(int h) {
        boolean[] m = new boolean[SF.length()];
        for (int c = 0; c < m.length; c++) {
            m[c] = (c & h) != 0;
        }
        return VectorMask.fromArray(SF, m, 0);
    }

    /** Whether this JVM's preferred float vector has 16 or 8 lanes, the widths the transposes are written for. */
    static boolean supported() {
        return SIXTEEN || EIGHT;
    }

    static int lanes() {
        return SF.length();
    }

    /** {@link LaneTranspose#transpose}. */
    static void transpose(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int dstStride) {
        if (SIXTEEN) {
            transpose16(src, srcAt, srcStride, dst, dstAt, dstStride);
        } else {
            transpose8(src, srcAt, srcStride, dst, dstAt, dstStride);
        }
    }

    /**
     * {@code dst[dstAt + c * dstStride + r] = src[srcAt + r * srcStride + c]} for r, c < 8: an 8 x 8 block of floats
     * transposed (8 lanes).
     */
    private static void transpose8(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int dstStride) {
        FloatVector v0 = FloatVector.fromArray(SF, src, srcAt);
        FloatVector v1 = FloatVector.fromArray(SF, src, srcAt + 1 * srcStride);
        FloatVector v2 = FloatVector.fromArray(SF, src, srcAt + 2 * srcStride);
        FloatVector v3 = FloatVector.fromArray(SF, src, srcAt + 3 * srcStride);
        FloatVector v4 = FloatVector.fromArray(SF, src, srcAt + 4 * srcStride);
        FloatVector v5 = FloatVector.fromArray(SF, src, srcAt + 5 * srcStride);
        FloatVector v6 = FloatVector.fromArray(SF, src, srcAt + 6 * srcStride);
        FloatVector v7 = FloatVector.fromArray(SF, src, srcAt + 7 * srcStride);
        FloatVector n4_0 = v0.blend(v4.rearrange(DOWN4), HIGH4);
        v4 = v0.rearrange(UP4).blend(v4, HIGH4);
        v0 = n4_0;
        FloatVector n4_1 = v1.blend(v5.rearrange(DOWN4), HIGH4);
        v5 = v1.rearrange(UP4).blend(v5, HIGH4);
        v1 = n4_1;
        FloatVector n4_2 = v2.blend(v6.rearrange(DOWN4), HIGH4);
        v6 = v2.rearrange(UP4).blend(v6, HIGH4);
        v2 = n4_2;
        FloatVector n4_3 = v3.blend(v7.rearrange(DOWN4), HIGH4);
        v7 = v3.rearrange(UP4).blend(v7, HIGH4);
        v3 = n4_3;
        FloatVector n2_0 = v0.blend(v2.rearrange(DOWN2), HIGH2);
        v2 = v0.rearrange(UP2).blend(v2, HIGH2);
        v0 = n2_0;
        FloatVector n2_1 = v1.blend(v3.rearrange(DOWN2), HIGH2);
        v3 = v1.rearrange(UP2).blend(v3, HIGH2);
        v1 = n2_1;
        FloatVector n2_4 = v4.blend(v6.rearrange(DOWN2), HIGH2);
        v6 = v4.rearrange(UP2).blend(v6, HIGH2);
        v4 = n2_4;
        FloatVector n2_5 = v5.blend(v7.rearrange(DOWN2), HIGH2);
        v7 = v5.rearrange(UP2).blend(v7, HIGH2);
        v5 = n2_5;
        FloatVector n1_0 = v0.blend(v1.rearrange(DOWN1), HIGH1);
        v1 = v0.rearrange(UP1).blend(v1, HIGH1);
        v0 = n1_0;
        FloatVector n1_2 = v2.blend(v3.rearrange(DOWN1), HIGH1);
        v3 = v2.rearrange(UP1).blend(v3, HIGH1);
        v2 = n1_2;
        FloatVector n1_4 = v4.blend(v5.rearrange(DOWN1), HIGH1);
        v5 = v4.rearrange(UP1).blend(v5, HIGH1);
        v4 = n1_4;
        FloatVector n1_6 = v6.blend(v7.rearrange(DOWN1), HIGH1);
        v7 = v6.rearrange(UP1).blend(v7, HIGH1);
        v6 = n1_6;
        v0.intoArray(dst, dstAt);
        v1.intoArray(dst, dstAt + 1 * dstStride);
        v2.intoArray(dst, dstAt + 2 * dstStride);
        v3.intoArray(dst, dstAt + 3 * dstStride);
        v4.intoArray(dst, dstAt + 4 * dstStride);
        v5.intoArray(dst, dstAt + 5 * dstStride);
        v6.intoArray(dst, dstAt + 6 * dstStride);
        v7.intoArray(dst, dstAt + 7 * dstStride);
    }

    /**
     * {@code dst[dstAt + c * dstStride + r] = src[srcAt + r * srcStride + c]} for r, c < 16: a 16 x 16 block of floats
     * transposed (16 lanes).
     */
    private static void transpose16(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int dstStride) {
        FloatVector v0 = FloatVector.fromArray(SF, src, srcAt);
        FloatVector v1 = FloatVector.fromArray(SF, src, srcAt + 1 * srcStride);
        FloatVector v2 = FloatVector.fromArray(SF, src, srcAt + 2 * srcStride);
        FloatVector v3 = FloatVector.fromArray(SF, src, srcAt + 3 * srcStride);
        FloatVector v4 = FloatVector.fromArray(SF, src, srcAt + 4 * srcStride);
        FloatVector v5 = FloatVector.fromArray(SF, src, srcAt + 5 * srcStride);
        FloatVector v6 = FloatVector.fromArray(SF, src, srcAt + 6 * srcStride);
        FloatVector v7 = FloatVector.fromArray(SF, src, srcAt + 7 * srcStride);
        FloatVector v8 = FloatVector.fromArray(SF, src, srcAt + 8 * srcStride);
        FloatVector v9 = FloatVector.fromArray(SF, src, srcAt + 9 * srcStride);
        FloatVector v10 = FloatVector.fromArray(SF, src, srcAt + 10 * srcStride);
        FloatVector v11 = FloatVector.fromArray(SF, src, srcAt + 11 * srcStride);
        FloatVector v12 = FloatVector.fromArray(SF, src, srcAt + 12 * srcStride);
        FloatVector v13 = FloatVector.fromArray(SF, src, srcAt + 13 * srcStride);
        FloatVector v14 = FloatVector.fromArray(SF, src, srcAt + 14 * srcStride);
        FloatVector v15 = FloatVector.fromArray(SF, src, srcAt + 15 * srcStride);
        FloatVector n8_0 = v0.blend(v8.rearrange(DOWN8), HIGH8);
        v8 = v0.rearrange(UP8).blend(v8, HIGH8);
        v0 = n8_0;
        FloatVector n8_1 = v1.blend(v9.rearrange(DOWN8), HIGH8);
        v9 = v1.rearrange(UP8).blend(v9, HIGH8);
        v1 = n8_1;
        FloatVector n8_2 = v2.blend(v10.rearrange(DOWN8), HIGH8);
        v10 = v2.rearrange(UP8).blend(v10, HIGH8);
        v2 = n8_2;
        FloatVector n8_3 = v3.blend(v11.rearrange(DOWN8), HIGH8);
        v11 = v3.rearrange(UP8).blend(v11, HIGH8);
        v3 = n8_3;
        FloatVector n8_4 = v4.blend(v12.rearrange(DOWN8), HIGH8);
        v12 = v4.rearrange(UP8).blend(v12, HIGH8);
        v4 = n8_4;
        FloatVector n8_5 = v5.blend(v13.rearrange(DOWN8), HIGH8);
        v13 = v5.rearrange(UP8).blend(v13, HIGH8);
        v5 = n8_5;
        FloatVector n8_6 = v6.blend(v14.rearrange(DOWN8), HIGH8);
        v14 = v6.rearrange(UP8).blend(v14, HIGH8);
        v6 = n8_6;
        FloatVector n8_7 = v7.blend(v15.rearrange(DOWN8), HIGH8);
        v15 = v7.rearrange(UP8).blend(v15, HIGH8);
        v7 = n8_7;
        FloatVector n4_0 = v0.blend(v4.rearrange(DOWN4), HIGH4);
        v4 = v0.rearrange(UP4).blend(v4, HIGH4);
        v0 = n4_0;
        FloatVector n4_1 = v1.blend(v5.rearrange(DOWN4), HIGH4);
        v5 = v1.rearrange(UP4).blend(v5, HIGH4);
        v1 = n4_1;
        FloatVector n4_2 = v2.blend(v6.rearrange(DOWN4), HIGH4);
        v6 = v2.rearrange(UP4).blend(v6, HIGH4);
        v2 = n4_2;
        FloatVector n4_3 = v3.blend(v7.rearrange(DOWN4), HIGH4);
        v7 = v3.rearrange(UP4).blend(v7, HIGH4);
        v3 = n4_3;
        FloatVector n4_8 = v8.blend(v12.rearrange(DOWN4), HIGH4);
        v12 = v8.rearrange(UP4).blend(v12, HIGH4);
        v8 = n4_8;
        FloatVector n4_9 = v9.blend(v13.rearrange(DOWN4), HIGH4);
        v13 = v9.rearrange(UP4).blend(v13, HIGH4);
        v9 = n4_9;
        FloatVector n4_10 = v10.blend(v14.rearrange(DOWN4), HIGH4);
        v14 = v10.rearrange(UP4).blend(v14, HIGH4);
        v10 = n4_10;
        FloatVector n4_11 = v11.blend(v15.rearrange(DOWN4), HIGH4);
        v15 = v11.rearrange(UP4).blend(v15, HIGH4);
        v11 = n4_11;
        FloatVector n2_0 = v0.blend(v2.rearrange(DOWN2), HIGH2);
        v2 = v0.rearrange(UP2).blend(v2, HIGH2);
        v0 = n2_0;
        FloatVector n2_1 = v1.blend(v3.rearrange(DOWN2), HIGH2);
        v3 = v1.rearrange(UP2).blend(v3, HIGH2);
        v1 = n2_1;
        FloatVector n2_4 = v4.blend(v6.rearrange(DOWN2), HIGH2);
        v6 = v4.rearrange(UP2).blend(v6, HIGH2);
        v4 = n2_4;
        FloatVector n2_5 = v5.blend(v7.rearrange(DOWN2), HIGH2);
        v7 = v5.rearrange(UP2).blend(v7, HIGH2);
        v5 = n2_5;
        FloatVector n2_8 = v8.blend(v10.rearrange(DOWN2), HIGH2);
        v10 = v8.rearrange(UP2).blend(v10, HIGH2);
        v8 = n2_8;
        FloatVector n2_9 = v9.blend(v11.rearrange(DOWN2), HIGH2);
        v11 = v9.rearrange(UP2).blend(v11, HIGH2);
        v9 = n2_9;
        FloatVector n2_12 = v12.blend(v14.rearrange(DOWN2), HIGH2);
        v14 = v12.rearrange(UP2).blend(v14, HIGH2);
        v12 = n2_12;
        FloatVector n2_13 = v13.blend(v15.rearrange(DOWN2), HIGH2);
        v15 = v13.rearrange(UP2).blend(v15, HIGH2);
        v13 = n2_13;
        FloatVector n1_0 = v0.blend(v1.rearrange(DOWN1), HIGH1);
        v1 = v0.rearrange(UP1).blend(v1, HIGH1);
        v0 = n1_0;
        FloatVector n1_2 = v2.blend(v3.rearrange(DOWN1), HIGH1);
        v3 = v2.rearrange(UP1).blend(v3, HIGH1);
        v2 = n1_2;
        FloatVector n1_4 = v4.blend(v5.rearrange(DOWN1), HIGH1);
        v5 = v4.rearrange(UP1).blend(v5, HIGH1);
        v4 = n1_4;
        FloatVector n1_6 = v6.blend(v7.rearrange(DOWN1), HIGH1);
        v7 = v6.rearrange(UP1).blend(v7, HIGH1);
        v6 = n1_6;
        FloatVector n1_8 = v8.blend(v9.rearrange(DOWN1), HIGH1);
        v9 = v8.rearrange(UP1).blend(v9, HIGH1);
        v8 = n1_8;
        FloatVector n1_10 = v10.blend(v11.rearrange(DOWN1), HIGH1);
        v11 = v10.rearrange(UP1).blend(v11, HIGH1);
        v10 = n1_10;
        FloatVector n1_12 = v12.blend(v13.rearrange(DOWN1), HIGH1);
        v13 = v12.rearrange(UP1).blend(v13, HIGH1);
        v12 = n1_12;
        FloatVector n1_14 = v14.blend(v15.rearrange(DOWN1), HIGH1);
        v15 = v14.rearrange(UP1).blend(v15, HIGH1);
        v14 = n1_14;
        v0.intoArray(dst, dstAt);
        v1.intoArray(dst, dstAt + 1 * dstStride);
        v2.intoArray(dst, dstAt + 2 * dstStride);
        v3.intoArray(dst, dstAt + 3 * dstStride);
        v4.intoArray(dst, dstAt + 4 * dstStride);
        v5.intoArray(dst, dstAt + 5 * dstStride);
        v6.intoArray(dst, dstAt + 6 * dstStride);
        v7.intoArray(dst, dstAt + 7 * dstStride);
        v8.intoArray(dst, dstAt + 8 * dstStride);
        v9.intoArray(dst, dstAt + 9 * dstStride);
        v10.intoArray(dst, dstAt + 10 * dstStride);
        v11.intoArray(dst, dstAt + 11 * dstStride);
        v12.intoArray(dst, dstAt + 12 * dstStride);
        v13.intoArray(dst, dstAt + 13 * dstStride);
        v14.intoArray(dst, dstAt + 14 * dstStride);
        v15.intoArray(dst, dstAt + 15 * dstStride);

    }
}
