package io.myelin.models.delay.inference;

import io.myelin.models.tensor.WindowOps;

/**
 * Where the inference kernels run: {@link VectorTimeRows} when the JVM has the Vector API (the only mode in which
 * {@link DelaySnnInference} is used, since only then does the training code's evaluation sum in the same order), with
 * scalar loops for what does not fill a vector.
 */
final class TimeRowKernels {
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

    /** Whole vectors {@link #sums} reads and writes for rows of {@code vectors} vectors. */
    static int paddedVectors(int vectors) {
        return VectorTimeRows.paddedVectors(vectors);
    }

    static void sums(float[] x, int stride, int pad, int[] act, int nAct, float[] w, int[] d, int ob, float[] y,
                     int yo, int vectors, boolean affine, float scale, float shift) {
        VectorTimeRows.sums(x, stride, pad, act, nAct, w, d, ob, y, yo, vectors, affine, scale, shift);
    }

    /**
     * LIF of neurons {@code [from, to)} ({@code to - from <= lanes()}) over {@code steps} steps, input rows
     * {@code y[o * ystride + t]}; each spike (o, t) is written as 1 into the next layer's row
     * {@code next[o * stride + pad + t]}. {@code tile} and {@code counts} are scratch of {@code lanes() * steps} and
     * {@code lanes()} floats; {@code counts[o - from]} receives each neuron's spike count.
     */
    static void lif(float[] y, int from, int to, int ystride, int steps, float tau, float threshold, float[] next,
                    int stride, int pad, float[] tile, float[] counts) {
        int L = lanes();
        if (to - from == L) {
            // Neurons across the lanes: the input rows go into a [step][lane] tile and the spikes come back out.
            for (int j = 0; j < L; j++) {
                int row = (from + j) * ystride;
                for (int t = 0; t < steps; t++) {
                    tile[t * L + j] = y[row + t];
                }
            }
            VectorTimeRows.lif(tile, steps, tau, threshold, counts);
            for (int j = 0; j < L; j++) {
                if (counts[j] == 0f) {
                    continue;
                }
                int row = (from + j) * stride + pad;
                for (int t = 0; t < steps; t++) {
                    next[row + t] = tile[t * L + j];
                }
            }
            return;
        }
        for (int o = from; o < to; o++) {
            float v = 0f;
            int base = o * ystride, n = 0;
            for (int t = 0; t < steps; t++) {
                float h = v - v / tau + y[base + t];
                if (h >= threshold) {
                    v = 0f;
                    next[o * stride + pad + t] = 1f;
                    n++;
                } else {
                    v = h;
                }
            }
            counts[o - from] = n;
        }
    }
}
