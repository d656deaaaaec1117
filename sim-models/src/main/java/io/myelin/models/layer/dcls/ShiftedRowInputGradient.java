package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.VectorOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Input gradient by shifted rows: {@code dX[t][b][i] = sum over synapses (o, i) and their window taps n of
 * K[o,i,n] dY[t + taps-1-n][b][o]}. Threads own blocks of whole samples. Per block and output, the output's gradient
 * is copied once per tap, shifted back by the tap's delay, into scratch rows {@code bb * T + t} aligned with the
 * block's accumulator rows; then every input adds its synapse's whole window from those rows, up to five taps per
 * pass (one load and store of the accumulator per five taps rather than per tap, in loops that C2 vectorises since
 * every array is indexed alike). Where the caller's mask drops an input of a sample, its gradient is never computed:
 * each input adds over the runs of consecutive samples that keep it.
 */
final class ShiftedRowInputGradient {
    /** About this many rows (whole samples) per block: long enough vector loops, L2-sized. */
    private static final int SAMPLE_BLOCK_ROWS = 256;

    /**
     * dL/dx from the output gradient in sample-major columns ({@link DclsEventLayout#sampleMajorColumns}), zero where
     * {@code keep[b * in + i]} is zero (null keep: everywhere).
     */
    SeqTensor inputGradient(DclsKernel k, DclsEventLayout layout, float[][] gS, float[] keep, Workers workers) {
        final int T = layout.steps, B = layout.batch, O = k.out, Td = k.taps, W = k.maxW, I = k.in;
        final int P = layout.pitch;
        final int G = Math.max(1, Math.min(B, SAMPLE_BLOCK_ROWS / Math.max(1, T)));   // samples per block
        final int[] lo = k.lo, len = k.len;
        final float[] coef = k.coef;
        final boolean[] outputTapUsed = k.outputTapUsed;
        final float[] dx = new float[T * B * I];
        final int blocks = (B + G - 1) / G;
        workers.forRange(blocks, (k0, k1) -> {
            float[][] shifted = new float[Td][G * T];
            float[][] acc = new float[I][G * T];
            int[][] runs = new int[I][G + 1];   // per input: the block's runs of samples that keep it
            int[] nRuns = new int[I];
            for (int blk = k0; blk < k1; blk++) {
                int b0 = blk * G, g = Math.min(B, b0 + G) - b0;
                for (int i = 0; i < I; i++) {
                    Arrays.fill(acc[i], 0f);
                    nRuns[i] = keptRuns(keep, I, b0, g, i, runs[i]);
                }
                for (int o = 0; o < O; o++) {
                    for (int n = 0; n < Td; n++) {
                        if (outputTapUsed[o * Td + n]) {
                            for (int bb = 0; bb < g; bb++) {
                                System.arraycopy(gS[o], (b0 + bb) * P + Td - 1 - n, shifted[n], bb * T, T);
                            }
                        }
                    }
                    for (int i = 0; i < I; i++) {
                        int s = i * O + o;
                        if (len[s] == 0) {
                            continue;
                        }
                        int[] run = runs[i];
                        for (int u = 0; u < nRuns[i]; u += 2) {
                            addWindow(acc[i], shifted, lo[s], len[s], coef, s * W, run[u] * T, run[u + 1] * T);
                        }
                    }
                }
                for (int bb = 0; bb < g; bb++) {
                    for (int t = 0; t < T; t++) {
                        int base = (t * B + b0 + bb) * I, r = bb * T + t;
                        for (int i = 0; i < I; i++) {
                            dx[base + i] = acc[i][r];
                        }
                    }
                }
            }
        });
        return new SeqTensor(T, B, I, dx);
    }

    /**
     * The runs of consecutive samples of block {@code [b0, b0 + g)} whose mask keeps input {@code i}, as block-relative
     * {@code [from, to)} pairs in {@code runs}; returns twice the number of runs.
     */
    private static int keptRuns(float[] keep, int in, int b0, int g, int i, int[] runs) {
        if (keep == null) {
            runs[0] = 0;
            runs[1] = g;
            return 2;
        }
        int n = 0;
        for (int bb = 0; bb < g; bb++) {
            boolean kept = keep[(b0 + bb) * in + i] != 0f;
            boolean open = (n & 1) == 1;
            if (kept != open) {
                runs[n++] = bb;
            }
        }
        if ((n & 1) == 1) {
            runs[n++] = g;
        }
        return n;
    }

    /**
     * {@code y += sum_j c[cb + j] * rows[first + j]} over {@code [from, to)}, up to five taps per pass (25 taps: five
     * passes; a pass of one tap costs nearly as much as a pass of five).
     */
    private static void addWindow(float[] y, float[][] rows, int first, int taps, float[] c, int cb, int from, int to) {
        int j = 0;
        while (j < taps) {
            int left = taps - j;
            int f = first + j, k = cb + j;
            // fives while they leave no single tap behind (6 -> 3 + 3, 7 -> 4 + 3, 8 -> 4 + 4)
            if (left == 5 || left >= 9) {
                VectorOps.axpy5(y, c[k], rows[f], c[k + 1], rows[f + 1], c[k + 2], rows[f + 2], c[k + 3], rows[f + 3],
                        c[k + 4], rows[f + 4], from, to);
                j += 5;
            } else if (left == 4 || left >= 7) {
                VectorOps.axpy4(y, c[k], rows[f], c[k + 1], rows[f + 1], c[k + 2], rows[f + 2], c[k + 3], rows[f + 3],
                        from, to);
                j += 4;
            } else if (left == 3 || left == 6) {
                VectorOps.axpy3(y, c[k], rows[f], c[k + 1], rows[f + 1], c[k + 2], rows[f + 2], from, to);
                j += 3;
            } else if (left == 2) {
                VectorOps.axpy2(y, c[k], rows[f], c[k + 1], rows[f + 1], from, to);
                j += 2;
            } else {
                VectorOps.axpy(y, c[k], rows[f], from, to);
                j += 1;
            }
        }
    }
}
