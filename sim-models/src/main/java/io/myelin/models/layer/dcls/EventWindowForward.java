package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.WindowScatters;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Forward pass driven by the input events, each event adding every synapse's whole window at once
 * ({@link WindowScatters}): an event (t', i) of value v reaches output rows {@code t' + taps - 1 - n} through the
 * window taps n of each synapse (i, o); laid out by output row, those coefficients are one short vector, added
 * into output o's time column with one fused multiply-add. The work is (events x outputs x window chunks), one
 * vector per (event, synapse) while windows fit a vector (the floor sigma's three to five taps), against
 * {@link EventTapRowForward}'s (events x taps x outputs / lanes), which reads every tap of the table, zero or not,
 * and {@link BlockedForward}'s (fired inputs x window x outputs x steps / lanes). A read-modify-write of a column
 * costs several vector terms of those, so this wins where a layer is a few vectors wide, the readouts, whose tap rows
 * are short and pay their per-term overhead (docs/dcls.md: 2-3x the tap rows there, level with them on 256 outputs);
 * {@link DclsPathChooser} takes it only there.
 *
 * <p>Order and bits: per sample the events are taken by input, then time, and each output element receives one
 * fused multiply-add per event that reaches it, from zero: the order of {@link WindowedForward}; the zero lanes past a
 * window add exact zeros. The same bits (up to the sign of a zero sum, as for {@link EventTapRowForward}).
 *
 * <p>Cache: a sample's columns for a group of outputs stay in the first-level cache while all its events run through
 * them, and the group's window table (inputs x outputs in the group x chunk floats) is sized for the second level
 * and read again for each of the thread's samples; a narrow layer is one group. Threads own samples.
 */
final class EventWindowForward {
    /** Bytes of window table per output group: a quarter of a 512 KB second-level cache. */
    private static final int GROUP_TABLE_BYTES = 128 << 10;
    /** Bounds on the outputs per group: enough members per event to keep the pipeline full, columns in L1. */
    private static final int MIN_GROUP = 8, MAX_GROUP = 32;
    /**
     * Up to this many outputs the layer is one group whatever its table's size: groups of 16 and 4 for a 20-output
     * readout of 256 inputs took 7.5 ms a batch of 64 where one group took 5.2 (SIG 0.23, 6.5 % dense input, one
     * thread, 2-vCPU Zen 3).
     */
    private static final int WHOLE_LAYER_GROUP = 64;

    /**
     * Per chunk c: window coefficients {@code [s * C + k]} in output-row order; each synapse's first row (chunk c
     * starts c * C rows later).
     */
    private float[][] win;
    private int[] shift;
    private int builtFor = -1;

    SeqTensor forward(DclsKernel k, DclsEventLayout layout, Workers workers) {
        buildTable(k, workers);
        final int T = layout.steps, T2 = layout.outSteps, B = layout.batch, O = k.out, I = k.in, Td = k.taps;
        final int C = WindowScatters.chunk(), chunks = win.length;
        // the highest row a chunk writes: (T - 1) + (taps - 1) + chunks * C - 1
        final int CP = T + Td - 1 + chunks * C;
        final int G = O <= WHOLE_LAYER_GROUP ? O
                : Math.max(MIN_GROUP, Math.min(MAX_GROUP, GROUP_TABLE_BYTES / (4 * C * chunks * Math.max(1, I))));
        final SparseEvents ev = layout.events;
        final int[] order = layout.bySample, start = layout.sampleStart;
        final float[][] wins = win;
        final int[] first = shift;
        final float[] y = new float[T2 * B * O];
        workers.forRange(B, (b0, b1) -> {
            float[] col = new float[G * CP];
            for (int o0 = 0; o0 < O; o0 += G) {
                final int n = Math.min(G, O - o0);
                for (int b = b0; b < b1; b++) {
                    Arrays.fill(col, 0, n * CP, 0f);
                    for (int q = start[b]; q < start[b + 1]; q++) {
                        int e = order[q], s0 = ev.feature[e] * O + o0;
                        for (int c = 0; c < chunks; c++) {
                            WindowScatters.add(col, ev.step[e] + c * C, CP, wins[c], first, s0, n, ev.value[e]);
                        }
                    }
                    for (int t = 0; t < T2; t++) {
                        int base = (t * B + b) * O + o0;
                        for (int m = 0; m < n; m++) {
                            y[base + m] = col[m * CP + t];
                        }
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, y);
    }

    /** The windows as chunks in output-row order; once per kernel. */
    private void buildTable(DclsKernel k, Workers workers) {
        if (builtFor == k.generation()) {
            return;
        }
        final int O = k.out, I = k.in, Td = k.taps, W = k.maxW, C = WindowScatters.chunk();
        final int chunks = Math.max(1, (W + C - 1) / C), q = I * O;
        if (win == null || win.length != chunks || win[0].length != q * C) {
            win = new float[chunks][q * C];
            shift = new int[q];
        }
        final int[] lo = k.lo, len = k.len;
        final float[] coef = k.coef;
        final float[][] wins = win;
        final int[] first = shift;
        workers.forRange(I, (i0, i1) -> {
            for (int c = 0; c < chunks; c++) {
                Arrays.fill(wins[c], i0 * O * C, i1 * O * C, 0f);
            }
            for (int s = i0 * O; s < i1 * O; s++) {
                // tap lo + j reaches row t' + taps - 1 - lo - j: the window's last tap comes first
                first[s] = len[s] > 0 ? Td - lo[s] - len[s] : 0;
                for (int j = 0; j < len[s]; j++) {
                    int r = len[s] - 1 - j;
                    wins[r / C][s * C + r % C] = coef[s * W + j];
                }
            }
        });
        builtFor = k.generation();
    }
}
