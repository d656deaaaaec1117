package io.myelin.core.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
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
     * See {@link SpikeRowKernels#sums}. Each kernel, one per block width and kind of row, runs a list of passes in one
     * call; the kernels are small methods of their own: one method with several loops grew past what the JIT compiles
     * into vector instructions.
     */
    static void sums(byte[] rows, int[] off, int[] w, int[] pos, SumPasses passes, int[] accE, int[] accI) {
        for (int kind = SumPasses.NEURON_ROWS; kind <= SumPasses.SOURCE_ROWS; kind++) {
            Block[] kernels = kind == SumPasses.NEURON_ROWS ? AND_ADD : MUL;
            for (int receptor = 0; receptor < 2; receptor++) {
                int[] acc = receptor == 0 ? accE : accI;
                for (int width = 1; width <= SumPasses.MAX_WIDTH; width++) {
                    int list = SumPasses.list(kind, receptor, width), end = passes.end(list);
                    if (end > 0) {
                        kernels[width].run(rows, off, w, pos, passes.passes(list), end, acc);
                    }
                }
            }
        }
    }

    private static final IntVector LANE_INDEX = IntVector.zero(SI).addIndex(1), NONE = IntVector.broadcast(SI, -1);

    /** See {@link SpikeRowKernels#afterLastZero}: the steps past the last whole vector one by one, then by vectors. */
    static int afterLastZero(int[] any, int at, int n) {
        int t = n;
        for (; t % L != 0; t--) {
            if (any[at + t - 1] == 0) {
                return t;
            }
        }
        for (; t > 0; t -= L) {
            VectorMask<Integer> zero = IntVector.fromArray(SI, any, at + t - L).compare(VectorOperators.EQ, 0);
            if (zero.anyTrue()) {
                // the highest lane index among the zeros (a blend and a reduction compile to vector code here)
                return t - L + NONE.blend(LANE_INDEX, zero).reduceLanes(VectorOperators.MAX) + 1;
            }
        }
        return 0;
    }

    /** {@code rows[rowAt + t] = -(int) spikes[at + t]} over {@code n} steps (whole vectors): a neuron row's -1 or 0. */
    static void spikeRow(float[] spikes, int at, byte[] rows, int rowAt, int n) {
        for (int t = 0; t < n; t += L) {
            // 1f is 0x3F800000: its top three bits read 1 (a float-to-int conversion is not compiled to vector code)
            IntVector s = FloatVector.fromArray(SF, spikes, at + t).reinterpretAsInts().lanewise(VectorOperators.LSHR, 29);
            ((ByteVector) s.neg().convertShape(VectorOperators.I2B, SB16, 0)).intoArray(rows, rowAt + t);
        }
    }

    /**
     * Whether one of the first {@code valid} lanes of a is zero. The lanes are chosen by comparing lane indices:
     * {@code indexInRange} builds its mask outside compiled vector code on this JIT, which made this test several
     * times dearer on a chunk's last, partial vector than on a whole one.
     */
    private static boolean zeroIn(IntVector a, int valid) {
        return a.compare(VectorOperators.EQ, 0).and(LANE_INDEX.compare(VectorOperators.LT, valid)).anyTrue();
    }

    /** See {@link SpikeRowKernels#orRows}. */
    static void orRows(byte[] rows, int[] off, int base, int[] pos, int k0, int k1, int t, int[] any, int at) {
        IntVector c = IntVector.fromArray(SI, any, at);
        for (int k = k0; k < k1; k++) {
            c = c.or(load(rows, off[base + pos[k]] + t));
        }
        c.intoArray(any, at);
    }

    /** The passes {@code passes[0 .. end)} of one list ({@link SumPasses}), all of the kernel's block width. */
    private interface Block {
        void run(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc);
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

    private static void andAdd1(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
            IntVector a0 = IntVector.fromArray(SI, acc, at);
            for (int k = s0; k < s1; k++) {
                int s = base + pos[k];
                int b = off[s] + t;
                IntVector wv = IntVector.broadcast(SI, w[s]);
                a0 = load(rows, b).and(wv).add(a0);
            }
            a0.intoArray(acc, at);
        }
    }

    private static void andAdd2(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void andAdd3(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void andAdd4(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void andAdd5(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void andAdd6(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void andAdd7(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void andAdd8(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void mul8(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void mul7(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void mul6(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void mul5(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void mul4(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void mul3(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void mul2(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
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
    }

    private static void mul1(byte[] rows, int[] off, int[] w, int[] pos, int[] passes, int end, int[] acc) {
        for (int e = 0; e < end; e += SumPasses.FIELDS) {
            int s0 = passes[e], s1 = passes[e + 1], base = passes[e + 2], t = passes[e + 3], at = passes[e + 4];
            IntVector a0 = IntVector.fromArray(SI, acc, at);
            for (int k = s0; k < s1; k++) {
                int s = base + pos[k];
                int b = off[s] + t;
                IntVector wv = IntVector.broadcast(SI, w[s]);
                a0 = load(rows, b).mul(wv).add(a0);
            }
            a0.intoArray(acc, at);
        }
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

    /** See {@link SpikeRowKernels#takeInput}; {@code n} whole vectors. */
    static void takeInput(int[] accE, int[] accI, int at, float inv, float bias, float[] x, int xAt, int n) {
        IntVector zero = IntVector.zero(SI);
        for (int t = 0; t < n; t += L) {
            FloatVector e = ((FloatVector) IntVector.fromArray(SI, accE, at + t).convert(VectorOperators.I2F, 0)).mul(inv);
            zero.intoArray(accE, at + t);
            if (accI != null) {
                e = e.add(((FloatVector) IntVector.fromArray(SI, accI, at + t).convert(VectorOperators.I2F, 0)).mul(inv));
                zero.intoArray(accI, at + t);
            }
            e.add(bias).intoArray(x, xAt + t);
        }
    }

    /** See {@link SpikeRowKernels#takeInputAndArrivals}; {@code n} whole vectors. */
    static int takeInputAndArrivals(int[] accE, int[] accI, int at, float inv, float bias, float[] x, int xAt, int n,
                                    int steps, int[] any) {
        // the vector holding the last zero sum in the same pass (a compare and a test per vector), then its lane
        // (afterLastZero over that vector, which holds a zero)
        IntVector zero = IntVector.zero(SI);
        int last = -1;
        if (accI == null) {
            for (int t = 0; t < n; t += L) {
                IntVector e = IntVector.fromArray(SI, accE, at + t);
                zero.intoArray(accE, at + t);
                ((FloatVector) e.convert(VectorOperators.I2F, 0)).mul(inv).add(bias).intoArray(x, xAt + t);
                e.intoArray(any, at + t);
                last = zeroIn(e, steps - t) ? t : last;
            }
        } else {
            for (int t = 0; t < n; t += L) {
                IntVector e = IntVector.fromArray(SI, accE, at + t), i = IntVector.fromArray(SI, accI, at + t);
                zero.intoArray(accE, at + t);
                zero.intoArray(accI, at + t);
                ((FloatVector) e.convert(VectorOperators.I2F, 0)).mul(inv)
                        .add(((FloatVector) i.convert(VectorOperators.I2F, 0)).mul(inv)).add(bias).intoArray(x, xAt + t);
                IntVector a = e.or(i);
                a.intoArray(any, at + t);
                last = zeroIn(a, steps - t) ? t : last;
            }
        }
        return last < 0 ? 0 : last + afterLastZero(any, at + last, Math.min(L, steps - last));
    }

    /**
     * The discrete LIF through {@code steps} steps for the {@link #lanes()} neurons of a tile ({@code tile[t * lanes
     * + j]}: neuron j's input at step t on entry, its spike 1 or 0 on return), membranes {@code v[vAt + j]} in and
     * out. {@code spikes} receives, per neuron j, its spike count at {@code j}, the step of its first spike at
     * {@code lanes + j} and of its last at {@code 2 * lanes + j} ({@code steps} and -1 without one: the bounds of its
     * row's spikes, kept so that rows are never scanned for them). With {@code vTrace}, the membrane after every step
     * goes to {@code vTrace[t * traceStride + traceAt + j]}. Steps before {@code from} are left as they are (neither
     * run nor counted): the event engine counts a tile's first steps apart and runs the rest from there.
     */
    static void lif(float[] tile, int from, int steps, float tau, float vTh, float vReset, float[] v, int vAt,
                    float[] spikes, float[] vTrace, int traceStride, int traceAt) {
        FloatVector zero = FloatVector.zero(SF), one = FloatVector.broadcast(SF, 1f), reset = FloatVector.broadcast(SF, vReset);
        FloatVector never = FloatVector.broadcast(SF, (float) steps), lo = never, hi = FloatVector.broadcast(SF, -1f);
        FloatVector vi = FloatVector.fromArray(SF, v, vAt), n = zero, step = FloatVector.broadcast(SF, (float) from);
        for (int t = from, at = from * L; t < steps; t++, at += L) {
            FloatVector h = vi.sub(vi.div(tau)).add(FloatVector.fromArray(SF, tile, at));
            VectorMask<Float> spike = h.compare(VectorOperators.GE, vTh);
            FloatVector s = zero.blend(one, spike);
            s.intoArray(tile, at);
            n = n.add(s);
            vi = h.blend(reset, spike);
            lo = lo.min(never.blend(step, spike));
            hi = hi.blend(step, spike);
            step = step.add(one);
            if (vTrace != null) {
                vi.intoArray(vTrace, t * traceStride + traceAt);
            }
        }
        vi.intoArray(v, vAt);
        n.intoArray(spikes, 0);
        lo.intoArray(spikes, L);
        hi.intoArray(spikes, 2 * L);
    }

    /** {@link SpikeRowKernels#lif2}: two tiles, two independent chains in one loop (steps {@code from ..}). */
    static void lif2(float[] tileA, float[] tileB, int from, int steps, float tau, float vTh, float vReset, float[] v,
                     int vAt, float[] spikesA, float[] spikesB, float[] vTrace, int traceStride, int traceAt) {
        FloatVector zero = FloatVector.zero(SF), one = FloatVector.broadcast(SF, 1f), reset = FloatVector.broadcast(SF, vReset);
        FloatVector never = FloatVector.broadcast(SF, (float) steps), minus = FloatVector.broadcast(SF, -1f);
        FloatVector va = FloatVector.fromArray(SF, v, vAt), vb = FloatVector.fromArray(SF, v, vAt + L);
        FloatVector na = zero, nb = zero, loA = never, loB = never, hiA = minus, hiB = minus;
        FloatVector step = FloatVector.broadcast(SF, (float) from);
        for (int t = from, at = from * L; t < steps; t++, at += L) {
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
            // the bounds ride along the division's latency, which bounds the loop
            loA = loA.min(never.blend(step, sa));
            loB = loB.min(never.blend(step, sb));
            hiA = hiA.blend(step, sa);
            hiB = hiB.blend(step, sb);
            step = step.add(one);
            if (vTrace != null) {
                va.intoArray(vTrace, t * traceStride + traceAt);
                vb.intoArray(vTrace, t * traceStride + traceAt + L);
            }
        }
        va.intoArray(v, vAt);
        vb.intoArray(v, vAt + L);
        na.intoArray(spikesA, 0);
        nb.intoArray(spikesB, 0);
        loA.intoArray(spikesA, L);
        loB.intoArray(spikesB, L);
        hiA.intoArray(spikesA, 2 * L);
        hiB.intoArray(spikesB, 2 * L);
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
