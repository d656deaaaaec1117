package io.myelin.models.qsd;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.BinnedSample;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.inference.ConfidenceTable;
import io.myelin.core.inference.Decoding;
import io.myelin.core.inference.PolicyRun;
import io.myelin.core.inference.StoppingPolicy;
import io.myelin.kernels.quant.IntegerOps;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.quant.BitWidth;
import io.myelin.models.tensor.SeqTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The QSD-Transformer under a stopping policy, over its tokens (one token per frame; the embedding's delays add
 * {@code extra} tokens of silence, as in evaluation).
 *
 * <p>The attention is not causal: {@code A = (s / L) Q (K^T V)} mixes all L tokens of a sample, so token n's output
 * changes when later tokens arrive. A prefix of t tokens is therefore evaluated as the model would evaluate a sample
 * that ended there: the first t tokens (which depend only on the first t frames, the embedding's delays being causal)
 * are run through the whole model with L = t, and the summed output is {@code head(sum_{n < t} IELIF(u_n)) = t x
 * logits_t} (the logits are a mean over tokens). The policy gets that sum recomputed at every step
 * ({@link PolicyRun#offerTotal}), so only {@link Decoding#SUM} applies. At t = the sample's full length this is the
 * model's own evaluation, bit for bit.
 *
 * <p>Cost: step t costs one evaluation of t tokens, so a sample that exits at step e has cost
 * {@code sum_{t <= e} t ~ e^2 / 2} token evaluations against L for one full-length evaluation: early exit saves
 * latency (the answer comes after e tokens), not work, unless e &lt; about sqrt(2 L). {@link Result} counts all three
 * (the streaming run, the exit prefix alone, the full length) from the integer path's own operation counters.
 *
 * <p>Samples are evaluated in rounds t = 1, 2, ...: each round runs the prefixes of the samples still running as
 * one batch (the model's arithmetic does not depend on the batch), and a sample leaves at its exit.
 */
public final class QsdEarlyExit {
    private QsdEarlyExit() {
    }

    /** Samples per batch of prefixes. */
    public static final int BATCH = 64;

    /** What evaluates a batch of prefixes: logits {@code [B][classes]} for {@code x} with {@code lengths}. */
    private interface PrefixLogits {
        float[][] logits(SeqTensor x, int[] lengths);
    }

    /**
     * Integer operations of a set of evaluations (from {@link QsdIntegerInference.Activity}), summed over samples.
     *
     * @param embeddingMacs   embedding multiply-accumulates
     * @param projectionAcs   accumulates of the blocks' projections
     * @param attentionAcs    accumulates of the blocks' attention
     * @param headAcs         accumulates of the head
     */
    public record Work(long embeddingMacs, long projectionAcs, long attentionAcs, long headAcs) {
        Work plus(Work o) {
            return new Work(embeddingMacs + o.embeddingMacs, projectionAcs + o.projectionAcs,
                    attentionAcs + o.attentionAcs, headAcs + o.headAcs);
        }

        static Work of(QsdIntegerInference.Activity a) {
            long p = 0, at = 0;
            for (long[] b : a.blockAcs) {
                p += b[0];
                at += b[1];
            }
            return new Work(a.embeddingMacs, p, at, a.headAcs);
        }

        Work minus(Work o) {
            return new Work(embeddingMacs - o.embeddingMacs, projectionAcs - o.projectionAcs,
                    attentionAcs - o.attentionAcs, headAcs - o.headAcs);
        }

        /**
         * Energy (pJ) of these operations under {@code m}: MACs at the wider of the weight and input widths, ACs at the
         * weight width (attention ACs at 1 bit), each with its weight's memory read, as {@code EnergyReport} prices
         * them (neuron updates are not in the integer counters and not priced here).
         */
        public double energyPj(EnergyModel m, int weightBits, int inputBits) {
            List<LayerActivity> l = new ArrayList<>();
            l.add(new LayerActivity("embed", "dense", 1, 1, 1, 0, 0, embeddingMacs, 0, 1, 0, weightBits, inputBits));
            l.add(new LayerActivity("projections", "dense", 1, 1, 1, 0, projectionAcs + headAcs, 0, 0, 1, 0,
                    weightBits, 1));
            l.add(new LayerActivity("attention", "attention", 1, 1, 1, 0, attentionAcs, 0, 0, 0, 0, 0, 1));
            return EnergyReport.build(EnergyReport.Source.now("model", "qsd", ""), m, 0, l,
                    ModelSize.builder().build(), null, null, null).total().energyPj();
        }
    }

    /**
     * @param path        "model" (the float-simulated quantized model) or "integer"
     * @param exitSteps   tokens each sample ran
     * @param lengths     each sample's full length in tokens
     * @param predictions prediction at exit
     * @param labels      true classes
     * @param table       every step's confidence and prediction (a recording full-length run), else null
     * @param streaming   integer operations of every prefix evaluated up to each exit (integer path), else null
     * @param exitPrefix  integer operations of one evaluation of each sample's exit prefix (integer path), else null
     * @param full        integer operations of one full-length evaluation of each sample (integer path), else null
     * @param maxCount    the largest input count (the embedding's input width)
     * @param seconds     wall time of the policy run (not of the two counting passes)
     */
    public record Result(String path, int[] exitSteps, int[] lengths, int[] predictions, int[] labels,
                         ConfidenceTable table, Work streaming, Work exitPrefix, Work full, int maxCount,
                         double seconds) {
    }

    /** The float-simulated model under {@code policy}. */
    public static Result model(QsdTransformer model, BinnedSet data, StoppingPolicy policy, boolean record) {
        return run("model", model, data, policy, record, (x, len) -> model.forward(x, len, false), null, null);
    }

    /** The exported integer model on {@code ops} under {@code policy}, its operations counted. */
    public static Result integer(QsdTransformer model, BinnedSet data, StoppingPolicy policy, boolean record,
                                 IntegerOps ops) {
        if (model.config().bitWidth() == null) {
            throw new InvalidInputException("a float32 QSD-Transformer (a distillation teacher) has no integer model");
        }
        QsdIntegerInference inf = new QsdIntegerInference(QsdIntegerModel.export(model), ops);
        return run("integer", model, data, policy, record, (x, len) -> {
            inf.predict(x, len);
            return inf.lastLogits();
        }, inf, data);
    }

    private static Result run(String path, QsdTransformer model, BinnedSet data, StoppingPolicy policy, boolean record,
                              PrefixLogits eval, QsdIntegerInference inf, BinnedSet counted) {
        if (policy.decoding() != Decoding.SUM) {
            throw new InvalidInputException("the QSD-Transformer's early exit decodes its summed logits (decoding sum);"
                    + " softmax-sum applies to the delay SNN");
        }
        long t0 = System.nanoTime();
        int n = data.size(), classes = model.classes();
        int extra = model.tokens(0);
        int[] exit = new int[n], length = new int[n], pred = new int[n], labels = new int[n];
        PolicyRun[] runs = new PolicyRun[n];
        int maxCount = 1;
        for (int i = 0; i < n; i++) {
            length[i] = model.tokens(Math.max(1, data.sample(i).frames()));
            labels[i] = data.label(i);
            runs[i] = record ? policy.startRecording(classes) : policy.start(classes);
            for (float c : data.sample(i).eventCount()) {
                maxCount = Math.max(maxCount, (int) c);
            }
        }
        Work before = inf == null ? null : Work.of(inf.activity());
        for (int s0 = 0; s0 < n; s0 += BATCH) {
            int s1 = Math.min(n, s0 + BATCH);
            List<Integer> active = new ArrayList<>();
            for (int i = s0; i < s1; i++) {
                active.add(i);
            }
            double[] total = new double[classes];
            for (int t = 1; !active.isEmpty(); t++) {
                int[] idx = active.stream().mapToInt(Integer::intValue).toArray();
                int[] prefix = new int[idx.length];
                Arrays.fill(prefix, t);
                float[][] logits = eval.logits(prefixBatch(data, idx, prefix, extra), lengthsFor(prefix, extra));
                List<Integer> next = new ArrayList<>();
                for (int k = 0; k < idx.length; k++) {
                    int i = idx[k];
                    for (int c = 0; c < classes; c++) {
                        total[c] = (double) logits[k][c] * t;
                    }
                    if (!runs[i].offerTotal(total) && t < length[i]) {
                        next.add(i);
                    }
                }
                active = next;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < n; i++) {
            exit[i] = runs[i].steps();
            pred[i] = runs[i].prediction();
        }
        Work streaming = null, exitPrefix = null, full = null;
        if (inf != null) {
            streaming = Work.of(inf.activity()).minus(before);
            exitPrefix = oneShot(inf, eval, counted, exit, extra);
            full = oneShot(inf, eval, counted, length, extra);
        }
        ConfidenceTable table = null;
        if (record && n > 0) {
            ConfidenceTable.Builder b = ConfidenceTable.builder(policy.decoding(), policy.temperature(), classes);
            for (int i = 0; i < n; i++) {
                b.add(labels[i], runs[i]);
            }
            table = b.build();
        }
        return new Result(path, exit, length, pred, labels, table, streaming, exitPrefix, full, maxCount, seconds);
    }

    /** Operations of one evaluation of each sample's first {@code tokens[i]} tokens. */
    private static Work oneShot(QsdIntegerInference inf, PrefixLogits eval, BinnedSet data, int[] tokens, int extra) {
        Work w0 = Work.of(inf.activity());
        for (int s0 = 0; s0 < data.size(); s0 += BATCH) {
            int s1 = Math.min(data.size(), s0 + BATCH);
            int[] idx = new int[s1 - s0];
            int[] prefix = new int[idx.length];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = s0 + k;
                prefix[k] = tokens[s0 + k];
            }
            eval.logits(prefixBatch(data, idx, prefix, extra), lengthsFor(prefix, extra));
        }
        return Work.of(inf.activity()).minus(w0);
    }

    /**
     * "Lengths" that make the model see {@code prefix[k]} valid tokens: both paths take a sample of length l to have
     * {@code l + extra} tokens (docs/dynamic-confidence.md), so a prefix of t tokens is a length of t - extra.
     */
    private static int[] lengthsFor(int[] prefix, int extra) {
        int[] l = new int[prefix.length];
        for (int k = 0; k < l.length; k++) {
            l[k] = prefix[k] - extra;
        }
        return l;
    }

    /**
     * The input of a batch of prefixes: sample {@code idx[k]}'s first {@code min(prefix[k], frames)} frames (token t
     * depends on frames up to t only), zero-padded.
     */
    static SeqTensor prefixBatch(BinnedSet data, int[] idx, int[] prefix, int extra) {
        int B = idx.length, C = data.channels(), T = 1;
        for (int k = 0; k < B; k++) {
            T = Math.max(T, Math.min(prefix[k], Math.max(1, data.sample(idx[k]).frames())));
        }
        // the model needs T + extra >= prefix tokens: true, since prefix <= frames + extra
        float[] x = new float[T * B * C];
        for (int k = 0; k < B; k++) {
            BinnedSample s = data.sample(idx[k]);
            int[] f = s.eventFrame(), ch = s.eventChannel();
            float[] cnt = s.eventCount();
            for (int e = 0; e < f.length && f[e] < prefix[k]; e++) {
                x[(f[e] * B + k) * C + ch[e]] = cnt[e];
            }
        }
        return new SeqTensor(T, B, C, x);
    }

    /** The stored width of the model's weights (32 for a float32 model). */
    public static int weightBits(QsdTransformer model) {
        BitWidth b = model.config().bitWidth();
        return b == null ? 32 : b.storedBits;
    }
}
