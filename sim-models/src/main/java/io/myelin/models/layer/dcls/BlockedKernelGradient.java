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
 * events. Threads own groups of inputs; whatever their number, every element adds the same terms in the same order.
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

    /** {@code dK[s * maxW + j]} for every synapse s and window tap j, from the output gradient. */
    void kernelGradient(DclsKernel k, DclsEventLayout layout, SeqTensor gradOut, float[] dK, Workers workers) {
        final int T = layout.steps, B = layout.batch, O = k.out, I = k.in, W = k.maxW, Td = k.taps, P = layout.pitch;
        final int OP = WindowOps.padded(O), L = WindowOps.lanes();
        final int CW = Math.min(OP, COLUMNS * L), NC = (OP + CW - 1) / CW;
        final int G = Math.max(1, Math.min(I, GRADIENT_TILE_FLOATS / (Td * CW))), groups = (I + G - 1) / G;
        final float[] g = paddedRows(gradOut, P, CW, NC, workers);
        final int[] start = layout.inputStart, rowOf = layout.inputRow;
        final float[] valOf = layout.inputValue;
        final int[] lo = k.lo, len = k.len, liveLo = k.liveLo, liveHi = k.liveHi;
        if (base.length < start[I]) {
            base = new int[start[I] + start[I] / 4];
        }
        final int[] at = base;
        workers.forRange(groups, (g0, g1) -> {
            float[] dk = scratch.get();
            if (dk.length < NC * G * Td * CW) {
                dk = new float[NC * G * Td * CW];
                scratch.set(dk);
            }
            final float[] acc = dk;
            int[] cursor = new int[G], span = new int[4 * G];
            for (int gr = g0; gr < g1; gr++) {
                final int iA = gr * G, iZ = Math.min(I, iA + G), gi = iZ - iA;
                // tap 0 of an event at step t of sample b reads gradient row b * P + t + Td - 1; tap n, n rows back
                for (int q = start[iA]; q < start[iZ]; q++) {
                    at[q] = TiledEventTapRowForward.TABLE_OFFSET + (rowOf[q] + Td - 1) * CW;
                }
                Arrays.fill(acc, 0, NC * gi * Td * CW, 0f);
                for (int c = 0; c < NC; c++) {
                    final int c0 = c * CW, c1 = Math.min(OP, c0 + CW);
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
                            int d = ((c * gi + i - iA) * Td + nLo) * CW + from - c0;
                            BlockSums.tapRows(g, at, c * B * P * CW - nLo * CW + from - c0, CW, nHi - nLo, valOf, e0,
                                    e1, acc, d, CW, to - from);
                        }
                    }
                }
                for (int i = iA; i < iZ; i++) {
                    for (int o = 0; o < O; o++) {
                        int s = i * O + o, cb = s * W, c = o / CW;
                        int d = ((c * gi + i - iA) * Td) * CW + o - c * CW;
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
