package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Spike-driven forward pass for narrow windows: per output, every synapse adds each input event times each of its few
 * window coefficients into the output's delayed rows, a column that stays in L1 (the scalar additions cost about as
 * many operations as the synapse has taps, where a vector row over all taps costs taps / 16 per output). Threads own
 * groups of outputs, written as short contiguous runs of each time-major row. Each output element sums its inputs in
 * order and each input's events in time order, as {@link TapRowScatterForward} does: the two give the same bits.
 */
final class SynapseScatterForward {
    /** Outputs per task: 8 contiguous floats of every output row per write. */
    private static final int OUTPUT_GROUP = 8;

    SeqTensor forward(DclsKernel k, DclsEventLayout layout, Workers workers) {
        final int T2 = layout.outSteps, B = layout.batch, O = k.out, I = k.in, W = k.maxW, Td = k.taps;
        final int P = layout.pitch;
        final float[] y = new float[T2 * B * O];
        final int[] start = layout.inputStart, rowOf = layout.inputRow;
        final float[] valOf = layout.inputValue;
        final int[] lo = k.lo, len = k.len;
        final float[] coef = k.coef;
        final int groups = (O + OUTPUT_GROUP - 1) / OUTPUT_GROUP;
        workers.forRange(groups, (k0, k1) -> {
            float[][] col = new float[OUTPUT_GROUP][B * P];
            for (int g = k0; g < k1; g++) {
                int o0 = g * OUTPUT_GROUP, o1 = Math.min(O, o0 + OUTPUT_GROUP);
                for (int o = o0; o < o1; o++) {
                    float[] c = col[o - o0];
                    Arrays.fill(c, 0f);
                    for (int i = 0; i < I; i++) {
                        int s = i * O + o;
                        scatterWindow(c, start[i], start[i + 1], rowOf, valOf, Td - 1 - lo[s], coef, s * W, len[s]);
                    }
                }
                // rows past T2 of each sample hold the delays that fall off the output
                for (int t = 0; t < T2; t++) {
                    for (int b = 0; b < B; b++) {
                        int base = (t * B + b) * O, r = b * P + t;
                        for (int o = o0; o < o1; o++) {
                            y[base + o] = col[o - o0][r];
                        }
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, y);
    }

    /**
     * {@code c[row_q + shift0 - j] += value_q * w[cb + j]} for the events q in {@code [a, z)} and window taps j in
     * {@code [0, taps)}, up to three taps per pass over the events. A row's events from later taps are later in
     * time, and every pass takes the events in time order: each row sums them in time order.
     */
    private static void scatterWindow(float[] c, int a, int z, int[] rowOf, float[] valOf, int shift0, float[] w,
                                      int cb, int taps) {
        int j = 0;
        for (; j + 3 <= taps; j += 3) {
            float w0 = w[cb + j], w1 = w[cb + j + 1], w2 = w[cb + j + 2];
            int sh = shift0 - j;
            for (int q = a; q < z; q++) {
                int r = rowOf[q] + sh;
                float v = valOf[q];
                c[r] += v * w0;
                c[r - 1] += v * w1;
                c[r - 2] += v * w2;
            }
        }
        for (; j < taps; j++) {
            float w0 = w[cb + j];
            int sh = shift0 - j;
            for (int q = a; q < z; q++) {
                c[rowOf[q] + sh] += valOf[q] * w0;
            }
        }
    }
}
