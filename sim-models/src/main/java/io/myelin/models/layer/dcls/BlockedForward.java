package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.BlockSums;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Forward pass as one sum per (sample, output) over the window taps of the synapses from the inputs that fired in the
 * sample, with the output's whole time row in registers ({@link BlockSums#shiftedTerms}):
 * {@code y[t][b][o] = sum over inputs i that fired in sample b (ascending) and window taps n (ascending) of
 * K[o,i,n] x[t + n - (taps - 1)][b][i]}. A term costs a load and a fused multiply-add per vector of steps: the work
 * is (fired inputs x window x outputs x steps), which undercuts {@link EventTapRowForward}'s (events x taps x
 * outputs), read from the larger kernel table, once inputs fire often and windows are narrow. Silent inputs (and
 * those the previous dropout dropped) cost nothing. Each element sums its terms in {@link WindowedForward}'s order,
 * from zero, with fused multiply-adds, and skips only terms whose coefficient or input is zero: the same bits.
 * Threads own samples.
 *
 * <p>Layouts: the sample's input rows {@code x[i * PX + taps - 1 + t]} with zeros around them, and per output its
 * terms (offset {@code i * PX + n} of the input row they read), by input and tap, with their coefficients and inputs:
 * built once per kernel and row pitch, then kept per sample for the inputs that fired.
 */
final class BlockedForward {
    private int[][] offsets;   // per output: i * PX + n, i ascending, n ascending
    private float[][] coefs;
    private int[][] inputs;   // per output: each term's input
    private int builtFor = -1;   // the kernel generation the terms were built for
    private int builtPitch = -1;   // and the input rows' pitch

    SeqTensor forward(DclsKernel k, DclsEventLayout layout, Workers workers) {
        final int T2 = layout.outSteps, B = layout.batch, I = k.in, O = k.out, Td = k.taps;
        final int TP = WindowOps.padded(T2), PX = TP + Td - 1;
        buildTerms(k, PX, workers);
        final SparseEvents ev = layout.events;
        final int[] order = layout.bySample, start = layout.sampleStart;
        final int[][] offset = offsets, input = inputs;
        final float[][] coef = coefs;
        final float[] y = new float[T2 * B * O];
        workers.forRange(B, (b0, b1) -> {
            float[] xr = new float[I * PX];
            float[] ys = new float[O * TP];
            int[] fired = new int[I];   // 1 where the input fired in the sample
            int[] kept = new int[0];
            float[] keptCoef = new float[0];
            for (int b = b0; b < b1; b++) {
                Arrays.fill(xr, 0f);
                Arrays.fill(ys, 0f);
                Arrays.fill(fired, 0);
                for (int q = start[b]; q < start[b + 1]; q++) {
                    int e = order[q];
                    xr[ev.feature[e] * PX + Td - 1 + ev.step[e]] = ev.value[e];
                    fired[ev.feature[e]] = 1;
                }
                for (int o = 0; o < O; o++) {
                    int[] t = offset[o], in = input[o];
                    float[] c = coef[o];
                    if (kept.length < t.length) {
                        kept = new int[t.length];
                        keptCoef = new float[t.length];
                    }
                    int n = 0;
                    for (int m = 0; m < t.length; m++) {
                        // without a branch: which inputs fired is no pattern a predictor learns
                        kept[n] = t[m];
                        keptCoef[n] = c[m];
                        n += fired[in[m]];
                    }
                    BlockSums.shiftedTerms(xr, 0, kept, keptCoef, 0, n, ys, o * TP, TP);
                }
                for (int t = 0; t < T2; t++) {
                    int base = (t * B + b) * O;
                    for (int o = 0; o < O; o++) {
                        y[base + o] = ys[o * TP + t];
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, y);
    }

    /** Per output, its synapses' window taps as terms: inputs ascending, taps ascending (coefficient zero: none). */
    private void buildTerms(DclsKernel k, int PX, Workers workers) {
        if (builtFor == k.generation() && builtPitch == PX) {
            return;
        }
        final int O = k.out, I = k.in, W = k.maxW;
        final int[] lo = k.lo, len = k.len;
        final float[] c = k.coef;
        if (offsets == null) {
            offsets = new int[O][];
            coefs = new float[O][];
            inputs = new int[O][];
        }
        workers.forRange(O, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int n = 0;
                for (int i = 0; i < I; i++) {
                    int s = i * O + o;
                    for (int j = 0; j < len[s]; j++) {
                        if (c[s * W + j] != 0f) {
                            n++;
                        }
                    }
                }
                int[] t = offsets[o] != null && offsets[o].length == n ? offsets[o] : new int[n];
                float[] v = coefs[o] != null && coefs[o].length == n ? coefs[o] : new float[n];
                int[] in = inputs[o] != null && inputs[o].length == n ? inputs[o] : new int[n];
                int m = 0;
                for (int i = 0; i < I; i++) {
                    int s = i * O + o;
                    for (int j = 0; j < len[s]; j++) {
                        float cj = c[s * W + j];
                        if (cj != 0f) {
                            t[m] = i * PX + lo[s] + j;
                            in[m] = i;
                            v[m++] = cj;
                        }
                    }
                }
                offsets[o] = t;
                coefs[o] = v;
                inputs[o] = in;
            }
        });
        builtFor = k.generation();
        builtPitch = PX;
    }
}
