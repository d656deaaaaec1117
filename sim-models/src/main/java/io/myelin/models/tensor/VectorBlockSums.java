package io.myelin.models.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BlockSums} on the JDK's Vector API (incubator module {@code jdk.incubator.vector}): each sum runs over a
 * block of up to 8 vectors held in registers from the first term to the last, so that a term costs one load and one
 * fused multiply-add per vector and the block is stored once. The methods for each block width are written out: C2
 * keeps vectors in registers only when they are locals, and stops intrinsifying the Vector API in a method that
 * holds many more vector operations than eight blocks' (C2 17's inlining budget; the rest then runs as slow Java).
 * Only {@link BlockSums} refers to this class, and only when the module is present. Each element's sum runs over
 * its terms in the given order with the same operations as the scalar loops, so the same bits.
 */
final class VectorBlockSums {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorBlockSums() {
    }

    static int lanes() {
        return L;
    }

    /** {@link BlockSums#shiftedTerms}, {@code len} a multiple of the lanes. */
    static void shiftedTerms(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst, int dOff,
                             int len) {
        int k = 0;
        while (k < len) {
            int width = Math.min(8, (len - k) / L);
            SHIFTED[width].run(src, base + k, offset, coef, from, to, dst, dOff + k);
            k += width * L;
        }
    }

    /** One pass of {@link #shiftedTerms} over a block of vectors. */
    private interface Shifted {
        void run(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst, int d);
    }

    /** One pass of {@link #shiftedTermPairs} over a block of vectors. */
    private interface Pair {
        void run(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to, float[] dst,
                 int dA, int dB);
    }

    /*
     * The kernels by block width, called through tables: a call site with many targets is not inlined, so each kernel
     * is compiled on its own. Called from a switch, the kernels were inlined into their caller until it outgrew what
     * the JIT compiles into vector instructions, and some (pair8, shifted6 to shifted8) ran as calls on boxed vectors
     * in some runs and not in others.
     */
    private static final Shifted[] SHIFTED = {null, VectorBlockSums::shifted1, VectorBlockSums::shifted2,
            VectorBlockSums::shifted3, VectorBlockSums::shifted4, VectorBlockSums::shifted5, VectorBlockSums::shifted6,
            VectorBlockSums::shifted7, VectorBlockSums::shifted8};
    private static final Pair[] PAIRS = {null, VectorBlockSums::pair1, VectorBlockSums::pair2, VectorBlockSums::pair3,
            VectorBlockSums::pair4, VectorBlockSums::pair5, VectorBlockSums::pair6, VectorBlockSums::pair7,
            VectorBlockSums::pair8};

    private static void shifted1(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst,
                                 int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector c = FloatVector.broadcast(S, coef[m]);
            a0 = FloatVector.fromArray(S, src, o).fma(c, a0);
        }
        a0.intoArray(dst, d);
    }

    private static void shifted2(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst,
                                 int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector c = FloatVector.broadcast(S, coef[m]);
            a0 = FloatVector.fromArray(S, src, o).fma(c, a0);
            a1 = FloatVector.fromArray(S, src, o + L).fma(c, a1);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
    }

    private static void shifted3(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst,
                                 int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, d + 2 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector c = FloatVector.broadcast(S, coef[m]);
            a0 = FloatVector.fromArray(S, src, o).fma(c, a0);
            a1 = FloatVector.fromArray(S, src, o + L).fma(c, a1);
            a2 = FloatVector.fromArray(S, src, o + 2 * L).fma(c, a2);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
        a2.intoArray(dst, d + 2 * L);
    }

    private static void shifted4(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst,
                                 int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, d + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, d + 3 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector c = FloatVector.broadcast(S, coef[m]);
            a0 = FloatVector.fromArray(S, src, o).fma(c, a0);
            a1 = FloatVector.fromArray(S, src, o + L).fma(c, a1);
            a2 = FloatVector.fromArray(S, src, o + 2 * L).fma(c, a2);
            a3 = FloatVector.fromArray(S, src, o + 3 * L).fma(c, a3);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
        a2.intoArray(dst, d + 2 * L);
        a3.intoArray(dst, d + 3 * L);
    }

    private static void shifted5(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst,
                                 int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, d + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, d + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, dst, d + 4 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector c = FloatVector.broadcast(S, coef[m]);
            a0 = FloatVector.fromArray(S, src, o).fma(c, a0);
            a1 = FloatVector.fromArray(S, src, o + L).fma(c, a1);
            a2 = FloatVector.fromArray(S, src, o + 2 * L).fma(c, a2);
            a3 = FloatVector.fromArray(S, src, o + 3 * L).fma(c, a3);
            a4 = FloatVector.fromArray(S, src, o + 4 * L).fma(c, a4);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
        a2.intoArray(dst, d + 2 * L);
        a3.intoArray(dst, d + 3 * L);
        a4.intoArray(dst, d + 4 * L);
    }

    private static void shifted6(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst,
                                 int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, d + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, d + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, dst, d + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, dst, d + 5 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector c = FloatVector.broadcast(S, coef[m]);
            a0 = FloatVector.fromArray(S, src, o).fma(c, a0);
            a1 = FloatVector.fromArray(S, src, o + L).fma(c, a1);
            a2 = FloatVector.fromArray(S, src, o + 2 * L).fma(c, a2);
            a3 = FloatVector.fromArray(S, src, o + 3 * L).fma(c, a3);
            a4 = FloatVector.fromArray(S, src, o + 4 * L).fma(c, a4);
            a5 = FloatVector.fromArray(S, src, o + 5 * L).fma(c, a5);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
        a2.intoArray(dst, d + 2 * L);
        a3.intoArray(dst, d + 3 * L);
        a4.intoArray(dst, d + 4 * L);
        a5.intoArray(dst, d + 5 * L);
    }

    private static void shifted7(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst,
                                 int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, d + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, d + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, dst, d + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, dst, d + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, dst, d + 6 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector c = FloatVector.broadcast(S, coef[m]);
            a0 = FloatVector.fromArray(S, src, o).fma(c, a0);
            a1 = FloatVector.fromArray(S, src, o + L).fma(c, a1);
            a2 = FloatVector.fromArray(S, src, o + 2 * L).fma(c, a2);
            a3 = FloatVector.fromArray(S, src, o + 3 * L).fma(c, a3);
            a4 = FloatVector.fromArray(S, src, o + 4 * L).fma(c, a4);
            a5 = FloatVector.fromArray(S, src, o + 5 * L).fma(c, a5);
            a6 = FloatVector.fromArray(S, src, o + 6 * L).fma(c, a6);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
        a2.intoArray(dst, d + 2 * L);
        a3.intoArray(dst, d + 3 * L);
        a4.intoArray(dst, d + 4 * L);
        a5.intoArray(dst, d + 5 * L);
        a6.intoArray(dst, d + 6 * L);
    }

    private static void shifted8(float[] src, int base, int[] offset, float[] coef, int from, int to, float[] dst,
                                 int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, d + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, d + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, dst, d + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, dst, d + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, dst, d + 6 * L);
        FloatVector a7 = FloatVector.fromArray(S, dst, d + 7 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector c = FloatVector.broadcast(S, coef[m]);
            a0 = FloatVector.fromArray(S, src, o).fma(c, a0);
            a1 = FloatVector.fromArray(S, src, o + L).fma(c, a1);
            a2 = FloatVector.fromArray(S, src, o + 2 * L).fma(c, a2);
            a3 = FloatVector.fromArray(S, src, o + 3 * L).fma(c, a3);
            a4 = FloatVector.fromArray(S, src, o + 4 * L).fma(c, a4);
            a5 = FloatVector.fromArray(S, src, o + 5 * L).fma(c, a5);
            a6 = FloatVector.fromArray(S, src, o + 6 * L).fma(c, a6);
            a7 = FloatVector.fromArray(S, src, o + 7 * L).fma(c, a7);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
        a2.intoArray(dst, d + 2 * L);
        a3.intoArray(dst, d + 3 * L);
        a4.intoArray(dst, d + 4 * L);
        a5.intoArray(dst, d + 5 * L);
        a6.intoArray(dst, d + 6 * L);
        a7.intoArray(dst, d + 7 * L);
    }

    /** {@link BlockSums#tableRows}, {@code len} a multiple of the lanes. */
    static void tableRows(float[] table, int[] row, int shift, float[] val, int from, int to, float[] dst, int dOff,
                          int len) {
        int k = 0;
        for (; len - k >= 8 * L; k += 8 * L) {
            rows8(table, shift + k, row, val, from, to, dst, dOff + k);
        }
        int left = (len - k) / L;
        if (left >= 4) {
            rows4(table, shift + k, row, val, from, to, dst, dOff + k);
            k += 4 * L;
            left -= 4;
        }
        if (left >= 2) {
            rows2(table, shift + k, row, val, from, to, dst, dOff + k);
            k += 2 * L;
            left -= 2;
        }
        if (left >= 1) {
            rows1(table, shift + k, row, val, from, to, dst, dOff + k);
        }
    }

    /** {@link BlockSums#tapRows}, {@code len} a multiple of the lanes. */
    static void tapRows(float[] table, int[] row, int shift, int tapStride, int taps, float[] val, int from, int to,
                        float[] dst, int dOff, int dStride, int len) {
        int j = 0;
        if (len == 4 * L) {
            for (; j + 1 < taps; j += 2) {
                int sh = shift - j * tapStride, d = dOff + j * dStride;
                tapPair4(table, sh, sh - tapStride, row, val, from, to, dst, d, d + dStride);
            }
        }
        for (; j < taps; j++) {
            tableRows(table, row, shift - j * tapStride, val, from, to, dst, dOff + j * dStride, len);
        }
    }

    /** Two rows of four vectors: eight sums in flight, each row's terms read at its own shift. */
    private static void tapPair4(float[] table, int kA, int kB, int[] row, float[] val, int from, int to, float[] dst,
                                 int dA, int dB) {
        FloatVector a0 = FloatVector.fromArray(S, dst, dA);
        FloatVector a1 = FloatVector.fromArray(S, dst, dA + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, dA + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, dA + 3 * L);
        FloatVector b0 = FloatVector.fromArray(S, dst, dB);
        FloatVector b1 = FloatVector.fromArray(S, dst, dB + L);
        FloatVector b2 = FloatVector.fromArray(S, dst, dB + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, dst, dB + 3 * L);
        for (int m = from; m < to; m++) {
            int rA = row[m] + kA, rB = row[m] + kB;
            FloatVector v = FloatVector.broadcast(S, val[m]);
            a0 = FloatVector.fromArray(S, table, rA).fma(v, a0);
            b0 = FloatVector.fromArray(S, table, rB).fma(v, b0);
            a1 = FloatVector.fromArray(S, table, rA + L).fma(v, a1);
            b1 = FloatVector.fromArray(S, table, rB + L).fma(v, b1);
            a2 = FloatVector.fromArray(S, table, rA + 2 * L).fma(v, a2);
            b2 = FloatVector.fromArray(S, table, rB + 2 * L).fma(v, b2);
            a3 = FloatVector.fromArray(S, table, rA + 3 * L).fma(v, a3);
            b3 = FloatVector.fromArray(S, table, rB + 3 * L).fma(v, b3);
        }
        a0.intoArray(dst, dA);
        a1.intoArray(dst, dA + L);
        a2.intoArray(dst, dA + 2 * L);
        a3.intoArray(dst, dA + 3 * L);
        b0.intoArray(dst, dB);
        b1.intoArray(dst, dB + L);
        b2.intoArray(dst, dB + 2 * L);
        b3.intoArray(dst, dB + 3 * L);
    }

    private static void rows1(float[] table, int k, int[] row, float[] val, int from, int to, float[] dst, int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        for (int m = from; m < to; m++) {
            int r = row[m] + k;
            FloatVector v = FloatVector.broadcast(S, val[m]);
            a0 = FloatVector.fromArray(S, table, r).fma(v, a0);
        }
        a0.intoArray(dst, d);
    }

    private static void rows2(float[] table, int k, int[] row, float[] val, int from, int to, float[] dst, int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        for (int m = from; m < to; m++) {
            int r = row[m] + k;
            FloatVector v = FloatVector.broadcast(S, val[m]);
            a0 = FloatVector.fromArray(S, table, r).fma(v, a0);
            a1 = FloatVector.fromArray(S, table, r + L).fma(v, a1);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
    }

    private static void rows4(float[] table, int k, int[] row, float[] val, int from, int to, float[] dst, int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, d + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, d + 3 * L);
        for (int m = from; m < to; m++) {
            int r = row[m] + k;
            FloatVector v = FloatVector.broadcast(S, val[m]);
            a0 = FloatVector.fromArray(S, table, r).fma(v, a0);
            a1 = FloatVector.fromArray(S, table, r + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, table, r + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, table, r + 3 * L).fma(v, a3);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
        a2.intoArray(dst, d + 2 * L);
        a3.intoArray(dst, d + 3 * L);
    }

    private static void rows8(float[] table, int k, int[] row, float[] val, int from, int to, float[] dst, int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, d + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, d + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, dst, d + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, dst, d + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, dst, d + 6 * L);
        FloatVector a7 = FloatVector.fromArray(S, dst, d + 7 * L);
        for (int m = from; m < to; m++) {
            int r = row[m] + k;
            FloatVector v = FloatVector.broadcast(S, val[m]);
            a0 = FloatVector.fromArray(S, table, r).fma(v, a0);
            a1 = FloatVector.fromArray(S, table, r + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, table, r + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, table, r + 3 * L).fma(v, a3);
            a4 = FloatVector.fromArray(S, table, r + 4 * L).fma(v, a4);
            a5 = FloatVector.fromArray(S, table, r + 5 * L).fma(v, a5);
            a6 = FloatVector.fromArray(S, table, r + 6 * L).fma(v, a6);
            a7 = FloatVector.fromArray(S, table, r + 7 * L).fma(v, a7);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + L);
        a2.intoArray(dst, d + 2 * L);
        a3.intoArray(dst, d + 3 * L);
        a4.intoArray(dst, d + 4 * L);
        a5.intoArray(dst, d + 5 * L);
        a6.intoArray(dst, d + 6 * L);
        a7.intoArray(dst, d + 7 * L);
    }

    /**
     * Vectors per sum in one pass of {@link #shiftedTermQuads}: four sums of four vectors hold 16 accumulators, 4
     * broadcast coefficients and a loaded row, which fit AVX-512's 32 vector registers; with 8 lanes (AVX2, 16
     * registers) they spilled to the stack, and two vectors per sum (8 accumulators) made SHD's first hidden layer's
     * backward pass at SIG 12.27 a fifth to a third faster (3.0-3.4 s against 2.0-2.8 per 16 batches of 64, 2 threads,
     * a Zen 3 VM, alternating). Each element's sum runs over the same terms in the same order either way.
     */
    private static final int QUAD_WIDTH = L >= 16 ? 4 : 2;

    /** {@link BlockSums#shiftedTermQuads}, {@code len} a multiple of the lanes: blocks of up to four vectors per sum. */
    static void shiftedTermQuads(float[] src, int base, int[] offset, float[][] coef, int from, int to, float[] dst,
                                 int[] d, int len) {
        int[] at = new int[4];
        int k = 0;
        while (k < len) {
            int width = Math.min(QUAD_WIDTH, (len - k) / L);
            for (int j = 0; j < 4; j++) {
                at[j] = d[j] + k;
            }
            QUADS[width].run(src, base + k, offset, coef, from, to, dst, at);
            k += width * L;
        }
    }

    /** One pass of {@link #shiftedTermQuads} over a block of vectors. */
    private interface Quad {
        void run(float[] src, int base, int[] offset, float[][] coef, int from, int to, float[] dst, int[] d);
    }

    private static final Quad[] QUADS = {null, VectorBlockSums::quad1, VectorBlockSums::quad2, VectorBlockSums::quad3,
            VectorBlockSums::quad4};

    private static void quad1(float[] src, int base, int[] offset, float[][] coef, int from, int to, float[] dst,
                              int[] d) {
        final float[] ca = coef[0];
        final int da = d[0];
        final float[] cb = coef[1];
        final int db = d[1];
        final float[] cc = coef[2];
        final int dc = d[2];
        final float[] cd = coef[3];
        final int dd = d[3];
        FloatVector a0 = FloatVector.fromArray(S, dst, da);
        FloatVector b0 = FloatVector.fromArray(S, dst, db);
        FloatVector c0 = FloatVector.fromArray(S, dst, dc);
        FloatVector d0 = FloatVector.fromArray(S, dst, dd);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ka = FloatVector.broadcast(S, ca[m]);
            FloatVector kb = FloatVector.broadcast(S, cb[m]);
            FloatVector kc = FloatVector.broadcast(S, cc[m]);
            FloatVector kd = FloatVector.broadcast(S, cd[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ka, a0);
            b0 = x0.fma(kb, b0);
            c0 = x0.fma(kc, c0);
            d0 = x0.fma(kd, d0);
        }
        a0.intoArray(dst, da);
        b0.intoArray(dst, db);
        c0.intoArray(dst, dc);
        d0.intoArray(dst, dd);
    }

    private static void quad2(float[] src, int base, int[] offset, float[][] coef, int from, int to, float[] dst,
                              int[] d) {
        final float[] ca = coef[0];
        final int da = d[0];
        final float[] cb = coef[1];
        final int db = d[1];
        final float[] cc = coef[2];
        final int dc = d[2];
        final float[] cd = coef[3];
        final int dd = d[3];
        FloatVector a0 = FloatVector.fromArray(S, dst, da);
        FloatVector a1 = FloatVector.fromArray(S, dst, da + L);
        FloatVector b0 = FloatVector.fromArray(S, dst, db);
        FloatVector b1 = FloatVector.fromArray(S, dst, db + L);
        FloatVector c0 = FloatVector.fromArray(S, dst, dc);
        FloatVector c1 = FloatVector.fromArray(S, dst, dc + L);
        FloatVector d0 = FloatVector.fromArray(S, dst, dd);
        FloatVector d1 = FloatVector.fromArray(S, dst, dd + L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ka = FloatVector.broadcast(S, ca[m]);
            FloatVector kb = FloatVector.broadcast(S, cb[m]);
            FloatVector kc = FloatVector.broadcast(S, cc[m]);
            FloatVector kd = FloatVector.broadcast(S, cd[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ka, a0);
            b0 = x0.fma(kb, b0);
            c0 = x0.fma(kc, c0);
            d0 = x0.fma(kd, d0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ka, a1);
            b1 = x1.fma(kb, b1);
            c1 = x1.fma(kc, c1);
            d1 = x1.fma(kd, d1);
        }
        a0.intoArray(dst, da);
        a1.intoArray(dst, da + L);
        b0.intoArray(dst, db);
        b1.intoArray(dst, db + L);
        c0.intoArray(dst, dc);
        c1.intoArray(dst, dc + L);
        d0.intoArray(dst, dd);
        d1.intoArray(dst, dd + L);
    }

    private static void quad3(float[] src, int base, int[] offset, float[][] coef, int from, int to, float[] dst,
                              int[] d) {
        final float[] ca = coef[0];
        final int da = d[0];
        final float[] cb = coef[1];
        final int db = d[1];
        final float[] cc = coef[2];
        final int dc = d[2];
        final float[] cd = coef[3];
        final int dd = d[3];
        FloatVector a0 = FloatVector.fromArray(S, dst, da);
        FloatVector a1 = FloatVector.fromArray(S, dst, da + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, da + 2 * L);
        FloatVector b0 = FloatVector.fromArray(S, dst, db);
        FloatVector b1 = FloatVector.fromArray(S, dst, db + L);
        FloatVector b2 = FloatVector.fromArray(S, dst, db + 2 * L);
        FloatVector c0 = FloatVector.fromArray(S, dst, dc);
        FloatVector c1 = FloatVector.fromArray(S, dst, dc + L);
        FloatVector c2 = FloatVector.fromArray(S, dst, dc + 2 * L);
        FloatVector d0 = FloatVector.fromArray(S, dst, dd);
        FloatVector d1 = FloatVector.fromArray(S, dst, dd + L);
        FloatVector d2 = FloatVector.fromArray(S, dst, dd + 2 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ka = FloatVector.broadcast(S, ca[m]);
            FloatVector kb = FloatVector.broadcast(S, cb[m]);
            FloatVector kc = FloatVector.broadcast(S, cc[m]);
            FloatVector kd = FloatVector.broadcast(S, cd[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ka, a0);
            b0 = x0.fma(kb, b0);
            c0 = x0.fma(kc, c0);
            d0 = x0.fma(kd, d0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ka, a1);
            b1 = x1.fma(kb, b1);
            c1 = x1.fma(kc, c1);
            d1 = x1.fma(kd, d1);
            FloatVector x2 = FloatVector.fromArray(S, src, o + 2 * L);
            a2 = x2.fma(ka, a2);
            b2 = x2.fma(kb, b2);
            c2 = x2.fma(kc, c2);
            d2 = x2.fma(kd, d2);
        }
        a0.intoArray(dst, da);
        a1.intoArray(dst, da + L);
        a2.intoArray(dst, da + 2 * L);
        b0.intoArray(dst, db);
        b1.intoArray(dst, db + L);
        b2.intoArray(dst, db + 2 * L);
        c0.intoArray(dst, dc);
        c1.intoArray(dst, dc + L);
        c2.intoArray(dst, dc + 2 * L);
        d0.intoArray(dst, dd);
        d1.intoArray(dst, dd + L);
        d2.intoArray(dst, dd + 2 * L);
    }

    private static void quad4(float[] src, int base, int[] offset, float[][] coef, int from, int to, float[] dst,
                              int[] d) {
        final float[] ca = coef[0];
        final int da = d[0];
        final float[] cb = coef[1];
        final int db = d[1];
        final float[] cc = coef[2];
        final int dc = d[2];
        final float[] cd = coef[3];
        final int dd = d[3];
        FloatVector a0 = FloatVector.fromArray(S, dst, da);
        FloatVector a1 = FloatVector.fromArray(S, dst, da + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, da + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, da + 3 * L);
        FloatVector b0 = FloatVector.fromArray(S, dst, db);
        FloatVector b1 = FloatVector.fromArray(S, dst, db + L);
        FloatVector b2 = FloatVector.fromArray(S, dst, db + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, dst, db + 3 * L);
        FloatVector c0 = FloatVector.fromArray(S, dst, dc);
        FloatVector c1 = FloatVector.fromArray(S, dst, dc + L);
        FloatVector c2 = FloatVector.fromArray(S, dst, dc + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, dst, dc + 3 * L);
        FloatVector d0 = FloatVector.fromArray(S, dst, dd);
        FloatVector d1 = FloatVector.fromArray(S, dst, dd + L);
        FloatVector d2 = FloatVector.fromArray(S, dst, dd + 2 * L);
        FloatVector d3 = FloatVector.fromArray(S, dst, dd + 3 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ka = FloatVector.broadcast(S, ca[m]);
            FloatVector kb = FloatVector.broadcast(S, cb[m]);
            FloatVector kc = FloatVector.broadcast(S, cc[m]);
            FloatVector kd = FloatVector.broadcast(S, cd[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ka, a0);
            b0 = x0.fma(kb, b0);
            c0 = x0.fma(kc, c0);
            d0 = x0.fma(kd, d0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ka, a1);
            b1 = x1.fma(kb, b1);
            c1 = x1.fma(kc, c1);
            d1 = x1.fma(kd, d1);
            FloatVector x2 = FloatVector.fromArray(S, src, o + 2 * L);
            a2 = x2.fma(ka, a2);
            b2 = x2.fma(kb, b2);
            c2 = x2.fma(kc, c2);
            d2 = x2.fma(kd, d2);
            FloatVector x3 = FloatVector.fromArray(S, src, o + 3 * L);
            a3 = x3.fma(ka, a3);
            b3 = x3.fma(kb, b3);
            c3 = x3.fma(kc, c3);
            d3 = x3.fma(kd, d3);
        }
        a0.intoArray(dst, da);
        a1.intoArray(dst, da + L);
        a2.intoArray(dst, da + 2 * L);
        a3.intoArray(dst, da + 3 * L);
        b0.intoArray(dst, db);
        b1.intoArray(dst, db + L);
        b2.intoArray(dst, db + 2 * L);
        b3.intoArray(dst, db + 3 * L);
        c0.intoArray(dst, dc);
        c1.intoArray(dst, dc + L);
        c2.intoArray(dst, dc + 2 * L);
        c3.intoArray(dst, dc + 3 * L);
        d0.intoArray(dst, dd);
        d1.intoArray(dst, dd + L);
        d2.intoArray(dst, dd + 2 * L);
        d3.intoArray(dst, dd + 3 * L);
    }

    /** {@link BlockSums#shiftedTermPairs}, {@code len} a multiple of the lanes. */
    static void shiftedTermPairs(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to,
                                 float[] dst, int dA, int dB, int len) {
        int k = 0;
        while (k < len) {
            int width = Math.min(8, (len - k) / L);
            PAIRS[width].run(src, base + k, offset, coefA, coefB, from, to, dst, dA + k, dB + k);
            k += width * L;
        }
    }

    private static void pair1(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to,
                              float[] dst, int dA, int dB) {
        FloatVector a0 = FloatVector.fromArray(S, dst, dA);
        FloatVector b0 = FloatVector.fromArray(S, dst, dB);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ca = FloatVector.broadcast(S, coefA[m]);
            FloatVector cb = FloatVector.broadcast(S, coefB[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ca, a0);
            b0 = x0.fma(cb, b0);
        }
        a0.intoArray(dst, dA);
        b0.intoArray(dst, dB);
    }

    private static void pair2(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to,
                              float[] dst, int dA, int dB) {
        FloatVector a0 = FloatVector.fromArray(S, dst, dA);
        FloatVector a1 = FloatVector.fromArray(S, dst, dA + L);
        FloatVector b0 = FloatVector.fromArray(S, dst, dB);
        FloatVector b1 = FloatVector.fromArray(S, dst, dB + L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ca = FloatVector.broadcast(S, coefA[m]);
            FloatVector cb = FloatVector.broadcast(S, coefB[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ca, a0);
            b0 = x0.fma(cb, b0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ca, a1);
            b1 = x1.fma(cb, b1);
        }
        a0.intoArray(dst, dA);
        a1.intoArray(dst, dA + L);
        b0.intoArray(dst, dB);
        b1.intoArray(dst, dB + L);
    }

    private static void pair3(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to,
                              float[] dst, int dA, int dB) {
        FloatVector a0 = FloatVector.fromArray(S, dst, dA);
        FloatVector a1 = FloatVector.fromArray(S, dst, dA + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, dA + 2 * L);
        FloatVector b0 = FloatVector.fromArray(S, dst, dB);
        FloatVector b1 = FloatVector.fromArray(S, dst, dB + L);
        FloatVector b2 = FloatVector.fromArray(S, dst, dB + 2 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ca = FloatVector.broadcast(S, coefA[m]);
            FloatVector cb = FloatVector.broadcast(S, coefB[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ca, a0);
            b0 = x0.fma(cb, b0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ca, a1);
            b1 = x1.fma(cb, b1);
            FloatVector x2 = FloatVector.fromArray(S, src, o + 2 * L);
            a2 = x2.fma(ca, a2);
            b2 = x2.fma(cb, b2);
        }
        a0.intoArray(dst, dA);
        a1.intoArray(dst, dA + L);
        a2.intoArray(dst, dA + 2 * L);
        b0.intoArray(dst, dB);
        b1.intoArray(dst, dB + L);
        b2.intoArray(dst, dB + 2 * L);
    }

    private static void pair4(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to,
                              float[] dst, int dA, int dB) {
        FloatVector a0 = FloatVector.fromArray(S, dst, dA);
        FloatVector a1 = FloatVector.fromArray(S, dst, dA + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, dA + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, dA + 3 * L);
        FloatVector b0 = FloatVector.fromArray(S, dst, dB);
        FloatVector b1 = FloatVector.fromArray(S, dst, dB + L);
        FloatVector b2 = FloatVector.fromArray(S, dst, dB + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, dst, dB + 3 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ca = FloatVector.broadcast(S, coefA[m]);
            FloatVector cb = FloatVector.broadcast(S, coefB[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ca, a0);
            b0 = x0.fma(cb, b0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ca, a1);
            b1 = x1.fma(cb, b1);
            FloatVector x2 = FloatVector.fromArray(S, src, o + 2 * L);
            a2 = x2.fma(ca, a2);
            b2 = x2.fma(cb, b2);
            FloatVector x3 = FloatVector.fromArray(S, src, o + 3 * L);
            a3 = x3.fma(ca, a3);
            b3 = x3.fma(cb, b3);
        }
        a0.intoArray(dst, dA);
        a1.intoArray(dst, dA + L);
        a2.intoArray(dst, dA + 2 * L);
        a3.intoArray(dst, dA + 3 * L);
        b0.intoArray(dst, dB);
        b1.intoArray(dst, dB + L);
        b2.intoArray(dst, dB + 2 * L);
        b3.intoArray(dst, dB + 3 * L);
    }

    private static void pair5(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to,
                              float[] dst, int dA, int dB) {
        FloatVector a0 = FloatVector.fromArray(S, dst, dA);
        FloatVector a1 = FloatVector.fromArray(S, dst, dA + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, dA + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, dA + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, dst, dA + 4 * L);
        FloatVector b0 = FloatVector.fromArray(S, dst, dB);
        FloatVector b1 = FloatVector.fromArray(S, dst, dB + L);
        FloatVector b2 = FloatVector.fromArray(S, dst, dB + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, dst, dB + 3 * L);
        FloatVector b4 = FloatVector.fromArray(S, dst, dB + 4 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ca = FloatVector.broadcast(S, coefA[m]);
            FloatVector cb = FloatVector.broadcast(S, coefB[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ca, a0);
            b0 = x0.fma(cb, b0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ca, a1);
            b1 = x1.fma(cb, b1);
            FloatVector x2 = FloatVector.fromArray(S, src, o + 2 * L);
            a2 = x2.fma(ca, a2);
            b2 = x2.fma(cb, b2);
            FloatVector x3 = FloatVector.fromArray(S, src, o + 3 * L);
            a3 = x3.fma(ca, a3);
            b3 = x3.fma(cb, b3);
            FloatVector x4 = FloatVector.fromArray(S, src, o + 4 * L);
            a4 = x4.fma(ca, a4);
            b4 = x4.fma(cb, b4);
        }
        a0.intoArray(dst, dA);
        a1.intoArray(dst, dA + L);
        a2.intoArray(dst, dA + 2 * L);
        a3.intoArray(dst, dA + 3 * L);
        a4.intoArray(dst, dA + 4 * L);
        b0.intoArray(dst, dB);
        b1.intoArray(dst, dB + L);
        b2.intoArray(dst, dB + 2 * L);
        b3.intoArray(dst, dB + 3 * L);
        b4.intoArray(dst, dB + 4 * L);
    }

    private static void pair6(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to,
                              float[] dst, int dA, int dB) {
        FloatVector a0 = FloatVector.fromArray(S, dst, dA);
        FloatVector a1 = FloatVector.fromArray(S, dst, dA + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, dA + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, dA + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, dst, dA + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, dst, dA + 5 * L);
        FloatVector b0 = FloatVector.fromArray(S, dst, dB);
        FloatVector b1 = FloatVector.fromArray(S, dst, dB + L);
        FloatVector b2 = FloatVector.fromArray(S, dst, dB + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, dst, dB + 3 * L);
        FloatVector b4 = FloatVector.fromArray(S, dst, dB + 4 * L);
        FloatVector b5 = FloatVector.fromArray(S, dst, dB + 5 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ca = FloatVector.broadcast(S, coefA[m]);
            FloatVector cb = FloatVector.broadcast(S, coefB[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ca, a0);
            b0 = x0.fma(cb, b0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ca, a1);
            b1 = x1.fma(cb, b1);
            FloatVector x2 = FloatVector.fromArray(S, src, o + 2 * L);
            a2 = x2.fma(ca, a2);
            b2 = x2.fma(cb, b2);
            FloatVector x3 = FloatVector.fromArray(S, src, o + 3 * L);
            a3 = x3.fma(ca, a3);
            b3 = x3.fma(cb, b3);
            FloatVector x4 = FloatVector.fromArray(S, src, o + 4 * L);
            a4 = x4.fma(ca, a4);
            b4 = x4.fma(cb, b4);
            FloatVector x5 = FloatVector.fromArray(S, src, o + 5 * L);
            a5 = x5.fma(ca, a5);
            b5 = x5.fma(cb, b5);
        }
        a0.intoArray(dst, dA);
        a1.intoArray(dst, dA + L);
        a2.intoArray(dst, dA + 2 * L);
        a3.intoArray(dst, dA + 3 * L);
        a4.intoArray(dst, dA + 4 * L);
        a5.intoArray(dst, dA + 5 * L);
        b0.intoArray(dst, dB);
        b1.intoArray(dst, dB + L);
        b2.intoArray(dst, dB + 2 * L);
        b3.intoArray(dst, dB + 3 * L);
        b4.intoArray(dst, dB + 4 * L);
        b5.intoArray(dst, dB + 5 * L);
    }

    private static void pair7(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to,
                              float[] dst, int dA, int dB) {
        FloatVector a0 = FloatVector.fromArray(S, dst, dA);
        FloatVector a1 = FloatVector.fromArray(S, dst, dA + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, dA + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, dA + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, dst, dA + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, dst, dA + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, dst, dA + 6 * L);
        FloatVector b0 = FloatVector.fromArray(S, dst, dB);
        FloatVector b1 = FloatVector.fromArray(S, dst, dB + L);
        FloatVector b2 = FloatVector.fromArray(S, dst, dB + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, dst, dB + 3 * L);
        FloatVector b4 = FloatVector.fromArray(S, dst, dB + 4 * L);
        FloatVector b5 = FloatVector.fromArray(S, dst, dB + 5 * L);
        FloatVector b6 = FloatVector.fromArray(S, dst, dB + 6 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ca = FloatVector.broadcast(S, coefA[m]);
            FloatVector cb = FloatVector.broadcast(S, coefB[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ca, a0);
            b0 = x0.fma(cb, b0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ca, a1);
            b1 = x1.fma(cb, b1);
            FloatVector x2 = FloatVector.fromArray(S, src, o + 2 * L);
            a2 = x2.fma(ca, a2);
            b2 = x2.fma(cb, b2);
            FloatVector x3 = FloatVector.fromArray(S, src, o + 3 * L);
            a3 = x3.fma(ca, a3);
            b3 = x3.fma(cb, b3);
            FloatVector x4 = FloatVector.fromArray(S, src, o + 4 * L);
            a4 = x4.fma(ca, a4);
            b4 = x4.fma(cb, b4);
            FloatVector x5 = FloatVector.fromArray(S, src, o + 5 * L);
            a5 = x5.fma(ca, a5);
            b5 = x5.fma(cb, b5);
            FloatVector x6 = FloatVector.fromArray(S, src, o + 6 * L);
            a6 = x6.fma(ca, a6);
            b6 = x6.fma(cb, b6);
        }
        a0.intoArray(dst, dA);
        a1.intoArray(dst, dA + L);
        a2.intoArray(dst, dA + 2 * L);
        a3.intoArray(dst, dA + 3 * L);
        a4.intoArray(dst, dA + 4 * L);
        a5.intoArray(dst, dA + 5 * L);
        a6.intoArray(dst, dA + 6 * L);
        b0.intoArray(dst, dB);
        b1.intoArray(dst, dB + L);
        b2.intoArray(dst, dB + 2 * L);
        b3.intoArray(dst, dB + 3 * L);
        b4.intoArray(dst, dB + 4 * L);
        b5.intoArray(dst, dB + 5 * L);
        b6.intoArray(dst, dB + 6 * L);
    }

    private static void pair8(float[] src, int base, int[] offset, float[] coefA, float[] coefB, int from, int to,
                              float[] dst, int dA, int dB) {
        FloatVector a0 = FloatVector.fromArray(S, dst, dA);
        FloatVector a1 = FloatVector.fromArray(S, dst, dA + L);
        FloatVector a2 = FloatVector.fromArray(S, dst, dA + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, dst, dA + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, dst, dA + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, dst, dA + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, dst, dA + 6 * L);
        FloatVector a7 = FloatVector.fromArray(S, dst, dA + 7 * L);
        FloatVector b0 = FloatVector.fromArray(S, dst, dB);
        FloatVector b1 = FloatVector.fromArray(S, dst, dB + L);
        FloatVector b2 = FloatVector.fromArray(S, dst, dB + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, dst, dB + 3 * L);
        FloatVector b4 = FloatVector.fromArray(S, dst, dB + 4 * L);
        FloatVector b5 = FloatVector.fromArray(S, dst, dB + 5 * L);
        FloatVector b6 = FloatVector.fromArray(S, dst, dB + 6 * L);
        FloatVector b7 = FloatVector.fromArray(S, dst, dB + 7 * L);
        for (int m = from; m < to; m++) {
            int o = base + offset[m];
            FloatVector ca = FloatVector.broadcast(S, coefA[m]);
            FloatVector cb = FloatVector.broadcast(S, coefB[m]);
            FloatVector x0 = FloatVector.fromArray(S, src, o);
            a0 = x0.fma(ca, a0);
            b0 = x0.fma(cb, b0);
            FloatVector x1 = FloatVector.fromArray(S, src, o + L);
            a1 = x1.fma(ca, a1);
            b1 = x1.fma(cb, b1);
            FloatVector x2 = FloatVector.fromArray(S, src, o + 2 * L);
            a2 = x2.fma(ca, a2);
            b2 = x2.fma(cb, b2);
            FloatVector x3 = FloatVector.fromArray(S, src, o + 3 * L);
            a3 = x3.fma(ca, a3);
            b3 = x3.fma(cb, b3);
            FloatVector x4 = FloatVector.fromArray(S, src, o + 4 * L);
            a4 = x4.fma(ca, a4);
            b4 = x4.fma(cb, b4);
            FloatVector x5 = FloatVector.fromArray(S, src, o + 5 * L);
            a5 = x5.fma(ca, a5);
            b5 = x5.fma(cb, b5);
            FloatVector x6 = FloatVector.fromArray(S, src, o + 6 * L);
            a6 = x6.fma(ca, a6);
            b6 = x6.fma(cb, b6);
            FloatVector x7 = FloatVector.fromArray(S, src, o + 7 * L);
            a7 = x7.fma(ca, a7);
            b7 = x7.fma(cb, b7);
        }
        a0.intoArray(dst, dA);
        a1.intoArray(dst, dA + L);
        a2.intoArray(dst, dA + 2 * L);
        a3.intoArray(dst, dA + 3 * L);
        a4.intoArray(dst, dA + 4 * L);
        a5.intoArray(dst, dA + 5 * L);
        a6.intoArray(dst, dA + 6 * L);
        a7.intoArray(dst, dA + 7 * L);
        b0.intoArray(dst, dB);
        b1.intoArray(dst, dB + L);
        b2.intoArray(dst, dB + 2 * L);
        b3.intoArray(dst, dB + 3 * L);
        b4.intoArray(dst, dB + 4 * L);
        b5.intoArray(dst, dB + 5 * L);
        b6.intoArray(dst, dB + 6 * L);
        b7.intoArray(dst, dB + 7 * L);
    }
}
