package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.VectorOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Kernel gradient for wide windows: gathered at the input events only, as whole vector rows over the live outputs of
 * every tap, into rows by tap. Threads own inputs: an input's tap rows ({@code taps x out} floats) stay in the first
 * level cache while all of its events, in (sample, time) order, add into them, and every row spans all the outputs.
 * A sample's consecutive events at one input share their tap rows, so they are added four at a time (one load and
 * store of each tap row per four events). Each element adds its terms in event order, four-event groups starting
 * afresh in every (sample, input) run, whatever the thread count.
 */
final class TapRowKernelGradient {
    /** {@code dK[s * maxW + j]} for every synapse s and window tap j, from the output gradient. */
    void kernelGradient(DclsKernel k, DclsEventLayout layout, SeqTensor gradOut, float[] dK, Workers workers) {
        final int T = layout.steps, B = layout.batch, O = k.out, I = k.in, W = k.maxW, Td = k.taps, P = layout.pitch;
        // the early taps of the last steps' events read rows past T2: zeros
        final float[][] g = delayedRows(gradOut, (T + Td - 1) * B);
        final int[] start = layout.inputStart, rowOf = layout.inputRow;
        final float[] valOf = layout.inputValue;
        final int[] lo = k.lo, len = k.len, liveLo = k.liveLo, liveHi = k.liveHi;
        workers.forRange(I, (i0, i1) -> {
            final float[][] dk = new float[Td][O];
            for (int i = i0; i < i1; i++) {
                for (float[] row : dk) {
                    Arrays.fill(row, 0f);
                }
                final int last = start[i + 1];
                for (int q = start[i]; q < last; ) {
                    int b = rowOf[q] / P, runEnd = (b + 1) * P;
                    int end = q + 1;
                    while (end < last && rowOf[end] < runEnd) {
                        end++;
                    }
                    // tap n of an event at step t reads gradient row (t + Td - 1 - n) * B + b
                    int shift = Td - 1 - b * P;
                    for (; q + 4 <= end; q += 4) {
                        int r0 = (rowOf[q] + shift) * B + b, r1 = (rowOf[q + 1] + shift) * B + b;
                        int r2 = (rowOf[q + 2] + shift) * B + b, r3 = (rowOf[q + 3] + shift) * B + b;
                        float v0 = valOf[q], v1 = valOf[q + 1], v2 = valOf[q + 2], v3 = valOf[q + 3];
                        for (int n = 0; n < Td; n++) {
                            int live = i * Td + n, a = liveLo[live], z = liveHi[live];
                            if (a < z) {
                                int d = n * B;
                                VectorOps.axpy4(dk[n], v0, g[r0 - d], v1, g[r1 - d], v2, g[r2 - d], v3, g[r3 - d], a, z);
                            }
                        }
                    }
                    for (; q < end; q++) {
                        int r = (rowOf[q] + shift) * B + b;
                        float v = valOf[q];
                        for (int n = 0; n < Td; n++) {
                            int live = i * Td + n, a = liveLo[live], z = liveHi[live];
                            if (a < z) {
                                VectorOps.axpy(dk[n], v, g[r - n * B], a, z);
                            }
                        }
                    }
                }
                for (int o = 0; o < O; o++) {
                    int s = i * O + o, cb = s * W;
                    for (int j = 0, n = len[s]; j < n; j++) {
                        dK[cb + j] = dk[lo[s] + j][o];
                    }
                }
            }
        });
    }

    /** The rows of {@code g} as arrays, then rows of zeros (one shared array) up to {@code rows}. */
    private static float[][] delayedRows(SeqTensor g, int rows) {
        int have = g.rows(), f = g.features;
        float[][] r = VectorOps.rows(g.data, have, f);
        float[][] out = Arrays.copyOf(r, Math.max(have, rows));
        float[] zero = new float[f];
        Arrays.fill(out, have, out.length, zero);
        return out;
    }
}
