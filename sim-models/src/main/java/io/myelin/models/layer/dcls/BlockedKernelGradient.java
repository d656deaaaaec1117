package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.BlockSums;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Kernel gradient for wide windows with each (input, tap) row of live outputs held in registers
 * ({@link BlockSums#tableRows}): {@code dL/dK[o,i,n] = sum over the events (t, b) of input i, in (sample, time) order,
 * of x * dY[t + taps - 1 - n][b][o]}, each element one chain of fused multiply-adds from zero. A term costs one load
 * and one fused multiply-add per vector, where adding event rows into memory ({@link TapRowKernelGradient}) also
 * loads and stores the tap row and rounds every product. Threads own inputs; whatever their number, every element
 * adds the same terms in the same order.
 *
 * <p>Layout: the output gradient as rows {@code TABLE_OFFSET + (t2 * batch + b) * OP} over the outputs padded to whole
 * vectors (OP), each row on a cache line boundary ({@link EventTapRowForward#TABLE_OFFSET}),
 * then zero rows up to step {@code steps + taps - 1}, so that every tap of every event reads a row.
 */
final class BlockedKernelGradient {
    private float[] rows;   // the padded output gradient, reused

    /** {@code dK[s * maxW + j]} for every synapse s and window tap j, from the output gradient. */
    void kernelGradient(DclsKernel k, DclsEventLayout layout, SeqTensor gradOut, float[] dK, Workers workers) {
        final int T = layout.steps, B = layout.batch, O = k.out, I = k.in, W = k.maxW, Td = k.taps, P = layout.pitch;
        final int OP = WindowOps.padded(O), L = WindowOps.lanes();
        final float[] g = paddedRows(gradOut, (T + Td - 1) * B, OP, workers);
        final int[] start = layout.inputStart, rowOf = layout.inputRow;
        final float[] valOf = layout.inputValue;
        final int[] lo = k.lo, len = k.len, liveLo = k.liveLo, liveHi = k.liveHi;
        workers.forRange(I, (i0, i1) -> {
            final float[] dk = new float[Td * OP];
            int[] base = new int[0], at = new int[0];
            float[] val = new float[0];
            for (int i = i0; i < i1; i++) {
                final int first = start[i], count = start[i + 1] - first;
                if (count == 0) {
                    for (int o = 0; o < O; o++) {
                        int s = i * O + o;
                        Arrays.fill(dK, s * W, s * W + len[s], 0f);
                    }
                    continue;
                }
                if (base.length < count) {
                    base = new int[count + count / 4];
                    at = new int[base.length];
                    val = new float[base.length];
                }
                // tap 0 of an event at step t of sample b reads gradient row (t + Td - 1) * B + b; tap n, n * B rows back
                for (int m = 0; m < count; m++) {
                    int row = rowOf[first + m], b = row / P;
                    base[m] = EventTapRowForward.TABLE_OFFSET + ((row - b * P + Td - 1) * B + b) * OP;
                    val[m] = valOf[first + m];
                }
                Arrays.fill(dk, 0f);
                for (int n = 0; n < Td; n++) {
                    int live = i * Td + n, a = liveLo[live], z = liveHi[live];
                    if (a >= z) {
                        continue;
                    }
                    // the live outputs' whole vectors: columns [from, to) of the rows into the same of the tap's row
                    int from = a / L * L, to = Math.min(OP, (z + L - 1) / L * L), shift = from - n * B * OP;
                    for (int m = 0; m < count; m++) {
                        at[m] = base[m] + shift;
                    }
                    BlockSums.tableRows(g, at, val, 0, count, dk, n * OP + from, to - from);
                }
                for (int o = 0; o < O; o++) {
                    int s = i * O + o, cb = s * W;
                    for (int j = 0, n = len[s]; j < n; j++) {
                        dK[cb + j] = dk[(lo[s] + j) * OP + o];
                    }
                }
            }
        });
    }

    /** The output gradient as rows of OP floats (outputs past O zero), then zero rows up to {@code rowCount}. */
    private float[] paddedRows(SeqTensor g, int rowCount, int OP, Workers workers) {
        final int have = g.rows(), O = g.features;
        final float[] flat = g.data;
        // rows start TABLE_OFFSET floats in, on 64-byte boundaries (as EventTapRowForward's table rows)
        int n = EventTapRowForward.TABLE_OFFSET + Math.max(have, rowCount) * OP;
        if (rows == null || rows.length != n) {
            rows = new float[n];
        }
        final float[] r = rows;
        workers.forRange(have, (r0, r1) -> {
            for (int q = r0; q < r1; q++) {
                System.arraycopy(flat, q * O, r, EventTapRowForward.TABLE_OFFSET + q * OP, O);
            }
        });
        // the padding lanes and rows past the gradient stay zero: written once, when the array is made
        return r;
    }
}
