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
 * the gradient would come from memory once per input, and each term's row from the second-level cache at best. So
 * the sums run in cache tiles: per block of output columns ({@link #COLUMNS} vectors), one sample's gradient rows
 * (36 KB at SSC's widest) stay in the first-level cache while every input of a group adds its events of that sample
 * into its tap rows, which stay in the second-level cache ({@link #GRADIENT_TILE_FLOATS}); each call sums all the
 * input's taps, two at a time ({@link BlockSums#tapRows}). Each element goes on from the value the previous sample
 * left in memory, so it adds the same terms in the same order: the same bits as one input at a time over all its
 * events. Threads own (group of inputs, column block) units ({@link #groupSize}); whatever their number, every element
 * adds the same terms in the same order.
 *
 * <p>Layout: the output gradient by column block c of CW outputs (the last padded with zeros), then sample, then
 * step, {@code g[TABLE_OFFSET + ((c * batch + b) * pitch + t2) * CW + o - c * CW]}, each row on a cache line boundary
 * ({@link EventTapRowForward#TABLE_OFFSET}), zero from step {@code steps + (taps - 1) / 2} to the pitch
 * {@code steps + taps - 1}, so that every tap of every event reads a row and a tile of samples is one run of memory;
 * the tap rows of a group of inputs likewise by (column block, input, tap).
 */
final class BlockedKernelGradient {
    /** Tap rows of one group of inputs and column block: 256 KB, a quarter of the second-level cache. */
    static final int GRADIENT_TILE_FLOATS = 1 << 16;
    /**
     * Vectors per column block: four, so that one sample's gradient rows of a block (143 steps x 64 floats at SSC's
     * deepest layer: 36 KB) stay in the first-level cache while every input of the group reads them; two taps run
     * together to keep eight sums in flight ({@link BlockSums#tapRows}).
     */
    static final int COLUMNS = 4;

    private float[] rows;   // the padded output gradient, reused
    private int[] base = new int[0];   // per event (by input): its tap-0 gradient row in column block 0
    private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Work units a layer's kernel gradient is split into at least, (group of inputs, column block) pairs: with one
     * unit per group of the largest tiles, the spoken-digits recipe's layers had 4 to 7 units for two threads, and
     * the thread that finished first waited up to a unit's time for the other.
     */
    static final int MIN_UNITS = 32;

    /**
     * Inputs per group: as many as fill a tile ({@link #GRADIENT_TILE_FLOATS}), but no more than leave
     * {@link #MIN_UNITS} (group, column block) units. The grouping changes no sum: each element adds its terms in
     * sample order whatever group its input is in.
     */
    static int groupSize(int inputs, int taps, int columnWidth, int columnBlocks) {
        int tile = Math.max(1, GRADIENT_TILE_FLOATS / (taps * columnWidth));
        int groupsWanted = (MIN_UNITS + columnBlocks - 1) / columnBlocks;
        int balanced = Math.max(1, (inputs + groupsWanted - 1) / groupsWanted);
        return Math.max(1, Math.min(inputs, Math.min(tile, balanced)));
    }

    /** {@code dK[s * maxW + j]} for every synapse s and window tap j, from the output gradient. */
    void kernelGradient(DclsKernel k, DclsEventLayout layout, SeqTensor gradOut, float[] dK, Workers workers) {
        final int T = layout.steps, B = layout.batch, O = k.out, I = k.in, W = k.maxW, Td = k.taps, P = layout.pitch;
        final int OP = WindowOps.padded(O), L = WindowOps.lanes();
        final int CW = Math.min(OP, COLUMNS * L), NC = (OP + CW - 1) / CW;
        final int G = groupSize(I, Td, CW, NC), groups = (I + G - 1) / G;
        final float[] g = paddedRows(gradOut, P, CW, NC, workers);
        final int[] start = layout.inputStart, rowOf = layout.inputRow;
        final float[] valOf = layout.inputValue;
        final int[] lo = k.lo, len = k.len, liveLo = k.liveLo, liveHi = k.liveHi;
        if (base.length < start[I]) {
            base = new int[start[I] + start[I] / 4];
        }
        final int[] at = base;
        // tap 0 of an event at step t of sample b reads gradient row b * P + t + Td - 1; tap n, n rows back
        workers.forRange(I, (i0, i1) -> {
            for (int q = start[i0]; q < start[i1]; q++) {
                at[q] = TiledEventTapRowForward.TABLE_OFFSET + (rowOf[q] + Td - 1) * CW;
            }
        });
        // units (group, column block), a group's blocks one after another: each writes the dK entries of its
        // inputs' outputs in its block, which no other unit writes
        workers.forRange(groups * NC, (u0, u1) -> {
            float[] dk = scratch.get();
            if (dk.length < G * Td * CW) {
                dk = new float[G * Td * CW];
                scratch.set(dk);
            }
            final float[] acc = dk;
            int[] cursor = new int[G], span = new int[4 * G];
            for (int u = u0; u < u1; u++) {
                final int gr = u / NC, c = u % NC;
                final int iA = gr * G, iZ = Math.min(I, iA + G), gi = iZ - iA;
                final int c0 = c * CW, c1 = Math.min(OP, c0 + CW);
                Arrays.fill(acc, 0, gi * Td * CW, 0f);
                for (int i = iA; i < iZ; i++) {
                    cursor[i - iA] = start[i];
                }
                // per input: the taps [nLo, nHi) with live outputs in this block, and those outputs' whole vectors
                for (int i = iA; i < iZ; i++) {
                    int f = c1, z = c0, a = Td, e = 0;
                    for (int n = 0; n < Td; n++) {
                        int live = i * Td + n;
                        int from = Math.max(c0, liveLo[live] / L * L);
                        int to = Math.min(c1, (liveHi[live] + L - 1) / L * L);
                        if (from < to) {
                            f = Math.min(f, from);
                            z = Math.max(z, to);
                            a = Math.min(a, n);
                            e = n + 1;
                        }
                    }
                    span[4 * (i - iA)] = f;
                    span[4 * (i - iA) + 1] = z;
                    span[4 * (i - iA) + 2] = a;
                    span[4 * (i - iA) + 3] = e;
                }
                for (int b = 0; b < B; b++) {
                    final int rowEnd = (b + 1) * P;   // the events of samples up to b
                    for (int i = iA; i < iZ; i++) {
                        int e0 = cursor[i - iA], e1 = e0;
                        while (e1 < start[i + 1] && rowOf[e1] < rowEnd) {
                            e1++;
                        }
                        cursor[i - iA] = e1;
                        int j = 4 * (i - iA), from = span[j], to = span[j + 1], nLo = span[j + 2], nHi = span[j + 3];
                        if (e0 == e1 || from >= to) {
                            continue;
                        }
                        int d = ((i - iA) * Td + nLo) * CW + from - c0;
                        BlockSums.tapRows(g, at, c * B * P * CW - nLo * CW + from - c0, CW, nHi - nLo, valOf, e0,
                                e1, acc, d, CW, to - from);
                    }
                }
                for (int i = iA; i < iZ; i++) {
                    for (int o = c0, oEnd = Math.min(O, c1); o < oEnd; o++) {
                        int s = i * O + o, cb = s * W;
                        int d = (i - iA) * Td * CW + o - c0;
                        for (int j = 0, n = len[s]; j < n; j++) {
                            dK[cb + j] = acc[d + (lo[s] + j) * CW];
                        }
                    }
                }
            }
        });
    }

    /**
     * The output gradient by (column block, sample, step), zero past its steps up to the pitch. The lanes past O hold
     * zeros or what an earlier batch left there: the sums are lane by lane, and no lane past O is read into a result.
     */
    private float[] paddedRows(SeqTensor g, int P, int CW, int NC, Workers workers) {
        final int T2 = g.steps, B = g.batch, O = g.features;
        final float[] flat = g.data;
        int n = TiledEventTapRowForward.TABLE_OFFSET + NC * B * P * CW;
        // kept from batch to batch while it is long enough: batches of other lengths (the longest sample sets T2)
        // need no fresh array, zeroed by the JVM on the allocating thread alone; the leading offset is never written
        if (rows == null || rows.length < n) {
            rows = new float[n];
        }
        final float[] r = rows;
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                for (int c = 0; c < NC && c * CW < O; c++) {
                    int w = Math.min(CW, O - c * CW), row = TiledEventTapRowForward.TABLE_OFFSET + (c * B + b) * P * CW;
                    for (int t = 0; t < T2; t++) {
                        System.arraycopy(flat, (t * B + b) * O + c * CW, r, row + t * CW, w);
                    }
                    Arrays.fill(r, row + T2 * CW, row + P * CW, 0f);
                }
            }
        });
        return r;
    }
}
