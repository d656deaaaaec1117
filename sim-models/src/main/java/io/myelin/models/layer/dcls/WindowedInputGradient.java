package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Input gradient as dense sums over each synapse's window of taps, four synapses at a time on {@link WindowOps}:
 * {@code dL/dx[t][b][i] = sum over outputs o and window taps n of K[o,i,n] g[t + taps-1-n][b][o]}. Threads own
 * samples; per output, the inputs the caller's mask keeps for the sample are taken four at a time in the order their
 * windows start, so that every shifted gradient row serves all four (measured faster than
 * {@link ShiftedRowInputGradient} at every sigma once the 4-5-tap kernel keeps its coefficients in registers).
 *
 * <p>Layouts: the output gradient {@code g[(b * out + o) * PG + t2]} (zero from T2 on) and the kernel reversed,
 * {@code kr[o][i * taps + taps - 1 - n]}; rows are padded to whole vectors. Sums run in a fixed order that does not
 * depend on the thread count.
 */
final class WindowedInputGradient {
    private float[][] kr;   // [out][in * taps]
    private int[][] order;   // per output: its inputs with a window, by window start
    private int builtFor = -1;   // the kernel generation kr and order were built for

    /** dL/dx, zero where {@code keep[b * in + i]} is zero (null keep: everywhere). */
    SeqTensor inputGradient(DclsKernel k, DclsEventLayout layout, SeqTensor gradOut, float[] keep, Workers workers) {
        buildKernel(k, workers);
        final int T = layout.steps, B = layout.batch, I = k.in, O = k.out, Td = k.taps;
        final int TP = WindowOps.padded(T), PG = Math.max(layout.outSteps + WindowOps.lanes(), TP + Td - 1);
        final int[] lo = k.lo, len = k.len;
        final float[][] kernel = kr;
        final int[][] byStart = order;
        final float[] gr = gradientRows(gradOut, PG, workers);
        final float[] dx = new float[T * B * I];
        workers.forRange(B, (b0, b1) -> {
            float[] dxs = new float[I * TP];
            int[] kept = new int[I];
            for (int b = b0; b < b1; b++) {
                Arrays.fill(dxs, 0f);
                for (int o = 0; o < O; o++) {
                    int n = 0;
                    for (int i : byStart[o]) {
                        if (keep == null || keep[b * I + i] != 0f) {
                            kept[n++] = i;
                        }
                    }
                    float[] c = kernel[o];
                    int go = (b * O + o) * PG;
                    int g = 0;
                    for (; g + 4 <= n; g += 4) {
                        int i0 = kept[g], i1 = kept[g + 1], i2 = kept[g + 2], i3 = kept[g + 3];
                        int s0 = i0 * O + o, s1 = i1 * O + o, s2 = i2 * O + o, s3 = i3 * O + o;
                        int l = lo[s0];   // sorted by window start
                        int u = Math.max(Math.max(k.end(s0), k.end(s1)), Math.max(k.end(s2), k.end(s3))) - l;
                        int r = Td - l - u;   // reversed taps: j = l + u - 1 - n reads g at t + r + j
                        WindowOps.addWindow4(dxs, i0 * TP, i1 * TP, i2 * TP, i3 * TP, gr, go + r, TP, c,
                                i0 * Td + r, i1 * Td + r, i2 * Td + r, i3 * Td + r, u);
                    }
                    for (; g < n; g++) {
                        int i = kept[g], s = i * O + o, l = lo[s], u = len[s], r = Td - l - u;
                        WindowOps.addWindow1(dxs, i * TP, gr, go + r, TP, c, i * Td + r, u);
                    }
                }
                for (int t = 0; t < T; t++) {
                    int base = (t * B + b) * I;
                    for (int i = 0; i < I; i++) {
                        dx[base + i] = dxs[i * TP + t];
                    }
                }
            }
        });
        return new SeqTensor(T, B, I, dx);
    }

    /** The reversed kernel per output, and each output's inputs by window start; once per kernel. */
    private void buildKernel(DclsKernel k, Workers workers) {
        if (builtFor == k.generation()) {
            return;
        }
        final int O = k.out, I = k.in, Td = k.taps, W = k.maxW;
        final int[] lo = k.lo, len = k.len;
        final float[] c = k.coef;
        if (kr == null) {
            kr = new float[O][I * Td];
        }
        workers.forRange(O, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                float[] row = kr[o];
                Arrays.fill(row, 0f);
                for (int i = 0; i < I; i++) {
                    int s = i * O + o;
                    for (int j = 0; j < len[s]; j++) {
                        row[i * Td + Td - 1 - (lo[s] + j)] = c[s * W + j];
                    }
                }
            }
        });
        order = new int[O][];
        for (int o = 0; o < O; o++) {
            final int oo = o;
            order[o] = k.byWindowStart(I, i -> i * O + oo);
        }
        builtFor = k.generation();
    }

    /** The output gradient by sample and output, {@code g[(b * out + o) * PG + t2]}, zero from T2 to PG. */
    private static float[] gradientRows(SeqTensor g, int PG, Workers workers) {
        final int T2 = g.steps, B = g.batch, O = g.features;
        final float[] flat = g.data;
        final float[] gr = new float[B * O * PG];
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int rb = b * O * PG;
                for (int t = 0; t < T2; t++) {
                    int base = (t * B + b) * O;
                    for (int o = 0; o < O; o++) {
                        gr[rb + o * PG + t] = flat[base + o];
                    }
                }
            }
        });
        return gr;
    }
}
