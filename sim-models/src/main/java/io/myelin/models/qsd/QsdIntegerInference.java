package io.myelin.models.qsd;

import io.myelin.kernels.quant.IntegerOps;
import io.myelin.models.attention.LinearSpikeAttention;
import io.myelin.models.layer.IeLif;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.tensor.SeqTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs an exported {@link QsdIntegerModel} with integer arithmetic: every synaptic sum is an integer accumulation
 * of weight levels over binary spikes ({@link IntegerOps}: Java or Aparapi), attention is integer counting, and
 * each output channel applies its folded scale once per token ({@code y = a (acc / D) + b}) before the IE-LIF
 * rounds it to the next integer spike count. The float steps repeat the model's evaluation expressions operation
 * for operation, so predictions equal {@link QsdTransformer}'s evaluation-mode predictions on every sample.
 *
 * <p>Also counts the operations the run really did: accumulates per block, and the multiply-accumulates of the
 * embedding, whose inputs are real-valued spike counts.
 */
public final class QsdIntegerInference {
    private final QsdIntegerModel model;
    private final IntegerOps ops;
    private final Activity activity = new Activity();
    private float[][] lastLogits;
    private int[] batchValid = new int[0];

    /** Operation counts of all batches run so far. */
    public static final class Activity {
        /** Embedding multiply-accumulates (non-zero input counts times fan-out). */
        public long embeddingMacs;
        /** Accumulates per block: projections (binary spikes times fan-out) and attention. */
        public final List<long[]> blockAcs = new ArrayList<>();
        /** Accumulates of the classifier head. */
        public long headAcs;
        /** Samples run. */
        public long samples;

        long[] block(int k) {
            while (blockAcs.size() <= k) {
                blockAcs.add(new long[2]);
            }
            return blockAcs.get(k);
        }
    }

    public QsdIntegerInference(QsdIntegerModel model, IntegerOps ops) {
        this.model = model;
        this.ops = ops;
    }

    public Activity activity() {
        return activity;
    }

    /** Logits {@code [B][classes]} of the last {@link #predict} call (the model's evaluation logits, bit for bit). */
    public float[][] lastLogits() {
        return lastLogits;
    }

    /**
     * Predicted classes for {@code x} ({@code [T][B][inputs]}, integer spike counts per frame) with {@code lengths}
     * frames per sample.
     */
    public int[] predict(SeqTensor x, int[] lengths) {
        if (x.features != model.inputs()) {
            throw new io.myelin.core.InvalidInputException("the model takes " + model.inputs() + " inputs per frame, the "
                    + "data has " + x.features);
        }
        int T = x.steps, B = x.batch, D = model.levels();
        int[] counts = new int[x.data.length];
        int maxCount = 0;
        long nonZero = 0;
        for (int k = 0; k < counts.length; k++) {
            float v = x.data[k];
            if (v < 0 || v != Math.rint(v)) {
                throw new io.myelin.core.InvalidInputException("integer inference takes integer spike counts; found " + v);
            }
            counts[k] = (int) v;
            maxCount = Math.max(maxCount, counts[k]);
            nonZero += counts[k] != 0 ? 1 : 0;
        }
        QsdIntegerModel.Projection e = model.embed();
        int tokens = T + e.extraSteps();
        int[] valid = new int[B];
        for (int b = 0; b < B; b++) {
            valid[b] = Math.min(lengths[b] + e.extraSteps(), tokens);
        }
        batchValid = valid;
        int[] acc = e.delays() == null ? ops.accumulate(e.levels(), e.out(), e.in(), counts, T * B, maxCount)
                : delayedAccumulate(e, counts, T, B);
        activity.embeddingMacs += nonZero * e.out();
        int rows = tokens * B, C = e.out();
        float[] u = affine(e, acc, rows);
        int blockIndex = 0;
        for (QsdIntegerModel.Block blk : model.blocks()) {
            long[] acs = activity.block(blockIndex++);
            int[] s = spikes(u, D);
            int[] q = spikes(affine(blk.q(), accumulate(blk.q(), s, rows, acs), rows), D);
            int[] k = spikes(affine(blk.k(), accumulate(blk.k(), s, rows, acs), rows), D);
            int[] v = spikes(affine(blk.v(), accumulate(blk.v(), s, rows, acs), rows), D);
            int[] a = ops.linearAttention(q, k, v, tokens, B, C, blk.heads(), valid);
            acs[1] += attentionAcs(q, k, v, tokens, B, C, blk.heads(), valid);
            float invD3 = 1f / (D * D * D);
            float[] att = new float[a.length];
            for (int b = 0; b < B; b++) {
                float c = LinearSpikeAttention.factor(blk.scale(), valid[b]);
                for (int t = 0; t < valid[b]; t++) {
                    int base = (t * B + b) * C;
                    for (int ch = 0; ch < C; ch++) {
                        att[base + ch] = ((float) a[base + ch] * invD3) * c;
                    }
                }
            }
            float[] p = affine(blk.o(), accumulate(blk.o(), spikes(att, D), rows, acs), rows);
            for (int i = 0; i < u.length; i++) {
                u[i] += p[i];
            }
            int[] s2 = spikes(u, D);
            int[] h = spikes(affine(blk.fc1(), accumulate(blk.fc1(), s2, rows, acs), rows), D);
            float[] p2 = affine(blk.fc2(), accumulate(blk.fc2(), h, rows, acs), rows);
            for (int i = 0; i < u.length; i++) {
                u[i] += p2[i];
            }
        }
        int[] s = spikes(u, D);
        int[] sums = new int[B * C];
        int maxSum = 0;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < valid[b]; t++) {
                int base = (t * B + b) * C;
                for (int ch = 0; ch < C; ch++) {
                    sums[b * C + ch] += s[base + ch];
                }
            }
            for (int ch = 0; ch < C; ch++) {
                maxSum = Math.max(maxSum, sums[b * C + ch]);
            }
        }
        QsdIntegerModel.Projection hd = model.head();
        int[] z = ops.accumulate(hd.levels(), hd.out(), hd.in(), sums, B, maxSum);
        for (int sum : sums) {
            activity.headAcs += (long) sum * hd.out();
        }
        float invD = 1f / D;
        int[] pred = new int[B];
        lastLogits = new float[B][];
        for (int b = 0; b < B; b++) {
            float[] logits = lastLogits[b] = new float[hd.out()];
            float L = Math.max(valid[b], 1);
            for (int o = 0; o < hd.out(); o++) {
                logits[o] = (((float) z[b * hd.out() + o] * invD) * hd.a()[o]) / L;
            }
            pred[b] = SumSoftmaxCrossEntropy.argmax(logits);
        }
        activity.samples += B;
        return pred;
    }

    private int[] accumulate(QsdIntegerModel.Projection p, int[] spikes, int rows, long[] acs) {
        acs[0] += validSpikes(spikes, p.in()) * p.out();
        return ops.accumulate(p.levels(), p.out(), p.in(), spikes, rows, model.levels());
    }

    /** Binary spikes on the valid tokens of the current batch (padding is not work a sample alone would do). */
    private long validSpikes(int[] spikes, int width) {
        long n = 0;
        int B = batchValid.length;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < batchValid[b]; t++) {
                int base = (t * B + b) * width;
                for (int c = 0; c < width; c++) {
                    n += spikes[base + c];
                }
            }
        }
        return n;
    }

    /** {@code y = a_o (acc / D_in) + b_o}: the folded scale, once per channel and token. */
    private static float[] affine(QsdIntegerModel.Projection p, int[] acc, int rows) {
        int out = p.out();
        float inv = 1f / p.inputLevels();
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            int base = r * out;
            for (int o = 0; o < out; o++) {
                float sum = p.inputLevels() == 1 ? (float) acc[base + o] : (float) acc[base + o] * inv;
                y[base + o] = sum * p.a()[o] + p.b()[o];
            }
        }
        return y;
    }

    private static int[] spikes(float[] u, int levels) {
        int[] s = new int[u.length];
        for (int i = 0; i < u.length; i++) {
            s[i] = IeLif.level(u[i], levels);
        }
        return s;
    }

    /**
     * The embedding with integer delays: {@code acc[t][b][o] = sum_i levels[o][i] * x[t - d_oi][b][i]}. Its inputs are
     * raw spike counts (the encoding layer), so this runs on the CPU in any backend.
     */
    private static int[] delayedAccumulate(QsdIntegerModel.Projection e, int[] x, int T, int B) {
        int I = e.in(), O = e.out(), tokens = T + e.extraSteps();
        int[] acc = new int[tokens * B * O];
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) {
                int xb = (t * B + b) * I;
                for (int i = 0; i < I; i++) {
                    int c = x[xb + i];
                    if (c == 0) {
                        continue;
                    }
                    for (int o = 0; o < O; o++) {
                        int ts = t + e.delays()[o * I + i];
                        if (ts < tokens) {
                            acc[(ts * B + b) * O + o] += c * e.levels()[o * I + i];
                        }
                    }
                }
            }
        }
        return acc;
    }

    /** Binary-spike coincidences of K^T V plus the row additions of Q M, per the spike-driven formulation. */
    private static long attentionAcs(int[] q, int[] k, int[] v, int tokens, int B, int C, int heads, int[] valid) {
        int d = C / heads;
        long acs = 0;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < valid[b]; t++) {
                int base = (t * B + b) * C;
                for (int h = 0; h < heads; h++) {
                    long ks = 0, vs = 0, qs = 0;
                    for (int j = 0; j < d; j++) {
                        ks += k[base + h * d + j];
                        vs += v[base + h * d + j];
                        qs += q[base + h * d + j];
                    }
                    acs += ks * vs + qs * d;
                }
            }
        }
        return acs;
    }
}
