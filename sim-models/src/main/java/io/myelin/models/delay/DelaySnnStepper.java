package io.myelin.models.delay;

import io.myelin.core.InvalidInputException;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.SynapticLayer;

import java.util.Arrays;

/**
 * A trained {@link DelaySnn} in evaluation mode (rounded delays, BatchNorm running statistics, no dropout) run one
 * step at a time, one sample per {@link Sample}: what an inference path needs to stop a sample as soon as its
 * {@link io.myelin.core.inference.StoppingPolicy} fires, at a cost that stops with it.
 *
 * <p>Each synaptic layer is propagated event-driven, as the engine does: an input that is non-zero at step t (a
 * frame's spike count for the first layer, a spike for the others) adds {@code w[o,i] * x} to the ring-buffer slot of
 * step {@code t + d[o,i]}, d its rounded delay; the slot of step t is then the layer's synaptic drive. Work per step:
 * (non-zero inputs x fan-out) + neurons. The rest is the model's own evaluation arithmetic, expression for expression:
 * BatchNorm {@code y * scale + shift} (float scale and shift from the running statistics),
 * {@code H = V - V / tau + X}, spike at {@code H >= threshold} with hard reset, and the readout
 * {@code V = V - V / tau + X}. Only the order in which a step's contributions are summed differs from
 * {@link DelaySnn#forward}'s, so readout potentials agree to float rounding (not bit for bit).
 *
 * <p>Time: readout step t is model step t of every layer (docs/training.md), so the counts of a sample stopped after
 * e steps cover steps 0 .. e-1 of every layer, as {@link DelaySnnActivity} counts a full-length run.
 */
public final class DelaySnnStepper {
    private final DelaySnn model;
    private final int layers;
    private final int hidden;
    private final int[] in;
    private final int[] out;
    /** Per layer, synapses grouped by input: input i's are {@code rowStart[i] .. rowStart[i+1]}. */
    private final int[][] rowStart;
    private final int[][] delay;
    private final int[][] post;
    private final float[][] weight;
    private final int[] depth;
    private final float[][] bnScale;
    private final float[][] bnShift;
    private final float tau;
    private final float threshold;

    public DelaySnnStepper(DelaySnn model) {
        this.model = model;
        var syn = model.synapses();
        this.layers = syn.size();
        this.hidden = model.hiddenLayers();
        in = new int[layers];
        out = new int[layers];
        rowStart = new int[layers][];
        delay = new int[layers][];
        post = new int[layers][];
        weight = new float[layers][];
        depth = new int[layers];
        for (int k = 0; k < layers; k++) {
            table(k, syn.get(k));
        }
        bnScale = new float[hidden][];
        bnShift = new float[hidden][];
        for (int k = 0; k < hidden; k++) {
            double[][] a = model.norms().get(k).inferenceAffine();
            bnScale[k] = new float[out[k]];
            bnShift[k] = new float[out[k]];
            for (int o = 0; o < out[k]; o++) {
                bnScale[k][o] = (float) a[0][o];
                bnShift[k][o] = (float) a[1][o];
            }
        }
        this.tau = (float) model.config().tauSteps();
        this.threshold = (float) model.config().model().vThreshold();
    }

    /** Synapses of layer k by input, then delay (each input's weights land in a few ring slots in order). */
    private void table(int k, SynapticLayer l) {
        int I = l.in(), O = l.out();
        in[k] = I;
        out[k] = O;
        DclsDelayedDense dcls = l instanceof DclsDelayedDense d ? d : null;
        float[] w = l.weight().value;
        int n = I * O;
        int[] rs = new int[I + 1], dl = new int[n], po = new int[n];
        float[] ws = new float[n];
        int maxDelay = 0;
        Integer[] order = new Integer[O];
        int[] d = new int[O];
        int s = 0;
        for (int i = 0; i < I; i++) {
            rs[i] = s;
            for (int o = 0; o < O; o++) {
                d[o] = dcls == null ? 0 : dcls.roundedDelaySteps(o, i);
                order[o] = o;
            }
            Arrays.sort(order, (a, b) -> d[a] != d[b] ? Integer.compare(d[a], d[b]) : Integer.compare(a, b));
            for (int j = 0; j < O; j++) {
                int o = order[j];
                dl[s] = d[o];
                po[s] = o;
                ws[s] = w[o * I + i];
                maxDelay = Math.max(maxDelay, d[o]);
                s++;
            }
        }
        rs[I] = s;
        rowStart[k] = rs;
        delay[k] = dl;
        post[k] = po;
        weight[k] = ws;
        depth[k] = maxDelay + 1;
    }

    public DelaySnn model() {
        return model;
    }

    /** Synaptic layers (hidden layers, then the readout). */
    public int layers() {
        return layers;
    }

    /** Inputs of layer k. */
    public int in(int k) {
        return in[k];
    }

    /** Neurons of layer k. */
    public int out(int k) {
        return out[k];
    }

    /** A fresh sample at step 0. */
    public Sample newSample() {
        return new Sample();
    }

    /**
     * One sample's state (membranes, ring buffers of pending synaptic input) and the work it has done: per layer,
     * non-zero inputs (each costs fan-out operations), spikes, neuron updates and steps.
     */
    public final class Sample {
        private final float[][] ring = new float[layers][];
        private final float[][] v = new float[hidden][];
        private final float[] readout;
        private final int[][] spiked = new int[hidden][];
        private final int[] spikedCount = new int[hidden];
        private final long[] inputEvents = new long[layers];
        private final long[] spikes = new long[hidden];
        private int maxCount;
        private int step;

        private Sample() {
            for (int k = 0; k < layers; k++) {
                ring[k] = new float[depth[k] * out[k]];
            }
            for (int k = 0; k < hidden; k++) {
                v[k] = new float[out[k]];
                spiked[k] = new int[out[k]];
            }
            readout = new float[out[layers - 1]];
        }

        /** Steps run so far. */
        public int step() {
            return step;
        }

        /**
         * Runs the next step with input counts {@code count[e]} on model inputs {@code channel[e]} for e in
         * {@code [from, to)} (the step's non-zero inputs) and writes the readout potentials V_t to
         * {@code vOut[offset .. offset + classes)}.
         */
        public void step(int[] channel, float[] count, int from, int to, float[] vOut, int offset) {
            for (int e = from; e < to; e++) {
                int c = channel[e];
                if (c < 0 || c >= in[0]) {
                    throw new InvalidInputException("input channel " + c + " is outside 0.." + (in[0] - 1));
                }
                float x = count[e];
                if (x == 0f) {
                    continue;
                }
                inputEvents[0]++;
                maxCount = Math.max(maxCount, (int) x);
                scatter(0, c, x);
            }
            for (int k = 0; k < layers; k++) {
                if (k > 0) {
                    int[] sp = spiked[k - 1];
                    int n = spikedCount[k - 1];
                    inputEvents[k] += n;
                    for (int j = 0; j < n; j++) {
                        scatter(k, sp[j], 1f);
                    }
                }
                int O = out[k];
                float[] r = ring[k];
                int base = (step % depth[k]) * O;
                if (k < hidden) {
                    float[] vk = v[k], sc = bnScale[k], sh = bnShift[k];
                    int[] sp = spiked[k];
                    int n = 0;
                    for (int o = 0; o < O; o++) {
                        float x = r[base + o] * sc[o] + sh[o];
                        r[base + o] = 0f;
                        float vi = vk[o];
                        float h = vi - vi / tau + x;
                        if (h >= threshold) {
                            sp[n++] = o;
                            vk[o] = 0f;
                        } else {
                            vk[o] = h;
                        }
                    }
                    spikedCount[k] = n;
                    spikes[k] += n;
                } else {
                    for (int o = 0; o < O; o++) {
                        float vi = readout[o];
                        vi = vi - vi / tau + r[base + o];
                        r[base + o] = 0f;
                        readout[o] = vi;
                        vOut[offset + o] = vi;
                    }
                }
            }
            step++;
        }

        private void scatter(int k, int i, float x) {
            int[] rs = rowStart[k], dl = delay[k], po = post[k];
            float[] w = weight[k], r = ring[k];
            int D = depth[k], O = out[k], now = step % D;
            for (int s = rs[i], end = rs[i + 1]; s < end; s++) {
                int slot = now + dl[s];
                if (slot >= D) {
                    slot -= D;
                }
                r[slot * O + po[s]] += w[s] * x;
            }
        }

        /** Non-zero inputs layer k has received (each costs its fan-out of operations). */
        public long inputEvents(int k) {
            return inputEvents[k];
        }

        /** Spikes of hidden layer k so far. */
        public long spikes(int k) {
            return spikes[k];
        }

        /** The largest input count seen (the first layer's input width). */
        public int maxCount() {
            return maxCount;
        }
    }
}
