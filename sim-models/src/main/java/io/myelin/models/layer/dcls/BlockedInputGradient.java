package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.BlockSums;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Input gradient as one sum per (sample, kept input) over every synapse's window taps, with the input's whole time
 * row held in registers ({@link BlockSums#shiftedTerms}):
 * {@code dL/dx[t][b][i] = sum over outputs o (ascending) and window taps n (descending) of K[o,i,n] g[t + taps-1-n][b][o]}.
 * Each term is one broadcast coefficient and one shifted gradient row, so a term costs a load and a fused
 * multiply-add per vector and the row is stored once, where adding synapse after synapse into memory
 * ({@link WindowedInputGradient}) also loads and stores the row for every group of synapses. Inputs the caller's mask
 * drops for a sample are skipped. Each element sums its terms in the order of {@link WindowedInputGradient}, from
 * zero, with fused multiply-adds, and skips only terms whose coefficient is zero: the same bits. Kept inputs whose
 * terms read the same rows (every window alike, as at wide sigma where each spans all taps) are summed four together
 * ({@link BlockSums#shiftedTermQuads}; two, {@link BlockSums#shiftedTermPairs}, or one for the rest of a run): the
 * unaligned row loads, not the multiply-adds, bound a single sum, and one load then serves four (about 15 % faster
 * than two at SSC's 512 x 512 x 31 layers). Threads own samples.
 *
 * <p>Layouts: the output gradient {@code g[(b * out + o) * PG + t2]} (zero from T2 on) and, per input, its terms
 * (offset {@code o * PG + taps - 1 - n} of the gradient row they read) with their coefficients, built once per kernel
 * and row pitch.
 */
final class BlockedInputGradient {
    private int[][] offsets;   // per input: o * PG + taps - 1 - n, o ascending, n descending
    private float[][] coefs;
    /**
     * Per input: equal for consecutive inputs whose terms read the same rows (windows alike, as at wide sigma, where
     * every window spans all taps), which are then summed together, one load of each row serving several.
     */
    private int[] groups;
    /** The offsets every input shares after {@link #buildUnionTerms}, which no input may reuse as its own. */
    private int[] unionOffsets;
    private int builtFor = -1;   // the kernel generation the terms were built for
    private int builtPitch = -1;   // and the gradient rows' pitch
    private float[] rows;   // the output gradient by (sample, output), reused

    /** dL/dx, zero where {@code keep[b * in + i]} is zero (null keep: everywhere). */
    SeqTensor inputGradient(DclsKernel k, DclsEventLayout layout, SeqTensor gradOut, float[] keep, Workers workers) {
        final int T = layout.steps, B = layout.batch, I = k.in, O = k.out, Td = k.taps;
        final int TP = WindowOps.padded(T), PG = TP + Td - 1;
        buildTerms(k, PG, workers);
        final float[] gr = gradientRows(gradOut, PG, workers);
        final int[][] offset = offsets;
        final float[][] coef = coefs;
        final float[] dx = new float[T * B * I];
        final int[] group = groups;
        workers.forRange(B, (b0, b1) -> {
            float[] dxs = new float[I * TP];
            int[] waiting = new int[4];   // kept inputs not yet summed, with the same terms
            for (int b = b0; b < b1; b++) {
                int base = b * O * PG, count = 0;
                for (int i = 0; i < I; i++) {
                    if (keep == null || keep[b * I + i] != 0f) {
                        Arrays.fill(dxs, i * TP, (i + 1) * TP, 0f);
                        if (count > 0 && group[waiting[0]] != group[i]) {
                            sum(gr, base, offset, coef, waiting, count, dxs, TP);
                            count = 0;
                        }
                        waiting[count++] = i;
                        if (count == 4) {
                            sum(gr, base, offset, coef, waiting, count, dxs, TP);
                            count = 0;
                        }
                    }
                }
                sum(gr, base, offset, coef, waiting, count, dxs, TP);
                for (int t = 0; t < T; t++) {
                    int row = (t * B + b) * I;
                    for (int i = 0; i < I; i++) {
                        if (keep == null || keep[b * I + i] != 0f) {
                            dx[row + i] = dxs[i * TP + t];
                        }
                    }
                }
            }
        });
        return new SeqTensor(T, B, I, dx);
    }

    /** The sums of {@code count} inputs with the same terms: four, two or one at a time. */
    private static void sum(float[] gr, int base, int[][] offset, float[][] coef, int[] in, int count, float[] dxs,
                            int TP) {
        if (count == 0) {
            return;
        }
        int[] t = offset[in[0]];
        if (count == 4) {
            BlockSums.shiftedTermQuads(gr, base, t, new float[][]{coef[in[0]], coef[in[1]], coef[in[2]], coef[in[3]]}, 0,
                    t.length, dxs, new int[]{in[0] * TP, in[1] * TP, in[2] * TP, in[3] * TP}, TP);
            return;
        }
        int j = 0;
        for (; j + 1 < count; j += 2) {
            BlockSums.shiftedTermPairs(gr, base, t, coef[in[j]], coef[in[j + 1]], 0, t.length, dxs, in[j] * TP,
                    in[j + 1] * TP, TP);
        }
        if (j < count) {
            BlockSums.shiftedTerms(gr, base, t, coef[in[j]], 0, t.length, dxs, in[j] * TP, TP);
        }
    }

    /**
     * Windows at least this full, on average, of each output's union over the inputs are padded to that union: a
     * single sum, bound by its row loads, cost 1.7 times a sum of four per term at SSC's layers (mid-sigma against wide
     * `bench train --profile`), so four sums over the union cost less than one each over its own window down to about
     * 0.6 of it.
     */
    static final double PAD_TO_UNION = 0.6;

    /**
     * Per input, its synapses' window taps as terms: outputs ascending, taps descending (coefficient zero: none). Where
     * the windows fill {@link #PAD_TO_UNION} of each output's union over the inputs (between the wide and the floor
     * sigma, windows clipped at the first or last tap differ from input to input), every input's terms are that union,
     * its own coefficients in their places and zeros elsewhere: all inputs then read the same rows and are summed four
     * together. A zero term changes no partial sum ({@code fma(0, g, s) == s} for finite g and a sum that is never
     * -0, the argument by which zero coefficients are skipped), so the bits are those of the unpadded terms.
     */
    private void buildTerms(DclsKernel k, int PG, Workers workers) {
        if (builtFor == k.generation() && builtPitch == PG) {
            return;
        }
        final int O = k.out, I = k.in, Td = k.taps;
        final int[] lo = k.lo, len = k.len;
        if (offsets == null) {
            offsets = new int[I][];
            coefs = new float[I][];
        }
        // each output's union of windows over the inputs, [uLo, uHi], and how full the windows are of it
        final int[] uLo = new int[O], uHi = new int[O];
        Arrays.fill(uLo, Td);
        Arrays.fill(uHi, -1);
        long own = 0;
        for (int i = 0; i < I; i++) {
            for (int o = 0; o < O; o++) {
                int s = i * O + o;
                if (len[s] > 0) {
                    uLo[o] = Math.min(uLo[o], lo[s]);
                    uHi[o] = Math.max(uHi[o], lo[s] + len[s] - 1);
                    own += len[s];
                }
            }
        }
        long union = 0;
        for (int o = 0; o < O; o++) {
            union += Math.max(0, uHi[o] - uLo[o] + 1);
        }
        if (union > 0 && own < (long) I * union && own >= PAD_TO_UNION * I * union) {
            buildUnionTerms(k, PG, uLo, uHi, (int) union, workers);
        } else {
            buildOwnTerms(k, PG, workers);
        }
        if (groups == null || groups.length != I) {
            groups = new int[I];
        }
        for (int i = 0; i < I; i++) {
            groups[i] = i > 0 && Arrays.equals(offsets[i], offsets[i - 1]) ? groups[i - 1] : i;
        }
        builtFor = k.generation();
        builtPitch = PG;
    }

    /** Every input's own window taps as terms (coefficient zero: none). */
    private void buildOwnTerms(DclsKernel k, int PG, Workers workers) {
        final int O = k.out, I = k.in, Td = k.taps, W = k.maxW;
        final int[] lo = k.lo, len = k.len;
        final float[] c = k.coef;
        workers.forRange(I, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int n = 0;
                for (int o = 0; o < O; o++) {
                    int s = i * O + o;
                    for (int j = len[s] - 1; j >= 0; j--) {
                        if (c[s * W + j] != 0f) {
                            n++;
                        }
                    }
                }
                // an array of its own to write into: never the one the union terms share
                int[] t = offsets[i] != null && offsets[i].length == n && offsets[i] != unionOffsets ? offsets[i]
                        : new int[n];
                float[] v = coefs[i] != null && coefs[i].length == n ? coefs[i] : new float[n];
                int m = 0;
                for (int o = 0; o < O; o++) {
                    int s = i * O + o;
                    for (int j = len[s] - 1; j >= 0; j--) {
                        float cj = c[s * W + j];
                        if (cj != 0f) {
                            t[m] = o * PG + Td - 1 - (lo[s] + j);
                            v[m++] = cj;
                        }
                    }
                }
                offsets[i] = t;
                coefs[i] = v;
            }
        });
    }

    /**
     * Every input's terms over each output's union window {@code [uLo[o], uHi[o]]} (taps descending): one offsets
     * array shared by all inputs, so they form one group.
     */
    private void buildUnionTerms(DclsKernel k, int PG, int[] uLo, int[] uHi, int n, Workers workers) {
        final int O = k.out, I = k.in, Td = k.taps, W = k.maxW;
        final int[] lo = k.lo, len = k.len;
        final float[] c = k.coef;
        int[] shared = new int[n];
        unionOffsets = shared;
        int m = 0;
        for (int o = 0; o < O; o++) {
            for (int tap = uHi[o]; tap >= uLo[o]; tap--) {
                shared[m++] = o * PG + Td - 1 - tap;
            }
        }
        workers.forRange(I, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float[] v = coefs[i] != null && coefs[i].length == n ? coefs[i] : new float[n];
                int at = 0;
                for (int o = 0; o < O; o++) {
                    int s = i * O + o;
                    for (int tap = uHi[o]; tap >= uLo[o]; tap--) {
                        int j = tap - lo[s];
                        v[at++] = j >= 0 && j < len[s] ? c[s * W + j] : 0f;
                    }
                }
                offsets[i] = shared;
                coefs[i] = v;
            }
        });
    }

    /** The output gradient by sample and output, {@code g[(b * out + o) * PG + t2]}, zero from T2 to PG. */
    private float[] gradientRows(SeqTensor g, int PG, Workers workers) {
        final int T2 = g.steps, B = g.batch, O = g.features;
        final float[] flat = g.data;
        // every entry up to B * O * PG is written below: an array kept from a longer batch serves as it is
        if (rows == null || rows.length < B * O * PG) {
            rows = new float[B * O * PG];
        }
        final float[] gr = rows;
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int rb = b * O * PG;
                for (int t = 0; t < T2; t++) {
                    int base = (t * B + b) * O;
                    for (int o = 0; o < O; o++) {
                        gr[rb + o * PG + t] = flat[base + o];
                    }
                }
                for (int o = 0; o < O; o++) {
                    Arrays.fill(gr, rb + o * PG + T2, rb + (o + 1) * PG, 0f);
                }
            }
        });
        return gr;
    }
}
