package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.BlockSums;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Forward pass driven by the input events, one output row at a time with the row's outputs in registers
 * ({@link BlockSums#tableRows}): output row t of sample b sums, for every event (t', i) of the sample with
 * {@code t - taps < t' <= t}, the event's value times the kernel's row of input i at tap {@code n = t' - t + taps - 1}
 * (over all outputs, zero outside their windows). The work is (events x taps x outputs), whatever the windows' width,
 * against (inputs x window x outputs x steps) for the windowed sums, which compute every step of an input that fired
 * at all: the lever for spikes a few percent dense and for the wide windows of the first epochs.
 *
 * <p>The kernel's rows are read many times per sample, so the inputs are taken in blocks whose rows fit the
 * second-level cache ({@link #BLOCK_FLOATS}), each block adding into the sample's output rows before the next. Each
 * element thus sums its terms by input, then time (the order in which {@link WindowedForward} adds them), from zero,
 * with fused multiply-adds; the terms it adds that the windowed sums skip have a zero coefficient and leave the sums
 * as they are: the same bits. Threads own samples.
 *
 * <p>While the table fits the caches this beats the tiles of {@link TiledEventTapRowForward} (fewer passes, no term
 * lists per tile); past {@link DclsPathChooser}'s large-table size the tiles win.
 *
 * <p>Layout: the kernel by (input, tap), {@code table[TABLE_OFFSET + (i * taps + n) * OP + o]} with the outputs padded
 * to whole vectors (OP), built once per kernel.
 */
final class EventTapRowForward {
    /** Kernel rows per input block: 256 KB, a quarter of this machine's second-level cache. */
    static final int BLOCK_FLOATS = 1 << 16;
    /**
     * Floats before the table's first row. A float array's data starts 16 bytes into the object, and G1 places a large
     * array (half a region or more: every kernel table of a real layer) at the start of a region, so 12 floats put
     * every row of whole vectors on a 64-byte boundary: a vector load then touches one cache line instead of two.
     */
    static final int TABLE_OFFSET = 12;

    private float[] table;
    private int builtFor = -1;

    SeqTensor forward(DclsKernel k, DclsEventLayout layout, Workers workers) {
        buildTable(k, workers);
        final int T2 = layout.outSteps, B = layout.batch, O = k.out, Td = k.taps, I = k.in;
        final int OP = WindowOps.padded(O), IB = Math.max(1, BLOCK_FLOATS / (Td * OP));
        final SparseEvents ev = layout.events;
        final int[] order = layout.bySample, start = layout.sampleStart;
        final float[] tab = table;
        final float[] y = new float[T2 * B * O];
        workers.forRange(B, (b0, b1) -> {
            int[] rowStart = new int[T2 + 1];
            int[] fill = new int[T2];
            int[] rowIdx = new int[0];
            float[] rowVal = new float[0];
            float[] ys = new float[T2 * OP];
            for (int b = b0; b < b1; b++) {
                Arrays.fill(ys, 0f);
                int q0 = start[b];
                for (int i0 = 0; i0 < I && q0 < start[b + 1]; i0 += IB) {
                    // this block's events: the sample's are by input, then time
                    int q1 = q0;
                    while (q1 < start[b + 1] && ev.feature[order[q1]] < i0 + IB) {
                        q1++;
                    }
                    if (q0 == q1) {
                        continue;
                    }
                    // each row's terms, in event order
                    Arrays.fill(rowStart, 0);
                    for (int q = q0; q < q1; q++) {
                        int t = ev.step[order[q]];
                        rowStart[t + 1]++;
                        if (t + Td < T2) {
                            rowStart[t + Td + 1]--;   // an event reaches rows t .. t + taps - 1
                        }
                    }
                    for (int t = 1; t <= T2; t++) {
                        rowStart[t] += rowStart[t - 1];   // now: events reaching row t - 1
                    }
                    for (int t = 1; t <= T2; t++) {
                        rowStart[t] += rowStart[t - 1];   // now: where row t's terms start
                    }
                    int terms = rowStart[T2];
                    if (rowIdx.length < terms) {
                        rowIdx = new int[terms + terms / 4];
                        rowVal = new float[rowIdx.length];
                    }
                    System.arraycopy(rowStart, 0, fill, 0, T2);
                    for (int q = q0; q < q1; q++) {
                        int e = order[q], t0 = ev.step[e], i = ev.feature[e];
                        float v = ev.value[e];
                        for (int t = t0, end = Math.min(T2, t0 + Td); t < end; t++) {
                            int m = fill[t]++;
                            rowIdx[m] = TABLE_OFFSET + (i * Td + t0 - t + Td - 1) * OP;
                            rowVal[m] = v;
                        }
                    }
                    for (int t = 0; t < T2; t++) {
                        if (rowStart[t] < rowStart[t + 1]) {
                            BlockSums.tableRows(tab, rowIdx, rowVal, rowStart[t], rowStart[t + 1], ys, t * OP, OP);
                        }
                    }
                    q0 = q1;
                }
                for (int t = 0; t < T2; t++) {
                    System.arraycopy(ys, t * OP, y, (t * B + b) * O, O);
                }
            }
        });
        return new SeqTensor(T2, B, O, y);
    }

    /** The kernel by (input, tap) over the padded outputs; once per kernel. */
    private void buildTable(DclsKernel k, Workers workers) {
        if (builtFor == k.generation()) {
            return;
        }
        final int O = k.out, I = k.in, Td = k.taps, W = k.maxW, OP = WindowOps.padded(O);
        final int[] lo = k.lo, len = k.len;
        final float[] c = k.coef;
        if (table == null || table.length != TABLE_OFFSET + I * Td * OP) {
            table = new float[TABLE_OFFSET + I * Td * OP];
        }
        final float[] tab = table;
        workers.forRange(I, (i0, i1) -> {
            Arrays.fill(tab, TABLE_OFFSET + i0 * Td * OP, TABLE_OFFSET + i1 * Td * OP, 0f);
            for (int i = i0; i < i1; i++) {
                for (int o = 0; o < O; o++) {
                    int s = i * O + o;
                    for (int j = 0; j < len[s]; j++) {
                        tab[TABLE_OFFSET + (i * Td + lo[s] + j) * OP + o] = c[s * W + j];
                    }
                }
            }
        });
        builtFor = k.generation();
    }
}
