package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.VectorOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Spike-driven forward pass for wide windows: every non-zero input adds its value times its kernel rows, one dense
 * row over the outputs per tap (zero outside the windows), into the delayed output rows, over the live outputs of
 * each tap. Threads own samples; each sample's events are taken by input, then time, so the input's kernel rows and
 * the sample's few output rows stay in cache.
 */
final class TapRowScatterForward {
    /** {@code [i * taps + n][o]}: the kernel by (input, tap), built from each pass's kernel. */
    private float[][] tapMajor;

    SeqTensor forward(DclsKernel k, DclsEventLayout layout, Workers workers) {
        fillTapMajor(k, workers);
        final int T2 = layout.outSteps, B = layout.batch, O = k.out, Td = k.taps;
        final float[][] y = new float[T2 * B][O];
        final float[][] rows = tapMajor;
        final int[] liveLo = k.liveLo, liveHi = k.liveHi;
        final SparseEvents ev = layout.events;
        final int[] order = layout.bySample, start = layout.sampleStart;
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                for (int q = start[b]; q < start[b + 1]; q++) {
                    int e = order[q];
                    int t = ev.step[e], i = ev.feature[e];
                    float val = ev.value[e];
                    for (int n = Math.max(0, t + Td - T2); n < Td; n++) {
                        int live = i * Td + n;
                        if (liveLo[live] < liveHi[live]) {
                            VectorOps.axpy(y[(t + Td - 1 - n) * B + b], val, rows[live], liveLo[live], liveHi[live]);
                        }
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, VectorOps.flatten(y, O));
    }

    private void fillTapMajor(DclsKernel k, Workers workers) {
        final int O = k.out, Td = k.taps, W = k.maxW;
        if (tapMajor == null) {
            tapMajor = new float[k.in * Td][O];
        }
        final float[][] rows = tapMajor;
        final int[] lo = k.lo, len = k.len;
        final float[] coef = k.coef;
        workers.forRange(k.in, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int n = 0; n < Td; n++) {
                    Arrays.fill(rows[i * Td + n], 0f);
                }
                for (int o = 0; o < O; o++) {
                    int s = i * O + o, cb = s * W;
                    for (int j = 0; j < len[s]; j++) {
                        rows[i * Td + lo[s] + j][o] = coef[cb + j];
                    }
                }
            }
        });
    }
}
