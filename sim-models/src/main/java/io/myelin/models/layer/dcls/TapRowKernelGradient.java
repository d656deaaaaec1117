package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.VectorOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Kernel gradient for wide windows: gathered at the input events only, as whole vector rows over the live outputs of
 * every tap, into rows by (input, tap); threads own output ranges. A sample's consecutive events at one input share
 * their tap rows, so they are added four at a time (one load and store of each tap row per four events).
 */
final class TapRowKernelGradient {
    /** {@code dK[s * maxW + j]} for every synapse s and window tap j, from the output gradient. */
    void kernelGradient(DclsKernel k, DclsEventLayout layout, SeqTensor gradOut, float[] dK, Workers workers) {
        final int T = layout.steps, B = layout.batch, O = k.out, I = k.in, W = k.maxW, Td = k.taps;
        // the early taps of the last steps' events read rows past T2: zeros
        final float[][] g = delayedRows(gradOut, (T + Td - 1) * B);
        final SparseEvents ev = layout.events;
        final int[] order = layout.bySample;
        final int[] lo = k.lo, len = k.len, liveLo = k.liveLo, liveHi = k.liveHi;
        final float[][] dk = new float[I * Td][O];
        workers.forRangeEven(O, (o0, o1) -> {
            for (int q = 0; q < order.length; ) {
                int e = order[q], b = ev.sample[e], i = ev.feature[e];
                int end = q + 1;
                while (end < order.length && ev.sample[order[end]] == b && ev.feature[order[end]] == i) {
                    end++;
                }
                for (; q + 4 <= end; q += 4) {
                    int e0 = order[q], e1 = order[q + 1], e2 = order[q + 2], e3 = order[q + 3];
                    // tap n of an event at step t reads gradient row (t + Td - 1 - n) * B + b
                    int r0 = (ev.step[e0] + Td - 1) * B + b, r1 = (ev.step[e1] + Td - 1) * B + b;
                    int r2 = (ev.step[e2] + Td - 1) * B + b, r3 = (ev.step[e3] + Td - 1) * B + b;
                    float v0 = ev.value[e0], v1 = ev.value[e1], v2 = ev.value[e2], v3 = ev.value[e3];
                    for (int n = 0; n < Td; n++) {
                        int live = i * Td + n;
                        int a = Math.max(o0, liveLo[live]), z = Math.min(o1, liveHi[live]);
                        if (a < z) {
                            int d = n * B;
                            VectorOps.axpy4(dk[live], v0, g[r0 - d], v1, g[r1 - d], v2, g[r2 - d], v3, g[r3 - d], a, z);
                        }
                    }
                }
                for (; q < end; q++) {
                    int e1 = order[q], r = (ev.step[e1] + Td - 1) * B + b;
                    float v = ev.value[e1];
                    for (int n = 0; n < Td; n++) {
                        int live = i * Td + n;
                        int a = Math.max(o0, liveLo[live]), z = Math.min(o1, liveHi[live]);
                        if (a < z) {
                            VectorOps.axpy(dk[live], v, g[r - n * B], a, z);
                        }
                    }
                }
            }
        });
        workers.forRange(I, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int o = 0; o < O; o++) {
                    int s = i * O + o, cb = s * W;
                    for (int j = 0, n = len[s]; j < n; j++) {
                        dK[cb + j] = dk[i * Td + lo[s] + j][o];
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
