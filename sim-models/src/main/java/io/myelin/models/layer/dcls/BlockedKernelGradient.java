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
 * loads and stores the tap row and rounds every product.
 *
 * <p>An input's events read the gradient rows of their samples' next {@code taps} steps: over all its events, most of
 * the output gradient (34 MB for a batch of 128 at 512 outputs), which outgrows the caches; one input after another,
 * the gradient would come from memory once per input. So the sums run in cache tiles: a block of output columns (one
 * register block, {@link EventTapRowForward#COLUMNS} vectors) of a group of inputs' tap rows
 * ({@link #GRADIENT_TILE_FLOATS}) stays in the second-level cache while the output gradient of those columns passes
 * by, a few samples at a time ({@link #ROWS_TILE_FLOATS}), each sample's rows serving every input of the group. Each
 * element goes on from the value the previous samples left in memory, so it adds the same terms in the same order:
 * the same bits as one input at a time. Threads own groups of inputs; whatever their number, every element adds the
 * same terms in the same order.
 *
 * <p>Layout: the output gradient as rows {@code TABLE_OFFSET + (t2 * batch + b) * OP} over the outputs padded to whole
 * vectors (OP), each row on a cache line boundary ({@link EventTapRowForward#TABLE_OFFSET}),
 * then zero rows up to step {@code steps + taps - 1}, so that every tap of every event reads a row.
 */
final class BlockedKernelGradient {
    /** Tap rows of one group of inputs and column block: 256 KB, a quarter of the second-level cache. */
    static final int GRADIENT_TILE_FLOATS = 1 << 16;
    /** Output gradient rows of one group of samples and column block: up to 256 KB. */
    static final int ROWS_TILE_FLOATS = 1 << 16;

    private float[] rows;   // the padded output gradient, reused
    private int[] base = new int[0];   // per event (by input): its tap-0 gradient row
    private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[0]);

    /** {@code dK[s * maxW + j]} for every synapse s and window tap j, from the output gradient. */
    void kernelGradient(DclsKernel k, DclsEventLayout layout, SeqTensor gradOut, float[] dK, Workers workers) {
        final int T = layout.steps, B = layout.batch, O = k.out, I = k.in, W = k.maxW, Td = k.taps, P = layout.pitch;
        final int OP = WindowOps.padded(O), L = WindowOps.lanes(), CW = Math.min(OP, EventTapRowForward.COLUMNS * L);
        final int G = Math.max(1, Math.min(I, GRADIENT_TILE_FLOATS / (Td * CW))), groups = (I + G - 1) / G;
        final int S = Math.max(1, Math.min(B, ROWS_TILE_FLOATS / ((T + Td - 1) * CW)));
        final float[] g = paddedRows(gradOut, (T + Td - 1) * B, OP, workers);
        final int[] start = layout.inputStart, rowOf = layout.inputRow;
        final float[] valOf = layout.inputValue;
        final int[] lo = k.lo, len = k.len, liveLo = k.liveLo, liveHi = k.liveHi;
        if (base.length < start[I]) {
            base = new int[start[I] + start[I] / 4];
        }
        final int[] at = base;
        workers.forRange(groups, (g0, g1) -> {
            float[] dk = scratch.get();
            if (dk.length < G * Td * OP) {
                dk = new float[G * Td * OP];
                scratch.set(dk);
            }
            final float[] acc = dk;
            int[] cursor = new int[G];
            for (int gr = g0; gr < g1; gr++) {
                final int iA = gr * G, iZ = Math.min(I, iA + G);
                // tap 0 of an event at step t of sample b reads gradient row (t + Td - 1) * B + b; tap n, n * B rows back
                for (int q = start[iA]; q < start[iZ]; q++) {
                    int row = rowOf[q], b = row / P;
                    at[q] = EventTapRowForward.TABLE_OFFSET + ((row - b * P + Td - 1) * B + b) * OP;
                }
                Arrays.fill(acc, 0, (iZ - iA) * Td * OP, 0f);
                for (int c0 = 0; c0 < OP; c0 += CW) {
                    final int c1 = Math.min(OP, c0 + CW);
                    for (int i = iA; i < iZ; i++) {
                        cursor[i - iA] = start[i];
                    }
                    for (int bA = 0; bA < B; bA += S) {
                        final int rowEnd = Math.min(B, bA + S) * P;   // the events of samples before bA + S
                        for (int i = iA; i < iZ; i++) {
                            int e0 = cursor[i - iA], e1 = e0;
                            while (e1 < start[i + 1] && rowOf[e1] < rowEnd) {
                                e1++;
                            }
                            cursor[i - iA] = e1;
                            if (e0 == e1) {
                                continue;
                            }
                            int d = (i - iA) * Td * OP;
                            for (int n = 0; n < Td; n++) {
                                int live = i * Td + n;
                                // the live outputs' whole vectors within this column block
                                int from = Math.max(c0, liveLo[live] / L * L);
                                int to = Math.min(c1, (liveHi[live] + L - 1) / L * L);
                                if (from < to) {
                                    BlockSums.tableRows(g, at, from - n * B * OP, valOf, e0, e1, acc, d + n * OP + from,
                                            to - from);
                                }
                            }
                        }
                    }
                }
                for (int i = iA; i < iZ; i++) {
                    int d = (i - iA) * Td * OP;
                    for (int o = 0; o < O; o++) {
                        int s = i * O + o, cb = s * W;
                        for (int j = 0, n = len[s]; j < n; j++) {
                            dK[cb + j] = acc[d + (lo[s] + j) * OP + o];
                        }
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
