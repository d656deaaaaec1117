package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.ThreeTapGathers;
import io.myelin.models.tensor.Workers;

/**
 * Kernel gradient for narrow windows (rounded or fixed delays, sigma near its floor): for each synapse, each tap of
 * its window is a sum over the input's events of the event value times the output's gradient at the delayed row.
 * Threads own outputs; the output's gradient column stays in cache while all inputs' event lists stream past it, and
 * up to four taps are summed at once, each in two sums (even and odd events) so that eight additions overlap. Four
 * outputs whose windows for an input are all three taps wide (nearly all of them at the floor sigma) are summed in one
 * pass ({@link ThreeTapGathers#four}). The order is fixed by the event lists, so results do not depend on the thread
 * count or on how outputs are grouped.
 */
final class SynapseGatherKernelGradient {
    /**
     * {@code dK[s * maxW + j]} for every synapse s and window tap j, from the output gradient in sample-major columns
     * ({@link DclsEventLayout#sampleMajorColumns}).
     */
    void kernelGradient(DclsKernel k, DclsEventLayout layout, float[][] gS, float[] dK, Workers workers) {
        final int O = k.out, I = k.in, W = k.maxW, Td = k.taps;
        final int[] start = layout.inputStart, rowOf = layout.inputRow;
        final float[] valOf = layout.inputValue;
        final int[] lo = k.lo, len = k.len;
        workers.forRange(O, (o0, o1) -> {
            int o = o0;
            // four outputs at a time: an input's event list (rows and values) is read once for all four, and the
            // three-tap windows of the floor sigma are gathered for all four in one pass (ThreeTapGathers.four); every
            // sum adds the same terms in the same order as one output at a time
            for (; o + 3 < o1; o += 4) {
                final float[] g0 = gS[o], g1 = gS[o + 1], g2 = gS[o + 2], g3 = gS[o + 3];
                for (int i = 0; i < I; i++) {
                    int s = i * O + o;
                    if (len[s] == 3 && len[s + 1] == 3 && len[s + 2] == 3 && len[s + 3] == 3) {
                        ThreeTapGathers.four(g0, g1, g2, g3, start[i], start[i + 1], rowOf, valOf, Td - 1 - lo[s],
                                Td - 1 - lo[s + 1], Td - 1 - lo[s + 2], Td - 1 - lo[s + 3], dK, s * W, (s + 1) * W,
                                (s + 2) * W, (s + 3) * W);
                    } else {
                        for (int u = 0; u < 4; u++) {
                            gatherWindow(gS[o + u], start[i], start[i + 1], rowOf, valOf, Td - 1 - lo[s + u], dK,
                                    (s + u) * W, len[s + u]);
                        }
                    }
                }
            }
            for (; o < o1; o++) {
                final float[] g = gS[o];
                for (int i = 0; i < I; i++) {
                    int s = i * O + o;
                    gatherWindow(g, start[i], start[i + 1], rowOf, valOf, Td - 1 - lo[s], dK, s * W, len[s]);
                }
            }
        });
    }

    /**
     * {@code d[cb + j] = sum_q value_q * g[row_q + shift0 - j]} over the events q in {@code [a, z)}, in order, for
     * the window taps j in {@code [0, taps)}: four taps per pass over the events, then the last one to three.
     */
    private static void gatherWindow(float[] g, int a, int z, int[] rowOf, float[] valOf, int shift0, float[] d,
                                     int cb, int taps) {
        int j = 0;
        for (; taps - j >= 4; j += 4) {
            int s0 = shift0 - j;
            // even and odd events in separate sums: eight independent addition chains instead of four
            float c0 = 0, c1 = 0, c2 = 0, c3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;
            int q = a;
            for (; q + 1 < z; q += 2) {
                int r = rowOf[q] + s0, rr = rowOf[q + 1] + s0;
                float v = valOf[q], w = valOf[q + 1];
                c0 += v * g[r];
                c1 += v * g[r - 1];
                c2 += v * g[r - 2];
                c3 += v * g[r - 3];
                e0 += w * g[rr];
                e1 += w * g[rr - 1];
                e2 += w * g[rr - 2];
                e3 += w * g[rr - 3];
            }
            if (q < z) {
                int r = rowOf[q] + s0;
                float v = valOf[q];
                c0 += v * g[r];
                c1 += v * g[r - 1];
                c2 += v * g[r - 2];
                c3 += v * g[r - 3];
            }
            d[cb + j] = c0 + e0;
            d[cb + j + 1] = c1 + e1;
            d[cb + j + 2] = c2 + e2;
            d[cb + j + 3] = c3 + e3;
        }
        if (j < taps) {
            gatherFew(g, a, z, rowOf, valOf, shift0 - j, d, cb + j, taps - j);
        }
    }

    /** {@link #gatherWindow} for one to three taps in one pass. */
    private static void gatherFew(float[] g, int a, int z, int[] rowOf, float[] valOf, int s0, float[] d, int cb,
                                  int taps) {
        if (taps == 3) {
            ThreeTapGathers.one(g, a, z, rowOf, valOf, s0, d, cb);
            return;
        }
        // even and odd events in separate sums, as in gatherWindow
        float c0 = 0, c1 = 0, e0 = 0, e1 = 0;
        int q = a;
        if (taps == 2) {
            for (; q + 1 < z; q += 2) {
                int r = rowOf[q] + s0, rr = rowOf[q + 1] + s0;
                float v = valOf[q], w = valOf[q + 1];
                c0 += v * g[r];
                c1 += v * g[r - 1];
                e0 += w * g[rr];
                e1 += w * g[rr - 1];
            }
            if (q < z) {
                int r = rowOf[q] + s0;
                float v = valOf[q];
                c0 += v * g[r];
                c1 += v * g[r - 1];
            }
        } else {
            for (; q + 1 < z; q += 2) {
                c0 += valOf[q] * g[rowOf[q] + s0];
                e0 += valOf[q + 1] * g[rowOf[q + 1] + s0];
            }
            if (q < z) {
                c0 += valOf[q] * g[rowOf[q] + s0];
            }
        }
        d[cb] = c0 + e0;
        if (taps >= 2) {
            d[cb + 1] = c1 + e1;
        }
    }
}
