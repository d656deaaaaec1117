package io.myelin.core.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SpikeRowKernels} on the JDK's Vector API: a vector holds {@link #lanes()} consecutive steps of one neuron
 * (the sums) or one step of {@link #lanes()} neurons (the LIF tile). Only {@link SpikeRowKernels} refers to this
 * class, and only when the module is present. Integer sums are exact in any order; the float expressions are those
 * of the stepwise engines, operation for operation.
 */
final class VectorSpikeRows {
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final int L = SI.length();
    /** Row bytes that widen to one vector of ints (at least 8: the narrowest byte vector), the first L of them used. */
    private static final VectorSpecies<Byte> SB =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));

    /** L bytes: the narrowing of a vector of ints. */
    private static final VectorSpecies<Byte> SB16 = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8 < 64 ? 64 : L * 8));

    private VectorSpikeRows() {
    }

    static int lanes() {
        return Math.min(SI.length(), SF.length());
    }

    /** Bytes a load may read past the last vector of steps of a row. */
    static int rowSlack() {
        return SB.length() - L;
    }

    /**
     * One vector of steps of a row, widened to ints (sign-extended: a neuron's -1 stays -1). A row of bytes is a
     * quarter of the bytes of a row of ints: a load at a synapse's delay, which starts anywhere in a cache line, then
     * seldom spans two lines, where a vector of 16 ints almost always does; those split loads bounded the sums.
     */
    private static IntVector load(byte[] rows, int at) {
        return (IntVector) ByteVector.fromArray(SB, rows, at).convertShape(VectorOperators.B2I, SI, 0);
    }

    static boolean usable() {
        return SI.length() == SF.length() && SI.length() >= 4;
    }

    /**
     * See {@link SpikeRowKernels#sums}. Each span runs in its own small methods (a kernel per block width and kind of
     * row), every span continuing from the sums in memory: one method with several loops grew past
     * what the JIT compiles into vector instructions.
     */
    static void sums(byte[] rows, int[] off, int[] w, int base, int[] pos, int[] spans, int neuronSpans,
                     int sourceSpans, int[] acc, int at, int vectors) {
        // every span continues from the sums in memory, the first from zero: loading a block of zeros once per call
        // costs nothing beside its synapses' loads, and one kernel per width serves both
        java.util.Arrays.fill(acc, at, at + vectors * L, 0);
        for (int b = 0; b < neuronSpans; b++) {
            int q = 4 * b;
            pass(AND_ADD, rows, off, w, base, pos, spans[q], spans[q + 1], spans[q + 2], spans[q + 3], acc, at);
        }
        for (int b = neuronSpans; b < neuronSpans + sourceSpans; b++) {
            int q = 4 * b;
            pass(MUL, rows, off, w, base, pos, spans[q], spans[q + 1], spans[q + 2], spans[q + 3], acc, at);
        }
    }

    /** Synapses {@code pos[k0 .. k1)} over vectors {@code [v0, v1)}, in blocks of up to eight vectors. */
    private static void pass(Block[] kernels, byte[] rows, int[] off, int[] w, int base, int[] pos, int k0, int k1,
                             int v0, int v1, int[] acc, int at) {
        int k = v0;
        while (k < v1) {
            int width = SpikeRowKernels.blockWidth(v1 - k);
            int t = k * L;
            kernels[width].run(rows, off, w, base, pos, k0, k1, t, acc, at + t);
            k += width;
        }
    }

    /*
     * Transposing a 16 x 16 block of floats in registers: four stages swap the off-diagonal blocks of size 8, 4, 2 and
     * 1, each with one-vector permutations and blends under constant masks (which the JIT compiles to vector
     * instructions; two-vector shuffles and gathers it does not). Half a vector operation per element, where a
     * scalar copy into a [step][lane] tile costs a strided load and store each.
     */
    private static final boolean TRANSPOSE = SF.length() == 16;
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

    /** Whether {@link #transpose16} runs here (16 float lanes). */
    static boolean transposes() {
        return TRANSPOSE;
    }

    /**
     * {@code dst[dstAt + c * dstStride + r] = src[srcAt + r * srcStride + c]} for r, c < 16: a 16 x 16 block of floats
     * transposed.
     */
    static void transpose16(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int dstStride) {
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

    /** {@code out[outAt + t] = any[at + t] != 0 ? 1 : 0} over {@code n} steps (whole vectors). */
    static void flags(int[] any, int at, float[] out, int outAt, int n) {
        for (int t = 0; t < n; t += L) {
            VectorMask<Integer> m = IntVector.fromArray(SI, any, at + t).compare(VectorOperators.NE, 0);
            IntVector bits = IntVector.zero(SI).blend(IntVector.broadcast(SI, Float.floatToRawIntBits(1f)), m);
            bits.reinterpretAsFloats().intoArray(out, outAt + t);
        }
    }

    /** {@code rows[rowAt + t] = -(int) spikes[at + t]} over {@code n} steps (whole vectors): a neuron row's -1 or 0. */
    static void spikeRow(float[] spikes, int at, byte[] rows, int rowAt, int n) {
        for (int t = 0; t < n; t += L) {
            // 1f is 0x3F800000: its top three bits read 1 (a float-to-int conversion is not compiled to vector code)
            IntVector s = FloatVector.fromArray(SF, spikes, at + t).reinterpretAsInts().lanewise(VectorOperators.LSHR, 29);
            ((ByteVector) s.neg().convertShape(VectorOperators.I2B, SB16, 0)).intoArray(rows, rowAt + t);
        }
    }

    /** See {@link SpikeRowKernels#arrivalsFromSums}. */
    static boolean arrivalsFromSums(int[] accE, int[] accI, int[] any, int at, int valid) {
        IntVector a = IntVector.fromArray(SI, accE, at);
        if (accI != null) {
            a = a.or(IntVector.fromArray(SI, accI, at));
        }
        a.intoArray(any, at);
        VectorMask<Integer> zero = a.compare(VectorOperators.EQ, 0);
        return (valid < L ? zero.and(SI.indexInRange(0, valid)) : zero).anyTrue();
    }

    /** See {@link SpikeRowKernels#orRows}. */
    static void orRows(byte[] rows, int[] off, int base, int[] pos, int k0, int k1, int t, int[] any, int at) {
        IntVector c = IntVector.fromArray(SI, any, at);
        for (int k = k0; k < k1; k++) {
            c = c.or(load(rows, off[base + pos[k]] + t));
        }
        c.intoArray(any, at);
    }

    /** See {@link SpikeRowKernels#orBytes}: a row vector's worth of bytes (the species the sums load) at a time. */
    static void orBytes(byte[] into, int at, byte[] from, int fromAt, int n) {
        int i = 0, v = SB.length();
        for (; i + v <= n; i += v) {
            ByteVector.fromArray(SB, into, at + i).or(ByteVector.fromArray(SB, from, fromAt + i)).intoArray(into, at + i);
        }
        for (; i < n; i++) {
            into[at + i] |= from[fromAt + i];
        }
    }

    /** A pass over synapses {@code pos[s0 .. s1)} for a block of vectors of steps. */
    private interface Block {
        void run(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t, int[] acc, int at);
    }

    /*
     * A kernel per block width (vectors of steps held in registers across the synapses), called through these tables:
     * a call site with many targets is not inlined, so each kernel is compiled on its own. Called directly, the
     * kernels were inlined into the sums until the method outgrew what the JIT compiles into vector instructions, and
     * the rest ran as calls on boxed vectors.
     */
    /** Neuron rows ({@code w & row}), continuing from the sums in {@code acc}. */
    private static final Block[] AND_ADD = {null, VectorSpikeRows::andAdd1, VectorSpikeRows::andAdd2,
            VectorSpikeRows::andAdd3, VectorSpikeRows::andAdd4, VectorSpikeRows::andAdd5, VectorSpikeRows::andAdd6,
            VectorSpikeRows::andAdd7, VectorSpikeRows::andAdd8};
    private static final Block[] MUL = {null, VectorSpikeRows::mul1, VectorSpikeRows::mul2, VectorSpikeRows::mul3,
            VectorSpikeRows::mul4, VectorSpikeRows::mul5, VectorSpikeRows::mul6, VectorSpikeRows::mul7,
            VectorSpikeRows::mul8};

    private static void andAdd1(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).and(wv).add(a0);
        }
        a0.intoArray(acc, at);
    }

    private static void andAdd2(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).and(wv).add(a0);
            a1 = load(rows, b + L).and(wv).add(a1);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
    }

    private static void andAdd3(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).and(wv).add(a0);
            a1 = load(rows, b + L).and(wv).add(a1);
            a2 = load(rows, b + 2 * L).and(wv).add(a2);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
    }

    private static void andAdd4(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).and(wv).add(a0);
            a1 = load(rows, b + L).and(wv).add(a1);
            a2 = load(rows, b + 2 * L).and(wv).add(a2);
            a3 = load(rows, b + 3 * L).and(wv).add(a3);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
    }

    private static void andAdd5(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        IntVector a4 = IntVector.fromArray(SI, acc, at + 4 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).and(wv).add(a0);
            a1 = load(rows, b + L).and(wv).add(a1);
            a2 = load(rows, b + 2 * L).and(wv).add(a2);
            a3 = load(rows, b + 3 * L).and(wv).add(a3);
            a4 = load(rows, b + 4 * L).and(wv).add(a4);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
        a4.intoArray(acc, at + 4 * L);
    }

    private static void andAdd6(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        IntVector a4 = IntVector.fromArray(SI, acc, at + 4 * L);
        IntVector a5 = IntVector.fromArray(SI, acc, at + 5 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).and(wv).add(a0);
            a1 = load(rows, b + L).and(wv).add(a1);
            a2 = load(rows, b + 2 * L).and(wv).add(a2);
            a3 = load(rows, b + 3 * L).and(wv).add(a3);
            a4 = load(rows, b + 4 * L).and(wv).add(a4);
            a5 = load(rows, b + 5 * L).and(wv).add(a5);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
        a4.intoArray(acc, at + 4 * L);
        a5.intoArray(acc, at + 5 * L);
    }

    private static void andAdd7(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        IntVector a4 = IntVector.fromArray(SI, acc, at + 4 * L);
        IntVector a5 = IntVector.fromArray(SI, acc, at + 5 * L);
        IntVector a6 = IntVector.fromArray(SI, acc, at + 6 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).and(wv).add(a0);
            a1 = load(rows, b + L).and(wv).add(a1);
            a2 = load(rows, b + 2 * L).and(wv).add(a2);
            a3 = load(rows, b + 3 * L).and(wv).add(a3);
            a4 = load(rows, b + 4 * L).and(wv).add(a4);
            a5 = load(rows, b + 5 * L).and(wv).add(a5);
            a6 = load(rows, b + 6 * L).and(wv).add(a6);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
        a4.intoArray(acc, at + 4 * L);
        a5.intoArray(acc, at + 5 * L);
        a6.intoArray(acc, at + 6 * L);
    }

    private static void andAdd8(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        IntVector a4 = IntVector.fromArray(SI, acc, at + 4 * L);
        IntVector a5 = IntVector.fromArray(SI, acc, at + 5 * L);
        IntVector a6 = IntVector.fromArray(SI, acc, at + 6 * L);
        IntVector a7 = IntVector.fromArray(SI, acc, at + 7 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).and(wv).add(a0);
            a1 = load(rows, b + L).and(wv).add(a1);
            a2 = load(rows, b + 2 * L).and(wv).add(a2);
            a3 = load(rows, b + 3 * L).and(wv).add(a3);
            a4 = load(rows, b + 4 * L).and(wv).add(a4);
            a5 = load(rows, b + 5 * L).and(wv).add(a5);
            a6 = load(rows, b + 6 * L).and(wv).add(a6);
            a7 = load(rows, b + 7 * L).and(wv).add(a7);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
        a4.intoArray(acc, at + 4 * L);
        a5.intoArray(acc, at + 5 * L);
        a6.intoArray(acc, at + 6 * L);
        a7.intoArray(acc, at + 7 * L);
    }

    private static void mul8(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        IntVector a4 = IntVector.fromArray(SI, acc, at + 4 * L);
        IntVector a5 = IntVector.fromArray(SI, acc, at + 5 * L);
        IntVector a6 = IntVector.fromArray(SI, acc, at + 6 * L);
        IntVector a7 = IntVector.fromArray(SI, acc, at + 7 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).mul(wv).add(a0);
            a1 = load(rows, b + L).mul(wv).add(a1);
            a2 = load(rows, b + 2 * L).mul(wv).add(a2);
            a3 = load(rows, b + 3 * L).mul(wv).add(a3);
            a4 = load(rows, b + 4 * L).mul(wv).add(a4);
            a5 = load(rows, b + 5 * L).mul(wv).add(a5);
            a6 = load(rows, b + 6 * L).mul(wv).add(a6);
            a7 = load(rows, b + 7 * L).mul(wv).add(a7);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
        a4.intoArray(acc, at + 4 * L);
        a5.intoArray(acc, at + 5 * L);
        a6.intoArray(acc, at + 6 * L);
        a7.intoArray(acc, at + 7 * L);
    }

    private static void mul7(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        IntVector a4 = IntVector.fromArray(SI, acc, at + 4 * L);
        IntVector a5 = IntVector.fromArray(SI, acc, at + 5 * L);
        IntVector a6 = IntVector.fromArray(SI, acc, at + 6 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).mul(wv).add(a0);
            a1 = load(rows, b + L).mul(wv).add(a1);
            a2 = load(rows, b + 2 * L).mul(wv).add(a2);
            a3 = load(rows, b + 3 * L).mul(wv).add(a3);
            a4 = load(rows, b + 4 * L).mul(wv).add(a4);
            a5 = load(rows, b + 5 * L).mul(wv).add(a5);
            a6 = load(rows, b + 6 * L).mul(wv).add(a6);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
        a4.intoArray(acc, at + 4 * L);
        a5.intoArray(acc, at + 5 * L);
        a6.intoArray(acc, at + 6 * L);
    }

    private static void mul6(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        IntVector a4 = IntVector.fromArray(SI, acc, at + 4 * L);
        IntVector a5 = IntVector.fromArray(SI, acc, at + 5 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).mul(wv).add(a0);
            a1 = load(rows, b + L).mul(wv).add(a1);
            a2 = load(rows, b + 2 * L).mul(wv).add(a2);
            a3 = load(rows, b + 3 * L).mul(wv).add(a3);
            a4 = load(rows, b + 4 * L).mul(wv).add(a4);
            a5 = load(rows, b + 5 * L).mul(wv).add(a5);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
        a4.intoArray(acc, at + 4 * L);
        a5.intoArray(acc, at + 5 * L);
    }

    private static void mul5(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        IntVector a4 = IntVector.fromArray(SI, acc, at + 4 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).mul(wv).add(a0);
            a1 = load(rows, b + L).mul(wv).add(a1);
            a2 = load(rows, b + 2 * L).mul(wv).add(a2);
            a3 = load(rows, b + 3 * L).mul(wv).add(a3);
            a4 = load(rows, b + 4 * L).mul(wv).add(a4);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
        a4.intoArray(acc, at + 4 * L);
    }

    private static void mul4(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        IntVector a3 = IntVector.fromArray(SI, acc, at + 3 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).mul(wv).add(a0);
            a1 = load(rows, b + L).mul(wv).add(a1);
            a2 = load(rows, b + 2 * L).mul(wv).add(a2);
            a3 = load(rows, b + 3 * L).mul(wv).add(a3);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
    }

    private static void mul3(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        IntVector a2 = IntVector.fromArray(SI, acc, at + 2 * L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).mul(wv).add(a0);
            a1 = load(rows, b + L).mul(wv).add(a1);
            a2 = load(rows, b + 2 * L).mul(wv).add(a2);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
    }

    private static void mul2(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        IntVector a1 = IntVector.fromArray(SI, acc, at + L);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).mul(wv).add(a0);
            a1 = load(rows, b + L).mul(wv).add(a1);
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
    }

    private static void mul1(byte[] rows, int[] off, int[] w, int base, int[] pos, int s0, int s1, int t,
                             int[] acc, int at) {
        IntVector a0 = IntVector.fromArray(SI, acc, at);
        for (int k = s0; k < s1; k++) {
            int s = base + pos[k];
            int b = off[s] + t;
            IntVector wv = IntVector.broadcast(SI, w[s]);
            a0 = load(rows, b).mul(wv).add(a0);
        }
        a0.intoArray(acc, at);
    }

    /** {@code sum[so + k] += a[ao + k] * m} for {@code k < n}: per element a multiply and an add, as scalar code does. */
    static void addScaled(double[] sum, int so, double[] a, int ao, int n, double m) {
        var sd = DoubleVector.SPECIES_PREFERRED;
        int k = 0;
        for (int end = n - sd.length(); k <= end; k += sd.length()) {
            DoubleVector.fromArray(sd, sum, so + k).add(DoubleVector.fromArray(sd, a, ao + k).mul(m)).intoArray(sum, so + k);
        }
        for (; k < n; k++) {
            sum[so + k] += a[ao + k] * m;
        }
    }

    /** {@code x[xAt + t] = accE[at + t] * inv (+ accI[at + t] * inv) + bias} over {@code n} steps (whole vectors). */
    static void input(int[] accE, int[] accI, int at, float inv, float bias, float[] x, int xAt, int n) {
        for (int t = 0; t < n; t += L) {
            FloatVector e = ((FloatVector) IntVector.fromArray(SI, accE, at + t).convert(VectorOperators.I2F, 0)).mul(inv);
            if (accI != null) {
                e = e.add(((FloatVector) IntVector.fromArray(SI, accI, at + t).convert(VectorOperators.I2F, 0)).mul(inv));
            }
            e.add(bias).intoArray(x, xAt + t);
        }
    }

    /**
     * The discrete LIF through {@code steps} steps for the {@link #lanes()} neurons of a tile ({@code tile[t * lanes
     * + j]}: neuron j's input at step t on entry, its spike 1 or 0 on return), membranes {@code v[vAt + j]} in and
     * out; {@code counts[j]} gets the spikes of neuron j. With {@code vTrace}, the membrane after every step goes to
     * {@code vTrace[t * traceStride + traceAt + j]}.
     */
    static void lif(float[] tile, int steps, float tau, float vTh, float vReset, float[] v, int vAt, float[] counts,
                    float[] vTrace, int traceStride, int traceAt) {
        FloatVector zero = FloatVector.zero(SF), one = FloatVector.broadcast(SF, 1f), reset = FloatVector.broadcast(SF, vReset);
        FloatVector vi = FloatVector.fromArray(SF, v, vAt), n = zero;
        for (int t = 0, at = 0; t < steps; t++, at += L) {
            FloatVector h = vi.sub(vi.div(tau)).add(FloatVector.fromArray(SF, tile, at));
            VectorMask<Float> spike = h.compare(VectorOperators.GE, vTh);
            FloatVector s = zero.blend(one, spike);
            s.intoArray(tile, at);
            n = n.add(s);
            vi = h.blend(reset, spike);
            if (vTrace != null) {
                vi.intoArray(vTrace, t * traceStride + traceAt);
            }
        }
        vi.intoArray(v, vAt);
        n.intoArray(counts, 0);
    }

    /** {@link SpikeRowKernels#lif2}: two tiles, two independent chains in one loop. */
    static void lif2(float[] tileA, float[] tileB, int steps, float tau, float vTh, float vReset, float[] v, int vAt,
                     float[] countsA, float[] countsB, float[] vTrace, int traceStride, int traceAt) {
        FloatVector zero = FloatVector.zero(SF), one = FloatVector.broadcast(SF, 1f), reset = FloatVector.broadcast(SF, vReset);
        FloatVector va = FloatVector.fromArray(SF, v, vAt), vb = FloatVector.fromArray(SF, v, vAt + L);
        FloatVector na = zero, nb = zero;
        for (int t = 0, at = 0; t < steps; t++, at += L) {
            FloatVector ha = va.sub(va.div(tau)).add(FloatVector.fromArray(SF, tileA, at));
            FloatVector hb = vb.sub(vb.div(tau)).add(FloatVector.fromArray(SF, tileB, at));
            VectorMask<Float> sa = ha.compare(VectorOperators.GE, vTh);
            VectorMask<Float> sb = hb.compare(VectorOperators.GE, vTh);
            FloatVector fa = zero.blend(one, sa), fb = zero.blend(one, sb);
            fa.intoArray(tileA, at);
            fb.intoArray(tileB, at);
            na = na.add(fa);
            nb = nb.add(fb);
            va = ha.blend(reset, sa);
            vb = hb.blend(reset, sb);
            if (vTrace != null) {
                va.intoArray(vTrace, t * traceStride + traceAt);
                vb.intoArray(vTrace, t * traceStride + traceAt + L);
            }
        }
        va.intoArray(v, vAt);
        vb.intoArray(v, vAt + L);
        na.intoArray(countsA, 0);
        nb.intoArray(countsB, 0);
    }

    /**
     * {@link #lif} that also counts the membrane updates the event engine performs ({@code DiscreteLifEngine}: a neuron
     * is updated in a step where input arrives or where it is still active, and stays active after an update whose
     * silent successor {@code V - V/tau + silentX} reaches threshold or differs from V in any bit). {@code arrivals[t *
     * lanes + j]} is non-zero where input arrived; {@code active[j]} is 1 or 0 in and out. The silent successor of step
     * t's membrane is the next step's {@code V - V/tau}, computed for its update anyway, plus {@code silentX}. Returns
     * the updates.
     */
    static int lifCounted(float[] tile, float[] arrivals, int steps, float tau, float vTh, float vReset, float[] v,
                          int vAt, float[] counts, float[] vTrace, int traceStride, int traceAt, float[] silentX,
                          int xAt, float[] active) {
        // Flags are 0/1 floats combined with min and max: mask logic (and, or) is not compiled to vector code here.
        FloatVector zero = FloatVector.zero(SF), one = FloatVector.broadcast(SF, 1f), reset = FloatVector.broadcast(SF, vReset);
        FloatVector vi = FloatVector.fromArray(SF, v, vAt), n = zero, updates = zero;
        FloatVector sx = FloatVector.fromArray(SF, silentX, xAt);
        FloatVector act = FloatVector.fromArray(SF, active, 0);
        for (int t = 0, at = 0; t < steps; t++, at += L) {
            FloatVector decayed = vi.sub(vi.div(tau));
            if (t > 0) {
                act = stillActive(act, decayed.add(sx), vi, vTh, zero, one);
            }
            FloatVector arrived = zero.blend(one, FloatVector.fromArray(SF, arrivals, at).compare(VectorOperators.NE, 0f));
            act = act.max(arrived);   // updated in this step
            updates = updates.add(act);
            FloatVector h = decayed.add(FloatVector.fromArray(SF, tile, at));
            VectorMask<Float> spike = h.compare(VectorOperators.GE, vTh);
            FloatVector s = zero.blend(one, spike);
            s.intoArray(tile, at);
            n = n.add(s);
            // a neuron the event engine leaves dormant is at a fixed point of this update: the same bits either way
            vi = h.blend(reset, spike);
            if (vTrace != null) {
                vi.intoArray(vTrace, t * traceStride + traceAt);
            }
        }
        if (steps > 0) {
            act = stillActive(act, vi.sub(vi.div(tau)).add(sx), vi, vTh, zero, one);
        }
        vi.intoArray(v, vAt);
        n.intoArray(counts, 0);
        act.intoArray(active, 0);
        return (int) updates.reduceLanes(VectorOperators.ADD);
    }

    /**
     * 1 where an updated neuron ({@code updated} 1) stays active: its silent successor {@code next} of membrane
     * {@code v} reaches threshold or differs from v in some bit.
     */
    private static FloatVector stillActive(FloatVector updated, FloatVector next, FloatVector v, float vTh,
                                           FloatVector zero, FloatVector one) {
        IntVector d = next.reinterpretAsInts().sub(v.reinterpretAsInts());
        // d != 0 as a float test: or-ing in d >>> 1 leaves no pattern that compares equal to 0 but d == 0 itself
        FloatVector moved = zero.blend(one, d.or(d.lanewise(VectorOperators.LSHR, 1)).reinterpretAsFloats()
                .compare(VectorOperators.NE, 0f));
        FloatVector reaches = zero.blend(one, next.compare(VectorOperators.GE, vTh));
        return updated.min(moved.max(reaches));
    }
}
