package io.myelin.models.delay.inference;

import io.myelin.core.vector.LaneTranspose;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inference kernels on the JDK's Vector API, over time rows: a vector holds {@link #lanes()} consecutive steps of
 * one neuron. Only {@link TimeRowKernels} refers to this class, and only when the module is present.
 *
 * <p>Exactness. {@link #sums} gives every output step the sum the training code's evaluation pass gives it
 * ({@code WindowedForward}: per output and step, {@code a = fma(x, w, a)} over the inputs in ascending order, from
 * {@code +0}); inputs it skips add exact zeros there ({@code fma(0, w, a) == a}, up to the sign of a zero sum).
 * {@link #lif} is the float expression of {@code VectorLifOps}.
 */
final class VectorTimeRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Bytes that widen to one vector of floats (at least 8: the narrowest byte vector), the first L of them used. */
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));

    private VectorTimeRows() {
    }

    static int lanes() {
        return L;
    }

    /** Bytes a load may read past a row's last vector of steps (where a vector of floats is narrower than 8 bytes). */
    static int rowSlack() {
        return B.length() - L;
    }

    /**
     * Output row {@code o} of a layer over {@code vectors} whole vectors of steps: {@code y[yo + t] = sum_i w[o,i]
     * x[i][t - d[o,i]]} over the active inputs {@code act[0..nAct)} (ascending), then {@code y * scale + shift} when
     * {@code affine}. Input i's row is {@code x[i * stride + pad + t]}, zero where it is silent, with at least
     * {@code max delay} zeros before step 0 and room for {@code vectors} whole vectors from step 0 on.
     * Vectors outside {@code [from, to)}, which the caller knows no input reaches, get the empty sum.
     *
     * <p>Every active input is summed over the whole row, silent stretches included: checking per synapse which
     * vectors it reaches cost more (a scalar pass over every synapse and vector block) than the multiply-adds of zeros
     * it saved (a fifth of them on spoken digits).
     */
    static void sums(byte[] x, int stride, int pad, int[] act, int nAct, float[] w, int[] d, int ob, float[] y,
                     int yo, int from, int to, int vectors, boolean affine, float scale, float shift) {
        if (from > 0 || to < vectors) {
            // where no input reaches, the sum is the empty one: +0 (then the affine map of +0)
            FloatVector empty = affine ? FloatVector.zero(S).mul(scale).add(shift) : FloatVector.zero(S);
            for (int k = 0; k < from; k++) {
                empty.intoArray(y, yo + k * L);
            }
            for (int k = Math.max(from, to); k < vectors; k++) {
                empty.intoArray(y, yo + k * L);
            }
        }
        int k = from;
        while (k < to) {
            int width = blockWidth(to - k);
            int t0 = k * L;
            BLOCKS[width].run(x, stride, pad + t0, act, nAct, w, d, ob, y, yo + t0, affine, scale, shift);
            k += width;
        }
    }

    /** One pass over the active inputs for a block of vectors of steps. */
    private interface Block {
        void run(byte[] x, int stride, int base, int[] act, int nAct, float[] w, int[] d, int ob, float[] y, int out,
                 boolean affine, float scale, float shift);
    }

    /*
     * The kernels by block width, called through this table: a call site with many targets is not inlined, so each
     * kernel is compiled on its own. Called from one switch, kernels inlined into the sums could outgrow what the JIT
     * compiles into vector instructions, and the rest ran as calls on boxed vectors.
     */
    private static final Block[] BLOCKS = {null, VectorTimeRows::block1, VectorTimeRows::block2, VectorTimeRows::block3,
            VectorTimeRows::block4, VectorTimeRows::block5, VectorTimeRows::block6, VectorTimeRows::block7,
            VectorTimeRows::block8};

    /**
     * Vectors summed in one pass over the inputs when {@code left} remain: every width up to eight has its own
     * kernel, since a padded vector costs a load and a multiply-add per synapse (a sixth of the work when five
     * vectors ran as six), and several passes each reload every synapse's weight and delay.
     */
    private static int blockWidth(int left) {
        return Math.min(left, 8);
    }

    private static void block8(byte[] x, int stride, int base, int[] act, int nAct, float[] w, int[] d, int ob,
                               float[] y, int out, boolean affine, float scale, float shift) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int j = 0; j < nAct; j++) {
            int i = act[j];
            FloatVector wv = FloatVector.broadcast(S, w[ob + i]);
            int b = i * stride + base - d[ob + i];
            a0 = load(x, b).fma(wv, a0);
            a1 = load(x, b + L).fma(wv, a1);
            a2 = load(x, b + 2 * L).fma(wv, a2);
            a3 = load(x, b + 3 * L).fma(wv, a3);
            a4 = load(x, b + 4 * L).fma(wv, a4);
            a5 = load(x, b + 5 * L).fma(wv, a5);
            a6 = load(x, b + 6 * L).fma(wv, a6);
            a7 = load(x, b + 7 * L).fma(wv, a7);
        }
        store(a0, y, out, affine, scale, shift);
        store(a1, y, out + L, affine, scale, shift);
        store(a2, y, out + 2 * L, affine, scale, shift);
        store(a3, y, out + 3 * L, affine, scale, shift);
        store(a4, y, out + 4 * L, affine, scale, shift);
        store(a5, y, out + 5 * L, affine, scale, shift);
        store(a6, y, out + 6 * L, affine, scale, shift);
        store(a7, y, out + 7 * L, affine, scale, shift);
    }

    private static void block7(byte[] x, int stride, int base, int[] act, int nAct, float[] w, int[] d, int ob,
                               float[] y, int out, boolean affine, float scale, float shift) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0;
        for (int j = 0; j < nAct; j++) {
            int i = act[j];
            FloatVector wv = FloatVector.broadcast(S, w[ob + i]);
            int b = i * stride + base - d[ob + i];
            a0 = load(x, b).fma(wv, a0);
            a1 = load(x, b + L).fma(wv, a1);
            a2 = load(x, b + 2 * L).fma(wv, a2);
            a3 = load(x, b + 3 * L).fma(wv, a3);
            a4 = load(x, b + 4 * L).fma(wv, a4);
            a5 = load(x, b + 5 * L).fma(wv, a5);
            a6 = load(x, b + 6 * L).fma(wv, a6);
        }
        store(a0, y, out, affine, scale, shift);
        store(a1, y, out + L, affine, scale, shift);
        store(a2, y, out + 2 * L, affine, scale, shift);
        store(a3, y, out + 3 * L, affine, scale, shift);
        store(a4, y, out + 4 * L, affine, scale, shift);
        store(a5, y, out + 5 * L, affine, scale, shift);
        store(a6, y, out + 6 * L, affine, scale, shift);
    }

    private static void block6(byte[] x, int stride, int base, int[] act, int nAct, float[] w, int[] d, int ob,
                               float[] y, int out, boolean affine, float scale, float shift) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        for (int j = 0; j < nAct; j++) {
            int i = act[j];
            FloatVector wv = FloatVector.broadcast(S, w[ob + i]);
            int b = i * stride + base - d[ob + i];
            a0 = load(x, b).fma(wv, a0);
            a1 = load(x, b + L).fma(wv, a1);
            a2 = load(x, b + 2 * L).fma(wv, a2);
            a3 = load(x, b + 3 * L).fma(wv, a3);
            a4 = load(x, b + 4 * L).fma(wv, a4);
            a5 = load(x, b + 5 * L).fma(wv, a5);
        }
        store(a0, y, out, affine, scale, shift);
        store(a1, y, out + L, affine, scale, shift);
        store(a2, y, out + 2 * L, affine, scale, shift);
        store(a3, y, out + 3 * L, affine, scale, shift);
        store(a4, y, out + 4 * L, affine, scale, shift);
        store(a5, y, out + 5 * L, affine, scale, shift);
    }

    private static void block5(byte[] x, int stride, int base, int[] act, int nAct, float[] w, int[] d, int ob,
                               float[] y, int out, boolean affine, float scale, float shift) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
        for (int j = 0; j < nAct; j++) {
            int i = act[j];
            FloatVector wv = FloatVector.broadcast(S, w[ob + i]);
            int b = i * stride + base - d[ob + i];
            a0 = load(x, b).fma(wv, a0);
            a1 = load(x, b + L).fma(wv, a1);
            a2 = load(x, b + 2 * L).fma(wv, a2);
            a3 = load(x, b + 3 * L).fma(wv, a3);
            a4 = load(x, b + 4 * L).fma(wv, a4);
        }
        store(a0, y, out, affine, scale, shift);
        store(a1, y, out + L, affine, scale, shift);
        store(a2, y, out + 2 * L, affine, scale, shift);
        store(a3, y, out + 3 * L, affine, scale, shift);
        store(a4, y, out + 4 * L, affine, scale, shift);
    }

    private static void block4(byte[] x, int stride, int base, int[] act, int nAct, float[] w, int[] d, int ob,
                               float[] y, int out, boolean affine, float scale, float shift) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0; j < nAct; j++) {
            int i = act[j];
            FloatVector wv = FloatVector.broadcast(S, w[ob + i]);
            int b = i * stride + base - d[ob + i];
            a0 = load(x, b).fma(wv, a0);
            a1 = load(x, b + L).fma(wv, a1);
            a2 = load(x, b + 2 * L).fma(wv, a2);
            a3 = load(x, b + 3 * L).fma(wv, a3);
        }
        store(a0, y, out, affine, scale, shift);
        store(a1, y, out + L, affine, scale, shift);
        store(a2, y, out + 2 * L, affine, scale, shift);
        store(a3, y, out + 3 * L, affine, scale, shift);
    }

    private static void block3(byte[] x, int stride, int base, int[] act, int nAct, float[] w, int[] d, int ob,
                               float[] y, int out, boolean affine, float scale, float shift) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0;
        for (int j = 0; j < nAct; j++) {
            int i = act[j];
            FloatVector wv = FloatVector.broadcast(S, w[ob + i]);
            int b = i * stride + base - d[ob + i];
            a0 = load(x, b).fma(wv, a0);
            a1 = load(x, b + L).fma(wv, a1);
            a2 = load(x, b + 2 * L).fma(wv, a2);
        }
        store(a0, y, out, affine, scale, shift);
        store(a1, y, out + L, affine, scale, shift);
        store(a2, y, out + 2 * L, affine, scale, shift);
    }

    private static void block2(byte[] x, int stride, int base, int[] act, int nAct, float[] w, int[] d, int ob,
                               float[] y, int out, boolean affine, float scale, float shift) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0;
        for (int j = 0; j < nAct; j++) {
            int i = act[j];
            FloatVector wv = FloatVector.broadcast(S, w[ob + i]);
            int b = i * stride + base - d[ob + i];
            a0 = load(x, b).fma(wv, a0);
            a1 = load(x, b + L).fma(wv, a1);
        }
        store(a0, y, out, affine, scale, shift);
        store(a1, y, out + L, affine, scale, shift);
    }

    private static void block1(byte[] x, int stride, int base, int[] act, int nAct, float[] w, int[] d, int ob,
                               float[] y, int out, boolean affine, float scale, float shift) {
        FloatVector a0 = FloatVector.zero(S);
        for (int j = 0; j < nAct; j++) {
            int i = act[j];
            a0 = load(x, i * stride + base - d[ob + i]).fma(FloatVector.broadcast(S, w[ob + i]), a0);
        }
        store(a0, y, out, affine, scale, shift);
    }

    /**
     * {@link #sums} over rows of floats, one vector of steps at a time: for an input layer whose counts do not fit
     * the byte rows (more than 127 spikes of one channel in one frame), which binning rarely gives; the same sums in
     * the same order, at the cost of reloading every synapse per vector.
     */
    static void sumsOfFloats(float[] x, int stride, int pad, int[] act, int nAct, float[] w, int[] d, int ob,
                             float[] y, int yo, int vectors, boolean affine, float scale, float shift) {
        for (int k = 0; k < vectors; k++) {
            int base = pad + k * L;
            FloatVector a = FloatVector.zero(S);
            for (int j = 0; j < nAct; j++) {
                int i = act[j];
                FloatVector wv = FloatVector.broadcast(S, w[ob + i]);
                a = FloatVector.fromArray(S, x, i * stride + base - d[ob + i]).fma(wv, a);
            }
            store(a, y, yo + k * L, affine, scale, shift);
        }
    }

    /**
     * One vector of steps of a byte row as floats. A row of bytes is a quarter of the bytes of a row of floats: a load
     * at a synapse's delay, which starts anywhere in a cache line, then almost never spans two lines, where a vector
     * of floats almost always does. Those split loads, not the multiply-adds, bound the sums over float rows.
     */
    private static FloatVector load(byte[] x, int at) {
        return (FloatVector) ByteVector.fromArray(B, x, at).convertShape(VectorOperators.B2F, S, 0);
    }

    private static void store(FloatVector a, float[] y, int at, boolean affine, float scale, float shift) {
        // BatchNorm in evaluation: x * scale + shift, a multiply then an add (no fused rounding), as the layer does.
        if (affine) {
            a.mul(scale).add(shift).intoArray(y, at);
        } else {
            a.intoArray(y, at);
        }
    }

    /**
     * LIF over {@code steps} steps for the {@link #lanes()} neurons of a tile: {@code tile[t * lanes + j]} is neuron
     * j's input at step t on entry and its spike (1 or 0) on return. {@code H = V - V / tau + X}, spike where
     * {@code H >= threshold}, V back to 0. {@code counts[j]} receives each neuron's spike count, {@code first[j]} and
     * {@code last[j]} the steps of its first and last spike ({@code steps} and -1 without spikes).
     */
    static void lif(float[] tile, int steps, float tau, float threshold, float[] counts, float[] first, float[] last) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), v = zero, n = zero;
        FloatVector never = FloatVector.broadcast(S, (float) steps), lo = never, hi = FloatVector.broadcast(S, -1f);
        FloatVector step = zero;
        for (int t = 0, at = 0; t < steps; t++, at += L) {
            FloatVector h = v.sub(v.div(tau)).add(FloatVector.fromArray(S, tile, at));
            VectorMask<Float> spike = h.compare(VectorOperators.GE, threshold);
            FloatVector s = zero.blend(one, spike);
            s.intoArray(tile, at);
            n = n.add(s);
            v = h.blend(zero, spike);
            lo = lo.min(never.blend(step, spike));
            hi = hi.blend(step, spike);
            step = step.add(one);
        }
        n.intoArray(counts, 0);
        lo.intoArray(first, 0);
        hi.intoArray(last, 0);
    }

    /**
     * The spikes of a LIF tile ({@link #lif}: 1 or 0 at {@code tile[t * L + j]}) as bytes into L neuron rows,
     * {@code next[rowAt + j * stride + t]}, for the steps of whole vectors {@code [t0, t1)}: each block of L steps is
     * transposed back ({@link LaneTranspose}) into the tile's scratch block at {@code blockAt} (L x L floats past its
     * rows) and every row narrowed to bytes. Writes zeros where no spike is, so the tile's rows from t0 to t1 must hold
     * spikes only. Only where {@link LaneTranspose#available()} with L lanes (8 or 16: a row's bytes are stored a vector
     * at a time, at least 8).
     */
    static void spikeRows(float[] tile, int t0, int t1, int blockAt, byte[] next, int rowAt, int stride) {
        for (int t = t0; t < t1; t += L) {
            LaneTranspose.transpose(tile, t * L, L, tile, blockAt, L);
            for (int j = 0; j < L; j++) {
                // 1f is 0x3F800000, so its top three bits read 1 (a float-to-int conversion does not compile to
                // vector code on this JIT; the reinterpretation and shift do)
                IntVector s = FloatVector.fromArray(S, tile, blockAt + j * L).reinterpretAsInts()
                        .lanewise(VectorOperators.LSHR, 29);
                ((ByteVector) s.convertShape(VectorOperators.I2B, B, 0)).intoArray(next, rowAt + j * stride + t);
            }
        }
    }
}
