package io.myelin.models.delay.inference;

import io.myelin.core.data.BinnedSample;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;
import java.util.List;

/**
 * One thread's workspace for running samples through a {@link RoundedDelayNetwork}, one sample at a time and a layer
 * at a time. Each layer's input is held as time rows of bytes, one per input neuron ({@code rows[k][i * stride + pad +
 * t]}: step t of input i, a spike (1) or an input's spike count, zero where it is silent and for {@code pad} = max
 * delay steps before step 0; an input sample with a count over 127 in one frame goes to float rows instead), with the
 * steps where each input is active ({@code first .. last}) and the active inputs in ascending order; a layer computes its
 * outputs' input over the sample's steps from these rows ({@link TimeRowKernels#sums}), then runs its neurons over
 * those steps and writes their spikes as the next layer's rows. Only entries that were set are cleared after a sample,
 * and the arrays grow to the longest sample seen: no allocation per sample beyond its readout trace.
 */
final class SampleRun {
    private final RoundedDelayNetwork net;
    private final List<RoundedDelayNetwork.Layer> layers;
    private final int lanes;
    private final int pad;
    private int capacity;   // steps per row (a multiple of lanes)
    private int stride;     // pad + capacity
    private final byte[][] rows;
    /** The input layer's rows as floats, for a sample whose counts do not fit a byte (null until one comes). */
    private float[] wideInput;
    /** Whether the current sample's input is in {@link #wideInput}. */
    private boolean wide;
    private final int[][] first, last, act;
    private final int[] nAct;
    private float[] y;       // [maxOut][capacity]
    /** Spikes of each block of lanes outputs in the current layer (each block is run by one thread). */
    private final int[] blockSpikes;
    /** Per block: the LIF tile, spike counts, first and last spike steps. */
    private final float[][] tiles, counts, spanFirst, spanLast;
    /** Per layer input: the first and last step with any event (an empty span when there is none). */
    private final int[] inputFirst, inputLast;
    /** Non-zero input entries per layer over all samples run (times the layer's outputs: its synaptic events). */
    final long[] inputEntries;

    SampleRun(RoundedDelayNetwork net) {
        this.net = net;
        this.layers = net.layers();
        this.lanes = TimeRowKernels.lanes();
        this.pad = net.maxDelay();
        int n = layers.size();
        rows = new byte[n][];
        first = new int[n][];
        last = new int[n][];
        act = new int[n][];
        nAct = new int[n];
        for (int k = 0; k < n; k++) {
            int in = layers.get(k).in();
            first[k] = new int[in];
            last[k] = new int[in];
            Arrays.fill(first[k], Integer.MAX_VALUE);
            Arrays.fill(last[k], -1);
            act[k] = new int[in];
        }
        int blocks = (net.maxWidth() + lanes - 1) / lanes;
        blockSpikes = new int[blocks];
        tiles = new float[blocks][];
        counts = new float[blocks][lanes];
        spanFirst = new float[blocks][lanes];
        spanLast = new float[blocks][lanes];
        inputFirst = new int[n];
        inputLast = new int[n];
        inputEntries = new long[n];
        ensure(8 * lanes);
    }

    /** Room for rows of {@code steps} steps in whole vectors (the sum kernels have a block for every width). */
    private void ensure(int steps) {
        int cap = (steps + lanes - 1) / lanes * lanes;
        if (cap <= capacity) {
            return;
        }
        capacity = cap;
        stride = pad + cap;
        for (int k = 0; k < layers.size(); k++) {
            rows[k] = new byte[layers.get(k).in() * stride + TimeRowKernels.rowSlack()];
        }
        if (wideInput != null) {
            wideInput = new float[layers.get(0).in() * stride];
        }
        y = new float[net.maxWidth() * cap];
        for (int b = 0; b < tiles.length; b++) {
            tiles[b] = new float[lanes * (cap + lanes)];   // rows, then a block of scratch
        }
    }

    /**
     * The logits {@code sum_t softmax(V_t)} of one sample over its valid steps, as {@code DelaySnn} computes them in
     * evaluation. {@code workers} split each layer's outputs (one sample at a time); null: this thread alone.
     */
    float[] logits(BinnedSample s, Workers workers) {
        int frames = Math.max(1, s.frames());
        int steps = net.validSteps(frames);
        ensure(steps);
        int vectors = (steps + lanes - 1) / lanes;
        loadInput(s);
        float[] trace = null;
        for (int k = 0; k < layers.size(); k++) {
            RoundedDelayNetwork.Layer l = layers.get(k);
            if (l.hidden()) {
                runHidden(k, l, vectors, steps, workers);
            } else {
                trace = runReadout(k, l, vectors, steps);
            }
        }
        clear();
        return SumSoftmaxCrossEntropy.logits(new SeqTensor(steps, 1, net.classes(), trace), new int[]{steps})[0];
    }

    private void loadInput(BinnedSample s) {
        int[] f = s.eventFrame(), c = s.eventChannel();
        float[] cnt = s.eventCount();
        wide = false;
        for (float v : cnt) {
            if (v != (byte) v) {
                wide = true;
                break;
            }
        }
        if (wide && wideInput == null) {
            wideInput = new float[layers.get(0).in() * stride];
        }
        byte[] x = rows[0];
        int[] fi = first[0], la = last[0];
        for (int e = 0; e < f.length; e++) {
            int i = c[e], t = f[e];
            if (wide) {
                wideInput[i * stride + pad + t] = cnt[e];
            } else {
                x[i * stride + pad + t] = (byte) cnt[e];
            }
            if (fi[i] > t) {
                fi[i] = t;
            }
            if (la[i] < t) {
                la[i] = t;
            }
        }
        inputEntries[0] += f.length;
        collectActive(0);
    }

    /** Inputs of layer k with any event, ascending, and the steps from the first to the last event of any. */
    private void collectActive(int k) {
        int[] fi = first[k], la = last[k], a = act[k];
        int n = 0, lo = Integer.MAX_VALUE, hi = -1;
        for (int i = 0; i < fi.length; i++) {
            if (fi[i] <= la[i]) {
                a[n++] = i;
                lo = Math.min(lo, fi[i]);
                hi = Math.max(hi, la[i]);
            }
        }
        nAct[k] = n;
        inputFirst[k] = lo;
        inputLast[k] = hi;
    }

    private void runHidden(int k, RoundedDelayNetwork.Layer l, int vectors, int steps, Workers workers) {
        int out = l.out();
        int blocks = (out + lanes - 1) / lanes;
        if (workers == null || workers.threads() == 1) {
            hiddenBlocks(k, l, 0, blocks, vectors, steps);
        } else {
            workers.forRange(blocks, (b0, b1) -> hiddenBlocks(k, l, b0, b1, vectors, steps));
        }
        for (int b = 0; b < blocks; b++) {
            inputEntries[k + 1] += blockSpikes[b];
        }
        collectActive(k + 1);
    }

    /** Output blocks [b0, b1) of hidden layer k: their input rows, then their neurons; spikes to layer k + 1's rows. */
    private void hiddenBlocks(int k, RoundedDelayNetwork.Layer l, int b0, int b1, int vectors, int steps) {
        for (int b = b0; b < b1; b++) {
            blockSpikes[b] = hiddenRange(k, l, b, b * lanes, Math.min(l.out(), (b + 1) * lanes), vectors, steps);
        }
    }

    private int hiddenRange(int k, RoundedDelayNetwork.Layer l, int block, int from, int to, int vectors, int steps) {
        float[] sc = l.scale(), sh = l.shift();
        int v0 = reachFrom(k), v1 = reachTo(k, l, vectors);
        for (int o = from; o < to; o++) {
            sums(k, l, o, v0, v1, vectors, true, sc[o], sh[o]);
        }
        float[] c = counts[block], sf = spanFirst[block], sl = spanLast[block];
        TimeRowKernels.lif(y, from, to, capacity, steps, net.tau(), net.threshold(), rows[k + 1], stride, pad,
                tiles[block], c, sf, sl);
        int[] fi = first[k + 1], la = last[k + 1];
        int spikes = 0;
        for (int o = from; o < to; o++) {
            int s = (int) c[o - from];
            if (s > 0) {
                fi[o] = (int) sf[o - from];
                la[o] = (int) sl[o - from];
                spikes += s;
            }
        }
        return spikes;
    }

    /** The readout's membrane trace {@code [steps][classes]}: the non-firing LIF of {@code IntegratorReadout}. */
    private float[] runReadout(int k, RoundedDelayNetwork.Layer l, int vectors, int steps) {
        int out = l.out();
        int v0 = reachFrom(k), v1 = reachTo(k, l, vectors);
        for (int o = 0; o < out; o++) {
            sums(k, l, o, v0, v1, vectors, false, 1f, 0f);
        }
        float tau = net.tau();
        float[] trace = new float[steps * out];
        for (int o = 0; o < out; o++) {
            float v = 0f;
            int base = o * capacity;
            for (int t = 0; t < steps; t++) {
                v = v - v / tau + y[base + t];
                trace[t * out + o] = v;
            }
        }
        return trace;
    }

    /** Output o's input row of layer k ({@link TimeRowKernels#sums}), from float rows where the sample needs them. */
    private void sums(int k, RoundedDelayNetwork.Layer l, int o, int v0, int v1, int vectors, boolean affine,
                      float scale, float shift) {
        int ob = o * l.in();
        if (k == 0 && wide) {
            TimeRowKernels.sumsOfFloats(wideInput, stride, pad, act[k], nAct[k], l.weight(), l.delay(), ob, y,
                    o * capacity, vectors, affine, scale, shift);
        } else {
            TimeRowKernels.sums(rows[k], stride, pad, act[k], nAct[k], l.weight(), l.delay(), ob, y, o * capacity, v0,
                    v1, vectors, affine, scale, shift);
        }
    }

    /** The first vector of steps layer k's inputs reach: none before its first input event. */
    private int reachFrom(int k) {
        return nAct[k] == 0 ? 0 : inputFirst[k] / lanes;
    }

    /** One past the last vector of steps layer k's inputs reach: none after its last event plus the longest delay. */
    private int reachTo(int k, RoundedDelayNetwork.Layer l, int vectors) {
        return nAct[k] == 0 ? 0 : Math.min(vectors, (inputLast[k] + l.maxDelay()) / lanes + 1);
    }

    /** Zeroes what this sample set in the rows, so the next sample starts from silence. */
    private void clear() {
        for (int k = 0; k < layers.size(); k++) {
            byte[] x = rows[k];
            int[] fi = first[k], la = last[k], a = act[k];
            for (int j = 0; j < nAct[k]; j++) {
                int i = a[j];
                if (k == 0 && wide) {
                    Arrays.fill(wideInput, i * stride + pad + fi[i], i * stride + pad + la[i] + 1, 0f);
                } else {
                    Arrays.fill(x, i * stride + pad + fi[i], i * stride + pad + la[i] + 1, (byte) 0);
                }
                fi[i] = Integer.MAX_VALUE;
                la[i] = -1;
            }
            nAct[k] = 0;
        }
    }
}
