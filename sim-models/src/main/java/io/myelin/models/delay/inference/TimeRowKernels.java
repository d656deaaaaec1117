package io.myelin.models.delay.inference;

import io.myelin.core.vector.LaneTranspose;
import io.myelin.models.tensor.WindowOps;

import java.util.Arrays;

/**
 * Where the inference kernels run: {@link VectorTimeRows} when the JVM has the Vector API (the only mode in which
 * {@link DelaySnnInference} is used, since only then does the training code's evaluation sum in the same order), with
 * scalar loops for what does not fill a vector.
 */
final class TimeRowKernels {
    /** Whether the LIF tile is filled by transposes of blocks of lanes x lanes (8 or 16 lanes), else element by element. */
    private static final boolean TRANSPOSE = LaneTranspose.available()
            && VectorTimeRows.lanes() == LaneTranspose.lanes();

    private TimeRowKernels() {
    }

    /** Whether the Vector API is on (as {@link WindowOps#vectorized()} decides). */
    static boolean available() {
        return WindowOps.vectorized();
    }

    /** Steps per vector. */
    static int lanes() {
        return VectorTimeRows.lanes();
    }

    /** Bytes past the last row's end that {@link #sums} may read. */
    static int rowSlack() {
        return VectorTimeRows.rowSlack();
    }

    static void sums(byte[] x, int stride, int pad, int[] act, int nAct, float[] w, int[] d, int ob, float[] y,
                     int yo, int from, int to, int vectors, boolean affine, float scale, float shift) {
        VectorTimeRows.sums(x, stride, pad, act, nAct, w, d, ob, y, yo, from, to, vectors, affine, scale, shift);
    }

    static void sumsOfFloats(float[] x, int stride, int pad, int[] act, int nAct, float[] w, int[] d, int ob,
                             float[] y, int yo, int vectors, boolean affine, float scale, float shift) {
        VectorTimeRows.sumsOfFloats(x, stride, pad, act, nAct, w, d, ob, y, yo, vectors, affine, scale, shift);
    }

    /**
     * LIF of neurons {@code [from, to)} ({@code to - from <= lanes()}) over {@code steps} steps, input rows
     * {@code y[o * ystride + t]} ({@code ystride} a multiple of {@code lanes()} and at least {@code steps}); each spike (o, t) is written as 1 into the next layer's byte row
     * {@code next[o * stride + pad + t]}. {@code tile} is scratch of {@code lanes() * (ystride + lanes())} floats; {@code counts},
     * {@code first} and {@code last} ({@code lanes()} floats each) receive, at {@code o - from}, each neuron's spike
     * count and the steps of its first and last spike.
     */
    static void lif(float[] y, int from, int to, int ystride, int steps, float tau, float threshold, byte[] next,
                    int stride, int pad, float[] tile, float[] counts, float[] first, float[] last) {
        int L = lanes();
        if (to - from == L) {
            // Neurons across the lanes: the input rows go into a [step][lane] tile and the spikes come back out.
            if (TRANSPOSE) {
                // L steps of L rows at a time; the rows and the tile hold whole vectors of steps (ystride and the
                // tile's length are multiples of L), and the LIF reads only the first `steps` rows of the tile
                for (int t = 0; t < steps; t += L) {
                    LaneTranspose.transpose(y, from * ystride + t, ystride, tile, t * L, L);
                }
            } else {
                for (int j = 0; j < L; j++) {
                    int row = (from + j) * ystride;
                    for (int t = 0; t < steps; t++) {
                        tile[t * L + j] = y[row + t];
                    }
                }
            }
            VectorTimeRows.lif(tile, steps, tau, threshold, counts, first, last);
            if (TRANSPOSE) {
                int lo = steps, hi = -1;
                for (int j = 0; j < L; j++) {
                    if (counts[j] != 0f) {
                        lo = Math.min(lo, (int) first[j]);
                        hi = Math.max(hi, (int) last[j]);
                    }
                }
                if (hi >= 0) {
                    int t0 = lo / L * L, t1 = (hi / L + 1) * L;
                    if (t1 > steps) {
                        Arrays.fill(tile, steps * L, t1 * L, 0f);   // rows past the last step hold inputs, not spikes
                    }
                    VectorTimeRows.spikeRows(tile, t0, t1, tile.length - L * L, next, from * stride + pad, stride);
                }
                return;
            }
            for (int j = 0; j < L; j++) {
                if (counts[j] == 0f) {
                    continue;
                }
                int row = (from + j) * stride + pad;
                for (int t = (int) first[j], end = (int) last[j]; t <= end; t++) {
                    next[row + t] = (byte) tile[t * L + j];
                }
            }
            return;
        }
        for (int o = from; o < to; o++) {
            float v = 0f;
            int base = o * ystride, n = 0, f = steps, l = -1;
            for (int t = 0; t < steps; t++) {
                float h = v - v / tau + y[base + t];
                if (h >= threshold) {
                    v = 0f;
                    next[o * stride + pad + t] = 1;
                    n++;
                    f = Math.min(f, t);
                    l = t;
                } else {
                    v = h;
                }
            }
            counts[o - from] = n;
            first[o - from] = f;
            last[o - from] = l;
        }
    }
}
