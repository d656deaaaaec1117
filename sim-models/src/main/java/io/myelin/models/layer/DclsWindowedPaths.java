package io.myelin.models.layer;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;

/**
 * The DCLS layer's forward pass and input gradient as dense sums over each synapse's window of taps,
 * four synapses at a time on {@link WindowOps}, for when the Vector API is on. Per sample, an input contributes only
 * over the steps its events can reach (from its first event to its last plus the delays), so silent and dropped
 * inputs cost nothing; within that span the work is vector rows over time, which beats scattering single events
 * once spikes are a few percent dense. Synapses are grouped by where their windows start (outputs of one input for
 * the forward pass, inputs of one output for the input gradient), so that the four members
 * of a group share nearly the same taps and every shifted row they load serves all four. (The kernel gradient stays
 * spike-driven in {@link DclsDelayedDense}: as dense dot products over the same spans it did about ten times the
 * work and measured slower at every sigma.)
 *
 * <p>Layouts: the input {@code x[(b * in + i) * PX + t + taps - 1]} (zeros around every sample's row), the output
 * gradient {@code g[(b * out + o) * PG + t2]} (zero from T2 on), and the kernel tap-aligned, {@code kf[i][o * taps +
 * n]}, and reversed for the input gradient, {@code kr[o][i * taps + taps - 1 - n]}. Rows are padded so that every
 * kernel call runs over whole vectors: the extra lanes read zeros or write scratch that is never read. Sums run in a
 * fixed order that does not depend on the thread count.
 */
final class DclsWindowedPaths {
    private final int in;
    private final int out;
    private final int taps;

    // kernel
    private float[][] kf;   // [in][out * taps]
    private float[][] kr;   // [out][in * taps]
    private int[] lo, len;  // per synapse s = i * out + o
    private float[] coef;   // [s * maxW + j]
    private int maxW;
    private boolean backwardKernelReady;   // kr and bwdOrder are those of this pass
    private int[][] fwdOrder;   // per input: its outputs with a window, by window start
    private int[][] bwdOrder;   // per output: its inputs with a window, by window start

    // forward cache
    private int steps, outSteps, batch, px, pg;
    private int[] first, last;   // per (b, i): steps of the first and last event, first > last when none

    DclsWindowedPaths(int in, int out, int taps) {
        this.in = in;
        this.out = out;
        this.taps = taps;
        this.kf = new float[in][out * taps];
        this.kr = new float[out][in * taps];
    }

    /**
     * Takes the kernel of this pass: synapse s's window {@code [lo[s], lo[s] + len[s])} and its coefficients. The
     * reversed kernel of the input gradient is built only if {@link #inputGradient} runs (never for a first layer or
     * in evaluation).
     */
    void setKernel(int[] lo, int[] len, float[] coef, int maxW, Workers workers) {
        this.lo = lo;
        this.len = len;
        this.coef = coef;
        this.maxW = maxW;
        this.backwardKernelReady = false;
        final int O = out, I = in, Td = taps;
        workers.forRange(I, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float[] row = kf[i];
                java.util.Arrays.fill(row, 0f);
                for (int o = 0; o < O; o++) {
                    int s = i * O + o;
                    System.arraycopy(coef, s * maxW, row, o * Td + lo[s], len[s]);
                }
            }
        });
        fwdOrder = new int[I][];
        for (int i = 0; i < I; i++) {
            final int base = i * O;
            fwdOrder[i] = byWindowStart(O, o -> base + o);
        }
    }

    private void buildBackwardKernel(Workers workers) {
        if (backwardKernelReady) {
            return;
        }
        final int O = out, I = in, Td = taps, W = maxW;
        final float[] c = coef;
        workers.forRange(O, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                float[] row = kr[o];
                java.util.Arrays.fill(row, 0f);
                for (int i = 0; i < I; i++) {
                    int s = i * O + o;
                    for (int j = 0; j < len[s]; j++) {
                        row[i * Td + Td - 1 - (lo[s] + j)] = c[s * W + j];
                    }
                }
            }
        });
        bwdOrder = new int[O][];
        for (int o = 0; o < O; o++) {
            final int oo = o;
            bwdOrder[o] = byWindowStart(I, i -> i * O + oo);
        }
        backwardKernelReady = true;
    }

    /** Members {@code 0..n-1} that have a window, stably sorted by where it starts (a counting sort). */
    private int[] byWindowStart(int n, java.util.function.IntUnaryOperator synapse) {
        int[] count = new int[taps + 1];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int s = synapse.applyAsInt(k);
            if (len[s] > 0) {
                count[lo[s] + 1]++;
                m++;
            }
        }
        for (int t = 0; t < taps; t++) {
            count[t + 1] += count[t];
        }
        int[] order = new int[m];
        for (int k = 0; k < n; k++) {
            int s = synapse.applyAsInt(k);
            if (len[s] > 0) {
                order[count[lo[s]]++] = k;
            }
        }
        return order;
    }

    /** y[t2][b][o] for the input's events. */
    SeqTensor forward(SeqTensor x, SparseEvents ev, int outSteps, Workers workers) {
        final int T = x.steps, B = x.batch, I = in, O = out, Td = taps, T2 = outSteps, L = WindowOps.lanes();
        this.steps = T;
        this.outSteps = T2;
        this.batch = B;
        this.px = T2 + L + Td - 1;
        this.pg = Math.max(T2 + L, WindowOps.padded(T) + Td - 1);
        final int PX = px, T2Y = T2 + L;
        final float[] xr = new float[B * I * PX];
        first = new int[B * I];
        last = new int[B * I];
        java.util.Arrays.fill(first, Integer.MAX_VALUE);
        java.util.Arrays.fill(last, -1);
        for (int e = 0; e < ev.count; e++) {
            int k = ev.sample[e] * I + ev.feature[e], t = ev.step[e];
            xr[k * PX + Td - 1 + t] = ev.value[e];
            first[k] = Math.min(first[k], t);
            last[k] = Math.max(last[k], t);
        }
        final float[] y = new float[T2 * B * O];
        workers.forRange(B, (b0, b1) -> {
            float[] ys = new float[O * T2Y];
            for (int b = b0; b < b1; b++) {
                java.util.Arrays.fill(ys, 0f);
                for (int i = 0; i < I; i++) {
                    int t0 = first[b * I + i], t1 = last[b * I + i];
                    if (t0 > t1) {
                        continue;
                    }
                    int xi = (b * I + i) * PX;
                    int[] order = fwdOrder[i];
                    float[] c = kf[i];
                    int g = 0;
                    for (; g + 4 <= order.length; g += 4) {
                        int o0 = order[g], o1 = order[g + 1], o2 = order[g + 2], o3 = order[g + 3];
                        int l = lo[i * O + o0];   // sorted: the group's first window starts first
                        int u = Math.max(Math.max(end(i, o0), end(i, o1)), Math.max(end(i, o2), end(i, o3))) - l;
                        // tap n = l + j reads x at t2 + n - (taps - 1): non-zero for t2 in [t0 + Td-1 - n, t1 + Td-1 - n]
                        int a = Math.max(0, t0 + Td - l - u), z = Math.min(T2, t1 + Td - l);
                        if (a < z) {
                            WindowOps.addWindow4(ys, o0 * T2Y + a, o1 * T2Y + a, o2 * T2Y + a, o3 * T2Y + a,
                                    xr, xi + a + l, WindowOps.padded(z - a),
                                    c, o0 * Td + l, o1 * Td + l, o2 * Td + l, o3 * Td + l, u);
                        }
                    }
                    for (; g < order.length; g++) {
                        int o = order[g], s = i * O + o, l = lo[s], u = len[s];
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

    private int end(int i, int o) {
        int s = i * out + o;
        return lo[s] + len[s];
    }

    /** The output gradient by sample and output, {@code g[(b * out + o) * PG + t2]}, zero from T2 to PG. */
    float[] gradientRows(SeqTensor g, Workers workers) {
        final int T2 = outSteps, B = batch, O = out, PG = pg;
        final float[] flat = g.data;
        final float[] gr = new float[B * O * PG];
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int rb = b * O * PG;
                for (int t = 0; t < T2; t++) {
                    int base = (t * B + b) * O;
                    for (int o = 0; o < O; o++) {
                        gr[rb + o * PG + t] = flat[base + o];
                    }
                }
            }
        });
        return gr;
    }

    /**
     * dL/dx[t][b][i] = sum over outputs o and window taps n of K[o,i,n] g[t + taps-1-n][b][o]. Threads own samples;
     * per output, the inputs the caller's mask keeps for the sample are taken four at a time in window-start order.
     */
    SeqTensor inputGradient(float[] gr, float[] keep, Workers workers) {
        buildBackwardKernel(workers);
        final int T = steps, B = batch, I = in, O = out, Td = taps, PG = pg, TP = WindowOps.padded(T);
        final float[] dx = new float[T * B * I];
        workers.forRange(B, (b0, b1) -> {
            float[] dxs = new float[I * TP];
            int[] kept = new int[I];
            for (int b = b0; b < b1; b++) {
                java.util.Arrays.fill(dxs, 0f);
                for (int o = 0; o < O; o++) {
                    int[] order = bwdOrder[o];
                    int n = 0;
                    for (int i : order) {
                        if (keep == null || keep[b * I + i] != 0f) {
                            kept[n++] = i;
                        }
                    }
                    float[] c = kr[o];
                    int go = (b * O + o) * PG;
                    int g = 0;
                    for (; g + 4 <= n; g += 4) {
                        int i0 = kept[g], i1 = kept[g + 1], i2 = kept[g + 2], i3 = kept[g + 3];
                        int s0 = i0 * O + o, s1 = i1 * O + o, s2 = i2 * O + o, s3 = i3 * O + o;
                        int l = lo[s0];   // sorted by window start
                        int u = Math.max(Math.max(lo[s0] + len[s0], lo[s1] + len[s1]),
                                Math.max(lo[s2] + len[s2], lo[s3] + len[s3])) - l;
                        int r = Td - l - u;   // reversed taps: j = l + u - 1 - n reads g at t + r + j
                        WindowOps.addWindow4(dxs, i0 * TP, i1 * TP, i2 * TP, i3 * TP, gr, go + r, TP, c,
                                i0 * Td + r, i1 * Td + r, i2 * Td + r, i3 * Td + r, u);
                    }
                    for (; g < n; g++) {
                        int i = kept[g], s = i * O + o, l = lo[s], u = len[s], r = Td - l - u;
                        WindowOps.addWindow1(dxs, i * TP, gr, go + r, TP, c, i * Td + r, u);
                    }
                }
                for (int t = 0; t < T; t++) {
                    int base = (t * B + b) * I;
                    for (int i = 0; i < I; i++) {
                        dx[base + i] = dxs[i * TP + t];
                    }
                }
            }
        });
        return new SeqTensor(T, B, I, dx);
    }
}
