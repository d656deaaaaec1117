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
 * <p>{@link EventTapRowForward} for kernel tables that outgrow the caches. Each table row is read by only a few events
 * of one sample, and a wide layer's table (512 x 31 x 512 floats: 32 MB) is read from memory once per sample there, so
 * here the sums run in cache tiles: a block of output columns (one register block,
 * {@link #COLUMNS} vectors) of a group of samples' output rows ({@link #OUTPUT_TILE_FLOATS}) stays in the
 * second-level cache while the kernel's rows of those columns pass by, a block of inputs at a time
 * ({@link #TABLE_TILE_FLOATS}), each tile serving every sample of the group. The kernel is then read from memory once
 * per group of samples instead of once per sample. Each element sums its terms by input block, then by input, then
 * time (the order in which {@link WindowedForward} adds them), from zero, with fused multiply-adds, going on from the
 * value the previous input block left in memory; the terms it adds that the windowed sums skip have a zero
 * coefficient and leave the sums as they are: the same bits. Threads own groups of samples.
 *
 * <p>Layout: the kernel by column block c of CW outputs (the last padded with zeros), then (input, tap),
 * {@code table[TABLE_OFFSET + ((c * in + i) * taps + n) * CW + o - c * CW]}, built once per kernel, so that a tile is
 * one run of memory: as rows of all outputs, a tile's pieces sat one row apart and fell into a quarter of the cache's
 * sets. The output rows of a group of samples likewise by (sample, column block, step).
 */
final class TiledEventTapRowForward {
    /** Kernel rows of one input block and column block: 256 KB, a quarter of this machine's second-level cache. */
    static final int TABLE_TILE_FLOATS = 1 << 16;
    /** Output rows of one group of samples and column block: 512 KB, half the second-level cache. */
    static final int OUTPUT_TILE_FLOATS = 1 << 17;
    /** Vectors per column block: the widest register block of {@link BlockSums}. */
    static final int COLUMNS = 8;
    /**
     * Floats before the table's first row. A float array's data starts 16 bytes into the object, and G1 places a large
     * array (half a region or more: every kernel table of a real layer) at the start of a region, so 12 floats put
     * every row of whole vectors on a 64-byte boundary: a vector load then touches one cache line instead of two.
     */
    static final int TABLE_OFFSET = 12;

    private float[] table;
    private int builtFor = -1;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** One thread's output rows and term lists for a group of samples, kept from pass to pass. */
    private static final class Scratch {
        float[] ys = new float[0];
        int[][] rowStart = new int[0][];   // per sample of the group: per (input block, row), where its terms start
        int[][] rowIdx = new int[0][];   // per sample: the terms' table rows
        float[][] rowVal = new float[0][];   // and values
        int[] fill = new int[0];

        void size(int samples, int starts, int floats, int steps) {
            if (ys.length < floats) {
                ys = new float[floats];
            }
            if (rowStart.length < samples || rowStart[0].length < starts) {
                rowStart = new int[samples][starts];
                rowIdx = new int[samples][0];
                rowVal = new float[samples][0];
            }
            if (fill.length < steps) {
                fill = new int[steps];
            }
        }
    }

    SeqTensor forward(DclsKernel k, DclsEventLayout layout, Workers workers) {
        buildTable(k, workers);
        final int T2 = layout.outSteps, B = layout.batch, O = k.out, Td = k.taps, I = k.in;
        final int OP = WindowOps.padded(O), CW = columns(OP), NC = (OP + CW - 1) / CW;
        final int IB = Math.max(1, TABLE_TILE_FLOATS / (Td * CW)), NB = (I + IB - 1) / IB;
        final int S = Math.max(1, Math.min(B, OUTPUT_TILE_FLOATS / (T2 * CW))), groups = (B + S - 1) / S;
        final SparseEvents ev = layout.events;
        final int[] order = layout.bySample, start = layout.sampleStart;
        final float[] tab = table;
        final float[] y = new float[T2 * B * O];
        final int RS = T2 + 1;   // row starts per input block
        workers.forRange(groups, (g0, g1) -> {
            Scratch sc = scratch.get();
            sc.size(S, NB * RS, S * NC * T2 * CW, T2);
            final float[] ys = sc.ys;
            final int[] fill = sc.fill;
            for (int g = g0; g < g1; g++) {
                final int bA = g * S, bZ = Math.min(B, bA + S);
                for (int b = bA; b < bZ; b++) {
                    terms(sc, b - bA, b, layout, IB, NB, Td, T2, CW, fill);
                }
                Arrays.fill(ys, 0, (bZ - bA) * NC * T2 * CW, 0f);
                for (int c = 0; c < NC; c++) {
                    int w = Math.min(CW, OP - c * CW), shift = c * I * Td * CW;
                    for (int ib = 0; ib < NB; ib++) {
                        int off = ib * RS;
                        for (int s = 0; s < bZ - bA; s++) {
                            int[] rs = sc.rowStart[s], idx = sc.rowIdx[s];
                            float[] val = sc.rowVal[s];
                            if (rs[off] == rs[off + T2]) {
                                continue;
                            }
                            for (int t = 0, d = (s * NC + c) * T2 * CW; t < T2; t++, d += CW) {
                                if (rs[off + t] < rs[off + t + 1]) {
                                    BlockSums.tableRows(tab, idx, shift, val, rs[off + t], rs[off + t + 1], ys, d, w);
                                }
                            }
                        }
                    }
                }
                for (int b = bA; b < bZ; b++) {
                    for (int c = 0; c < NC && c * CW < O; c++) {
                        int n = Math.min(CW, O - c * CW);
                        for (int t = 0; t < T2; t++) {
                            System.arraycopy(ys, (((b - bA) * NC + c) * T2 + t) * CW, y, (t * B + b) * O + c * CW, n);
                        }
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, y);
    }

    /**
     * Sample b's terms (slot s of the group): by input block, then output row, then event (the sample's events are by
     * input, then time), with {@code rowStart[s][ib * (T2 + 1) + t]} where block ib's terms of row t start.
     */
    private static void terms(Scratch sc, int s, int b, DclsEventLayout layout, int IB, int NB, int Td, int T2,
                              int CW, int[] fill) {
        final SparseEvents ev = layout.events;
        final int[] order = layout.bySample, start = layout.sampleStart;
        final int RS = T2 + 1;
        final int[] rs = sc.rowStart[s];
        int pos = 0, q0 = start[b];
        for (int ib = 0; ib < NB; ib++) {
            int off = ib * RS, q1 = q0;
            while (q1 < start[b + 1] && ev.feature[order[q1]] < (ib + 1) * IB) {
                q1++;
            }
            Arrays.fill(rs, off, off + RS, 0);
            for (int q = q0; q < q1; q++) {
                int t = ev.step[order[q]];
                rs[off + t + 1]++;
                if (t + Td < T2) {
                    rs[off + t + Td + 1]--;   // an event reaches rows t .. t + taps - 1
                }
            }
            for (int t = 1; t <= T2; t++) {
                rs[off + t] += rs[off + t - 1];   // now: events reaching row t - 1
            }
            for (int t = 1; t <= T2; t++) {
                rs[off + t] += rs[off + t - 1];   // now: where row t's terms start in the block
            }
            int terms = rs[off + T2];
            for (int t = 0; t <= T2; t++) {
                rs[off + t] += pos;
            }
            if (sc.rowIdx[s].length < pos + terms) {
                int n = pos + terms + (pos + terms) / 4;
                sc.rowIdx[s] = Arrays.copyOf(sc.rowIdx[s], n);
                sc.rowVal[s] = Arrays.copyOf(sc.rowVal[s], n);
            }
            int[] idx = sc.rowIdx[s];
            float[] val = sc.rowVal[s];
            System.arraycopy(rs, off, fill, 0, T2);
            for (int q = q0; q < q1; q++) {
                int e = order[q], t0 = ev.step[e], i = ev.feature[e];
                float v = ev.value[e];
                for (int t = t0, end = Math.min(T2, t0 + Td); t < end; t++) {
                    int m = fill[t]++;
                    idx[m] = TABLE_OFFSET + (i * Td + t0 - t + Td - 1) * CW;   // column block 0
                    val[m] = v;
                }
            }
            pos += terms;
            q0 = q1;
        }
    }

    /** Floats per column block for rows of {@code paddedOut} floats: one register block, or all of a narrower row. */
    static int columns(int paddedOut) {
        return Math.min(paddedOut, COLUMNS * WindowOps.lanes());
    }

    /** The kernel by column block, then (input, tap); once per kernel. */
    private void buildTable(DclsKernel k, Workers workers) {
        if (builtFor == k.generation()) {
            return;
        }
        final int O = k.out, I = k.in, Td = k.taps, W = k.maxW, OP = WindowOps.padded(O);
        final int CW = columns(OP), NC = (OP + CW - 1) / CW;
        final int[] lo = k.lo, len = k.len;
        final float[] c = k.coef;
        if (table == null || table.length != TABLE_OFFSET + NC * I * Td * CW) {
            table = new float[TABLE_OFFSET + NC * I * Td * CW];
        }
        final float[] tab = table;
        workers.forRange(I, (i0, i1) -> {
            for (int cb = 0; cb < NC; cb++) {
                Arrays.fill(tab, TABLE_OFFSET + (cb * I + i0) * Td * CW, TABLE_OFFSET + (cb * I + i1) * Td * CW, 0f);
            }
            for (int i = i0; i < i1; i++) {
                for (int o = 0; o < O; o++) {
                    int s = i * O + o, cb = o / CW, at = TABLE_OFFSET + (cb * I + i) * Td * CW + o - cb * CW;
                    for (int j = 0; j < len[s]; j++) {
                        tab[at + (lo[s] + j) * CW] = c[s * W + j];
                    }
                }
            }
        });
        builtFor = k.generation();
    }
}
