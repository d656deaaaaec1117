package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.VectorOps;
import io.myelin.models.tensor.Workers;

/**
 * Forward pass for dense input (binned counts): per block of output rows, each input's row is copied once per tap,
 * shifted by the tap's delay, into a scratch row aligned with the outputs, and added into every output whose window
 * has that tap. The synapse taps are listed by (input, tap), each list sorted by output: a fixed accumulation order.
 */
final class FeatureMajorForward {
    /** Rows (t, b) per cache block: 1 KB per feature, 256 KB for 256 features. */
    private static final int ROW_BLOCK = 256;

    // the kernel's taps by (input, tap) key i * taps + n: entries [start[key], start[key + 1]) of tapOut / tapCoef
    private int[] start, tapOut;
    private float[] tapCoef;
    private int builtFor = -1;   // the kernel generation the lists were built for

    SeqTensor forward(DclsKernel k, DclsEventLayout layout, Workers workers) {
        buildTapLists(k);
        final SeqTensor x = layout.input;
        final int T = layout.steps, T2 = layout.outSteps, B = layout.batch, I = k.in, O = k.out, Td = k.taps;
        final int rowsIn = T * B, rowsOut = T2 * B;
        final int[] first = start, outOf = tapOut;
        final float[] coefOf = tapCoef;
        final float[][] xT = VectorOps.columns(x.data, rowsIn, I);
        final float[][] yT = new float[O][rowsOut];
        final int blocks = (rowsOut + ROW_BLOCK - 1) / ROW_BLOCK;
        workers.forRange(blocks, (k0, k1) -> {
            float[] scratch = new float[rowsOut];
            for (int blk = k0; blk < k1; blk++) {
                int r0 = blk * ROW_BLOCK, r1 = Math.min(rowsOut, r0 + ROW_BLOCK);
                for (int i = 0; i < I; i++) {
                    for (int n = 0; n < Td; n++) {
                        int a = first[i * Td + n], z = first[i * Td + n + 1];
                        if (a == z) {
                            continue;
                        }
                        int shift = (Td - 1 - n) * B;
                        int from = Math.max(r0, shift), to = Math.min(r1, rowsIn + shift);
                        if (from >= to) {
                            continue;
                        }
                        System.arraycopy(xT[i], from - shift, scratch, from, to - from);
                        for (int e = a; e < z; e++) {
                            VectorOps.axpy(yT[outOf[e]], coefOf[e], scratch, from, to);
                        }
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, VectorOps.fromColumns(yT, rowsOut));
    }

    /** The synapse taps listed by (input, tap); built once per kernel. */
    private void buildTapLists(DclsKernel k) {
        if (builtFor == k.generation()) {
            return;
        }
        final int in = k.in, out = k.out, taps = k.taps, maxW = k.maxW;
        final int[] lo = k.lo, len = k.len;
        int keys = in * taps;
        int[] begin = new int[keys + 1];
        long total = 0;
        for (int s = 0; s < in * out; s++) {
            int i = s / out;
            for (int j = 0; j < len[s]; j++) {
                begin[i * taps + lo[s] + j + 1]++;
            }
            total += len[s];
        }
        for (int key = 0; key < keys; key++) {
            begin[key + 1] += begin[key];
        }
        int n = (int) total;
        if (tapOut == null || tapOut.length != n) {
            tapOut = new int[n];
            tapCoef = new float[n];
        }
        int[] fill = java.util.Arrays.copyOf(begin, keys);
        // synapses in (i, o) order, so each list is sorted by output
        for (int s = 0; s < in * out; s++) {
            int i = s / out, o = s % out, cb = s * maxW;
            for (int j = 0; j < len[s]; j++) {
                int a = fill[i * taps + lo[s] + j]++;
                tapOut[a] = o;
                tapCoef[a] = k.coef[cb + j];
            }
        }
        start = begin;
        builtFor = k.generation();
    }
}
