package io.myelin.models.qsd;

import io.myelin.core.InvalidInputException;
import io.myelin.core.energy.Accuracy;
import io.myelin.core.energy.BitBudget;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.energy.ParameterKind;
import io.myelin.core.energy.SpikeRaster;
import io.myelin.kernels.quant.JavaIntegerOps;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.layer.IeLif;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.quant.BitWidth;
import io.myelin.models.quant.LevelLinear;
import io.myelin.models.quant.QuantizedProjection;
import io.myelin.models.tensor.SeqTensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts what a trained {@link QsdTransformer} does in inference, stage by stage, from the actual spikes of every
 * sample over its own valid tokens (as if each sample ran alone; padded tokens of a batch are not counted).
 *
 * <p>A quantized model runs its exported integer model ({@link QsdIntegerInference} over {@link JavaIntegerOps}):
 * predictions, hence accuracy, are the integer path's. The per-stage split is re-derived from the IE-LIF spike
 * counts of the model's evaluation-mode forward pass on the same batch (bit for bit the integer path's arithmetic;
 * any prediction that differs is counted in {@link Result#disagreements()}). A float32 model (a distillation
 * teacher) is counted from its evaluation forward pass alone.
 *
 * <p>Stages ({@link LayerActivity} each; a stage is the synapses together with the neurons they land on):
 * <ul>
 *   <li>{@code embed} ({@code dense} or {@code delayed-dense}): fed the binned spike counts (multi-bit), so
 *       MACs = non-zero (frame, channel) inputs x embedDim; its neurons are the IE-LIF that reads the residual
 *       membrane it writes (block 1's input neuron);</li>
 *   <li>per block {@code blockK.attn.qkv} (Q, K, V projections, ACs = input-neuron spikes x 3C; neurons Q, K, V),
 *       {@code blockK.attn.core} (the linear spike attention, no weights: ACs = per token and head
 *       {@code sum(K) sum(V)} binary coincidences of {@code K^T V} plus {@code sum(Q) d} row additions of
 *       {@code Q M}; neurons: the attention IE-LIF), {@code blockK.attn.o} (ACs = attention spikes x C; neurons:
 *       the MLP's input neuron on the residual membrane), {@code blockK.mlp.fc1} and {@code blockK.mlp.fc2}
 *       (ACs = spikes x fan-out);</li>
 *   <li>{@code head} ({@code readout}): ACs = output-neuron spikes summed over the tokens x classes.</li>
 * </ul>
 * A spike count {@code k} of an IE-LIF with D levels is {@code k} binary spikes on D virtual steps, so spikes are
 * the sums of the counts, time steps are tokens x D (the mean over samples), input bits are 1 for every stage but the
 * embedding (ceil(log2(max count + 1)) bits) and {@code dtMs} is frameMs / D. Neuron updates are one per neuron
 * per token (the folded per-channel scale and bias is the IE-LIF's threshold, so it costs nothing beyond the
 * update). The equivalent ANN ({@code annMacs}) evaluates every synapse once per valid token, attention as
 * {@code 2 d^2} MACs per head and token, and the head once per sample.
 *
 * <p>Model size (the deployed integer model): weights at {@link BitWidth#storedBits} (ternary, nominally 1.58 bits,
 * takes 2), one float32 scale per output channel (LSQ step times the folded BatchNorm gain) and one float32 bias per
 * channel of every projection (the folded BatchNorm shift; the head has none), the attention scale of every block,
 * and the embedding's integer delays at ceil(log2 taps) bits. A float32 model stores its weights at 32 bits with
 * BatchNorm folded into them and a float32 bias per channel. {@link ModelSize#float32Bits()} is the same model at
 * 32 bits per parameter, the comparison the report shows.
 */
public final class QsdActivity {
    /** Samples per inference batch. */
    public static final int BATCH = 64;
    /** Spikes kept per stage for the raster plot. */
    public static final int MAX_RASTER_SPIKES = 200_000;

    private QsdActivity() {
    }

    /**
     * A counted run.
     *
     * @param activity      the report input
     * @param predictions   predicted class of every sample (the integer path's for a quantized model)
     * @param integer       the integer inference's own operation counts (null for a float32 model); they include a
     *                      batch's padded tokens, which {@code activity} leaves out
     * @param disagreements samples whose integer prediction differs from the evaluation forward pass's (0 expected)
     */
    public record Result(ModelActivity activity, int[] predictions, QsdIntegerInference.Activity integer,
                         long disagreements) {
    }

    /** The first {@code samples} samples of {@code file} (all if <= 0), binned as the model was trained. */
    public static BinnedSet data(QsdTransformer model, Path file, int samples) {
        return BinnedSet.forModel(model.config().data(), model.inputs(), file, samples);
    }

    /** {@link #count} with batches of {@value #BATCH}, the activity only. */
    public static ModelActivity run(QsdTransformer model, BinnedSet data, String name, String detail, int rasterSample) {
        return count(model, data, name, detail, BATCH, rasterSample).activity();
    }

    /** One stage being counted. */
    private static final class Stage {
        final String name, kind;
        final int neurons, weightBits, fanOut;
        final long synapses;
        final IeLif[] out;   // neurons the stage's synapses land on (spikes counted there), may be empty
        final IeLif in;      // neuron feeding the synapses with binary spikes, null for the embedding and the core
        long spikes, acs, macs, updates, annMacs;
        final List<int[]> raster = new ArrayList<>();
        boolean truncated;

        Stage(String name, String kind, int neurons, long synapses, int weightBits, IeLif in, int fanOut, IeLif... out) {
            this.name = name;
            this.kind = kind;
            this.neurons = neurons;
            this.synapses = synapses;
            this.weightBits = weightBits;
            this.in = in;
            this.fanOut = fanOut;
            this.out = out;
        }
    }

    /**
     * Runs {@code model} over {@code data} in batches of {@code batch} and counts; the rasters are of sample
     * {@code rasterSample} (none when it is outside the data).
     */
    public static Result count(QsdTransformer model, BinnedSet data, String name, String detail, int batch,
                               int rasterSample) {
        int n = data.size();
        if (n < 1) {
            throw new InvalidInputException("the data holds no samples to run the model on");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        QsdConfig.Model m = model.config().model();
        BitWidth bits = model.config().bitWidth();
        int wb = bits == null ? 32 : bits.storedBits;
        int C = m.embedDim(), H = C * m.mlpRatio(), D = m.levels(), classes = model.classes(), d = C / m.heads();
        List<SpikingTransformerBlock> blocks = model.blocks();
        List<Stage> stages = new ArrayList<>();
        List<Stage> cores = new ArrayList<>();
        IeLif first = blocks.isEmpty() ? model.outputNeuron() : blocks.get(0).attention().neurons().get(0);
        Stage embed = new Stage("embed", model.embeddingDelays() != null ? "delayed-dense" : "dense", C,
                (long) model.inputs() * C, wb, null, C, first);
        stages.add(embed);
        for (int k = 0; k < blocks.size(); k++) {
            SpikingTransformerBlock blk = blocks.get(k);
            List<IeLif> an = blk.attention().neurons(), mn = blk.mlp().neurons();
            IeLif next = k + 1 < blocks.size() ? blocks.get(k + 1).attention().neurons().get(0) : model.outputNeuron();
            String b = "block" + (k + 1);
            stages.add(new Stage(b + ".attn.qkv", "attention-projection", 3 * C, 3L * C * C, wb, an.get(0), 3 * C,
                    an.get(1), an.get(2), an.get(3)));
            Stage core = new Stage(b + ".attn.core", "attention", C, 0, 0, null, 0, an.get(4));
            stages.add(core);
            cores.add(core);
            stages.add(new Stage(b + ".attn.o", "attention-projection", C, (long) C * C, wb, an.get(4), C, mn.get(0)));
            stages.add(new Stage(b + ".mlp.fc1", "mlp", H, (long) C * H, wb, mn.get(0), H, mn.get(1)));
            stages.add(new Stage(b + ".mlp.fc2", "mlp", C, (long) H * C, wb, mn.get(1), C, next));
        }
        Stage head = new Stage("head", "readout", classes, (long) C * classes, wb, model.outputNeuron(), classes);
        stages.add(head);

        if (bits != null) {
            for (LevelLinear q : model.quantizedLayers()) {
                q.levels();   // initialises LSQ steps of a model that never ran (a no-op for a loaded one)
            }
        }
        QsdIntegerInference integer = bits == null ? null
                : new QsdIntegerInference(QsdIntegerModel.export(model), new JavaIntegerOps());
        int[] pred = new int[n];
        long correct = 0, disagreements = 0, virtualSteps = 0;
        int maxCount = 0;
        int rasterSteps = 0;
        for (int s0 = 0; s0 < n; s0 += batch) {
            int s1 = Math.min(n, s0 + batch);
            int[] idx = new int[s1 - s0];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = s0 + k;
            }
            BinnedSet.Batch b = data.batch(idx, 0);
            float[][] logits = model.forward(b.x(), b.lengths(), false);
            int[] valid = model.validTokens().clone();
            int[] ip = integer == null ? null : integer.predict(b.x(), b.lengths());
            int B = idx.length;
            for (int k = 0; k < B; k++) {
                int fp = SumSoftmaxCrossEntropy.argmax(logits[k]);
                int p = ip == null ? fp : ip[k];
                if (p != fp) {
                    disagreements++;
                }
                pred[s0 + k] = p;
                if (p == b.labels()[k]) {
                    correct++;
                }
            }
            SeqTensor x = b.x();
            for (int bb = 0; bb < B; bb++) {
                int L = valid[bb];
                virtualSteps += (long) L * D;
                // embedding: multi-bit inputs, zeros skipped (the sample's frames; padding is zero)
                long nz = 0;
                for (int t = 0; t < x.steps; t++) {
                    int base = x.index(t, bb, 0);
                    for (int i = 0; i < x.features; i++) {
                        float v = x.data[base + i];
                        if (v != 0f) {
                            nz++;
                            maxCount = Math.max(maxCount, (int) v);
                        }
                    }
                }
                embed.macs += nz * C;
                boolean keep = s0 + bb == rasterSample;
                if (keep) {
                    rasterSteps = L * D;
                }
                for (Stage st : stages) {
                    st.updates += st == head ? classes : (long) st.neurons * L;
                    if (st.in != null) {
                        st.acs += sum(st.in, B, bb, L) * st.fanOut;
                    }
                    if (st == head) {
                        st.annMacs += st.synapses;
                    } else if (st.synapses > 0) {
                        st.annMacs += st.synapses * L;
                    }
                    int offset = 0;
                    for (IeLif o : st.out) {
                        st.spikes += sum(o, B, bb, L);
                        if (keep) {
                            collect(st, o, B, bb, L, offset, D);
                        }
                        offset += o.lastOutput().features;
                    }
                }
                for (int k = 0; k < blocks.size(); k++) {
                    List<IeLif> an = blocks.get(k).attention().neurons();
                    Stage core = cores.get(k);
                    core.acs += attentionAcs(an.get(1).counts(), an.get(2).counts(), an.get(3).counts(), B, bb, L, C,
                            m.heads());
                    core.annMacs += 2L * C * d * L;
                }
            }
        }
        long steps = Math.round((double) virtualSteps / n);
        int inputBits = BitBudget.bitsForCount(maxCount);
        List<LayerActivity> layers = new ArrayList<>();
        List<SpikeRaster> rasters = new ArrayList<>();
        boolean raster = rasterSample >= 0 && rasterSample < n;
        for (Stage st : stages) {
            layers.add(new LayerActivity(st.name, st.kind, st.neurons, steps, n, st.spikes, st == embed ? 0 : st.acs,
                    st.macs, st.updates, st.synapses, st.annMacs, st.weightBits, st == embed ? inputBits : 1));
            if (raster && st.out.length > 0) {
                int[] stp = new int[st.raster.size()], neu = new int[st.raster.size()];
                for (int e = 0; e < stp.length; e++) {
                    stp[e] = st.raster.get(e)[0];
                    neu[e] = st.raster.get(e)[1];
                }
                rasters.add(new SpikeRaster(st.name, st.neurons, Math.max(1, rasterSteps),
                        model.config().data().frameMs() / D, stp, neu, st.truncated));
            }
        }
        ModelActivity a = new ModelActivity(name, detail, model.config().data().frameMs() / D, layers, size(model),
                new Accuracy(correct, n), rasters);
        return new Result(a, pred, integer == null ? null : integer.activity(), disagreements);
    }

    /** Spike counts of neuron group {@code l} for sample {@code b} of a batch of {@code B}, over its first {@code L} tokens. */
    private static long sum(IeLif l, int B, int b, int L) {
        byte[] c = l.counts();
        int N = l.lastOutput().features;
        long s = 0;
        for (int t = 0; t < L; t++) {
            int base = (t * B + b) * N;
            for (int i = 0; i < N; i++) {
                s += c[base + i];
            }
        }
        return s;
    }

    /** The raster of a count {@code k} at token t: binary spikes on virtual steps {@code tD .. tD + k - 1}. */
    private static void collect(Stage st, IeLif l, int B, int b, int L, int offset, int D) {
        byte[] c = l.counts();
        int N = l.lastOutput().features;
        for (int t = 0; t < L; t++) {
            int base = (t * B + b) * N;
            for (int i = 0; i < N; i++) {
                for (int v = 0; v < c[base + i]; v++) {
                    if (st.raster.size() >= MAX_RASTER_SPIKES) {
                        st.truncated = true;
                        return;
                    }
                    st.raster.add(new int[]{t * D + v, offset + i});
                }
            }
        }
    }

    /**
     * Accumulates of the linear spike attention for one sample: per valid token and head, {@code sum(K) sum(V)}
     * binary-spike coincidences of {@code K^T V} plus {@code sum(Q) d} row additions of {@code Q M} (as
     * {@link QsdIntegerInference} counts them).
     */
    static long attentionAcs(byte[] q, byte[] k, byte[] v, int B, int b, int L, int C, int heads) {
        int d = C / heads;
        long acs = 0;
        for (int t = 0; t < L; t++) {
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
        return acs;
    }

    /** What the deployed model stores, per projection (see the class comment). */
    public static ModelSize size(QsdTransformer model) {
        QsdConfig.Model m = model.config().model();
        ModelSize.Builder size = ModelSize.builder();
        for (QuantizedProjection p : model.projections()) {
            long syn = (long) p.in() * p.out();
            if (p.linear() instanceof LevelLinear q) {
                size.add(p.name(), ParameterKind.WEIGHT, syn, q.bits().storedBits);
                size.add(p.name(), ParameterKind.SCALE, p.out(), 32);
            } else {
                size.add(p.name(), ParameterKind.WEIGHT, syn, 32);
            }
            size.add(p.name(), ParameterKind.BIAS, p.out(), 32);
            if (p == model.embedding() && model.embeddingDelays() != null) {
                size.delays(p.name(), syn, m.taps());
            }
        }
        for (int k = 0; k < model.blocks().size(); k++) {
            size.add("block" + (k + 1) + ".attn", ParameterKind.SCALE, 1, 32);
        }
        long headSyn = (long) m.embedDim() * model.classes();
        if (model.head() instanceof LevelLinear q) {
            size.add("head", ParameterKind.WEIGHT, headSyn, q.bits().storedBits);
            size.add("head", ParameterKind.SCALE, q.out(), 32);
        } else {
            size.add("head", ParameterKind.WEIGHT, headSyn, 32);
        }
        return size.build();
    }

    /** The report's one-line description of what was run. */
    public static String describe(QsdTransformer model, String data, int samples) {
        QsdConfig.Model m = model.config().model();
        BitWidth bits = model.config().bitWidth();
        String w = bits == null ? "float32 weights (evaluation forward pass)"
                : (bits == BitWidth.TERNARY ? "ternary weights (1.58 bits nominal, stored in 2)"
                : bits.storedBits + "-bit weights") + ", integer inference (" + new JavaIntegerOps().name() + " IntegerOps)";
        return model.config().name() + " on " + data + ", " + samples + " samples, " + w + ", D = " + m.levels()
                + " levels (T = tokens x " + m.levels() + " virtual steps), BatchNorm folded into per-channel scale and "
                + "bias" + (model.embeddingDelays() != null ? ", rounded embedding delays" : "");
    }
}
