package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Forward pass as dense sums over each synapse's window of taps, four synapses at a time on {@link WindowOps} (the
 * Vector API when it is on). Per sample, an input contributes only over the steps its events can reach (from its
 * first event to its last plus the delays), so silent inputs cost nothing; within that span the work is vector rows
 * over time, which beats scattering single events once spikes are a few percent dense. One input's outputs are taken
 * in the order their windows start, so that the four members of a group share nearly the same taps and every shifted
 * row they load serves all four.
 *
 * <p>Layouts: the input {@code x[(b * in + i) * PX + t + taps - 1]} (zeros around every sample's row) and the kernel
 * tap-aligned, {@code kf[i][o * taps + n]}. Rows are padded so that every kernel call runs over whole vectors: the
 * extra lanes read zeros or write scratch that is never read. Sums run in a fixed order that does not depend on the
 * thread count.
 */
final class WindowedForward {
    private float[][] kf;   // [in][out * taps]
    private int[][] order;   // per input: its outputs with a window, by window start

    /** y[t2][b][o] for the input's events. */
    SeqTensor forward(DclsKernel k, DclsEventLayout layout, Workers workers) {
        setKernel(k, workers);
        final SparseEvents ev = layout.events;
        final int T2 = layout.outSteps, B = layout.batch, I = k.in, O = k.out, Td = k.taps, L = WindowOps.lanes();
        final int PX = T2 + L + Td - 1, T2Y = T2 + L;
        final int[] lo = k.lo, len = k.len;
        final float[][] kernel = kf;
        final int[][] byStart = order;
        final float[] xr = new float[B * I * PX];
        final int[] first = new int[B * I], last = new int[B * I];   // per (b, i); first > last when no event
        Arrays.fill(first, Integer.MAX_VALUE);
        Arrays.fill(last, -1);
        for (int e = 0; e < ev.count; e++) {
            int key = ev.sample[e] * I + ev.feature[e], t = ev.step[e];
            xr[key * PX + Td - 1 + t] = ev.value[e];
            first[key] = Math.min(first[key], t);
            last[key] = Math.max(last[key], t);
        }
        final float[] y = new float[T2 * B * O];
        workers.forRange(B, (b0, b1) -> {
            float[] ys = new float[O * T2Y];
            for (int b = b0; b < b1; b++) {
                Arrays.fill(ys, 0f);
                for (int i = 0; i < I; i++) {
                    int t0 = first[b * I + i], t1 = last[b * I + i];
                    if (t0 > t1) {
                        continue;
                    }
                    int xi = (b * I + i) * PX;
                    int[] members = byStart[i];
                    float[] c = kernel[i];
                    int g = 0;
                    for (; g + 4 <= members.length; g += 4) {
                        int o0 = members[g], o1 = members[g + 1], o2 = members[g + 2], o3 = members[g + 3];
                        int l = lo[i * O + o0];   // sorted: the group's first window starts first
                        int u = Math.max(Math.max(k.end(i * O + o0), k.end(i * O + o1)),
                                Math.max(k.end(i * O + o2), k.end(i * O + o3))) - l;
                        // tap n = l + j reads x at t2 + n - (taps - 1): non-zero for t2 in [t0 + Td-1 - n, t1 + Td-1 - n]
                        int a = Math.max(0, t0 + Td - l - u), z = Math.min(T2, t1 + Td - l);
                        if (a < z) {
                            WindowOps.addWindow4(ys, o0 * T2Y + a, o1 * T2Y + a, o2 * T2Y + a, o3 * T2Y + a,
                                    xr, xi + a + l, WindowOps.padded(z - a),
                                    c, o0 * Td + l, o1 * Td + l, o2 * Td + l, o3 * Td + l, u);
                        }
                    }
                    for (; g < members.length; g++) {
                        int o = members[g], s = i * O + o, l = lo[s], u = len[s];
                        int a = Math.max(0, t0 + Td - l - u), z = Math.min(T2, t1 + Td - l);
                        if (a < z) {
                            WindowOps.addWindow1(ys, o * T2Y + a, xr, xi + a + l, WindowOps.padded(z - a),
                                    c, o * Td + l, u);
                        }
                    }
                }
                for (int t = 0; t < T2; t++) {
                    int base = (t * B + b) * O;
                    for (int o = 0; o < O; o++) {
                        y[base + o] = ys[o * T2Y + t];
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, y);
    }

    /** The kernel tap-aligned per input, and each input's outputs by window start. */
    private void setKernel(DclsKernel k, Workers workers) {
        final int O = k.out, I = k.in, Td = k.taps, W = k.maxW;
        final int[] lo = k.lo, len = k.len;
        final float[] coef = k.coef;
        if (kf == null) {
            kf = new float[I][O * Td];
        }
        workers.forRange(I, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float[] row = kf[i];
                Arrays.fill(row, 0f);
                for (int o = 0; o < O; o++) {
                    int s = i * O + o;
                    System.arraycopy(coef, s * W, row, o * Td + lo[s], len[s]);
                }
            }
        });
        order = new int[I][];
        for (int i = 0; i < I; i++) {
            final int base = i * O;
            order[i] = k.byWindowStart(O, o -> base + o);
        }
    }
}
