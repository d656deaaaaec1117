package io.myelin.models.qsd;

import io.myelin.core.InvalidInputException;
import io.myelin.models.attention.SpikeDrivenSelfAttention;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.Dense;
import io.myelin.models.layer.IeLif;
import io.myelin.models.layer.DelayKernels;
import io.myelin.models.layer.Layer;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.layer.SynapticLayer;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.module.Module;
import io.myelin.models.module.Param;
import io.myelin.models.quant.BitWidth;
import io.myelin.models.quant.LevelLinear;
import io.myelin.models.quant.QuantizedDelayedDense;
import io.myelin.models.quant.QuantizedLinear;
import io.myelin.models.quant.QuantizedProjection;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.train.TrainedModel;

import java.util.ArrayList;
import java.util.List;

/**
 * A QSD-Transformer classifier for spiking audio. Tokens are frames (10 ms bins of pooled channels):
 * <pre>
 *   u = BN(QLinear_embed x)              (or DCLS-delayed dense: learnable delays in the embedding)
 *   u = block(u)  x blocks               (SpikingTransformerBlock: Q-SDSA and MLP with membrane shortcuts)
 *   S_b = sum over the sample's tokens of IELIF(u);   logits_b = QLinear_head(S_b) / L_b     (temporal mean)
 * </pre>
 * The first layer is fed real-valued spike counts (MACs in the energy model); every later synaptic layer is fed
 * IE-LIF spikes (accumulates). Weights are quantized to {@link QsdConfig#bitWidth()} with LSQ steps, or float for
 * the distillation teacher. Evaluation computes the integer-level sums with one scale per channel, the very
 * arithmetic of {@link QsdIntegerInference}.
 */
public final class QsdTransformer implements TrainedModel {
    /** SIG after annealing, the SNN-delays value (sigma 0.5 steps). */
    private static final double SIG_FINAL = 0.23;
    private final QsdConfig config;
    private final int inputs;
    private final int classes;
    private final QuantizedProjection embed;
    private final List<SpikingTransformerBlock> blocks = new ArrayList<>();
    private final IeLif outLif;
    private final Layer head;
    private final double sigInit;
    private final DelayKernels delays;
    private final List<IeLif> neurons;
    private int[] valid;
    private int steps;

    public QsdTransformer(QsdConfig config, int inputs, int classes) {
        this.config = config;
        this.inputs = inputs;
        this.classes = classes;
        QsdConfig.Model m = config.model();
        BitWidth bits = config.bitWidth();
        long seed = config.training().seed();
        int C = m.embedDim();
        long es = seed * 1_000_003L + 7919L;
        if (m.embeddingDelays()) {
            SynapticLayer syn = bits == null
                    ? new DclsDelayedDense("embed.syn", inputs, C, m.taps(), DclsDelayedDense.DelayMode.LEARNED,
                    m.sigmaTruncation(), es)
                    : new QuantizedDelayedDense("embed.syn", inputs, C, m.taps(), m.sigmaTruncation(), bits, es);
            embed = new QuantizedProjection("embed", syn, C, 0);
        } else {
            embed = new QuantizedProjection("embed", inputs, C, bits, 0, es);
        }
        embed.setInputGradient(false);
        for (int k = 0; k < m.blocks(); k++) {
            long bs = seed * 1_000_003L + 104_729L * (k + 1);
            String n = "block" + (k + 1);
            blocks.add(new SpikingTransformerBlock(
                    new SpikeDrivenSelfAttention(n + ".attn", C, m.heads(), bits, m.levels(), m.attentionScale(),
                            m.rectify(), bs),
                    new SpikingMlp(n + ".mlp", C, C * m.mlpRatio(), bits, m.levels(), bs)));
        }
        outLif = new IeLif(m.levels());
        long hs = seed * 1_000_003L + 15_485_863L;
        head = bits == null ? new Dense("head", C, classes, hs) : new QuantizedLinear("head", C, classes, bits, hs);
        sigInit = m.taps() / 2.0;
        delays = DelayKernels.of(this);
        neurons = modules(IeLif.class);
    }

    @Override
    public QsdConfig config() {
        return config;
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public int classes() {
        return classes;
    }

    public List<SpikingTransformerBlock> blocks() {
        return blocks;
    }

    /** The embedding ({@code synapses -> BN}); its synapses may carry learnable delays. */
    public QuantizedProjection embedding() {
        return embed;
    }

    /** The embedding's delay layer, or null without embedding delays. */
    public DclsDelayedDense embeddingDelays() {
        return delays.layers().isEmpty() ? null : delays.layers().get(0);
    }

    public IeLif outputNeuron() {
        return outLif;
    }

    public Layer head() {
        return head;
    }

    /** Embedding, blocks, head (parameters in that order), then the output neuron. */
    @Override
    public List<? extends Module> children() {
        List<Module> c = new ArrayList<>();
        c.add(embed);
        c.addAll(blocks);
        c.add(head);
        c.add(outLif);
        return c;
    }

    /** Every quantized synaptic layer (embedding, projections, head), in data-flow order. */
    public List<LevelLinear> quantizedLayers() {
        return modules(LevelLinear.class);
    }

    /** IE-LIF neurons in data-flow order (firing rates in metrics.jsonl follow this order). */
    public List<IeLif> neurons() {
        return neurons;
    }

    @Override
    public int[] predict(BinnedSet.Batch b) {
        float[][] logits = forward(b.x(), b.lengths(), false);
        int[] p = new int[logits.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = SumSoftmaxCrossEntropy.argmax(logits[k]);
        }
        return p;
    }

    /** Every IE-LIF neuron. */
    @Override
    public int firingLayers() {
        return neurons.size();
    }

    /** A spike count k of an IE-LIF with D levels counts as k / D spikes of its (neuron, token) slot. */
    @Override
    public void addFiring(double[] spikes, double[] slots) {
        for (int k = 0; k < neurons.size(); k++) {
            byte[] c = neurons.get(k).counts();
            long sum = 0;
            for (byte x : c) {
                sum += x;
            }
            spikes[k] += sum / (double) neurons.get(k).levels();
            slots[k] += c.length;
        }
    }

    /** Tokens after the embedding for {@code frames} input frames (the delays extend the sequence). */
    public int tokens(int frames) {
        return embed.outputSteps(frames);
    }

    /** Valid tokens per sample of the last forward pass. */
    public int[] validTokens() {
        return valid;
    }


    /**
     * Logits {@code [B][classes]} for {@code x} ({@code [T][B][inputs]}, spike counts per frame) whose samples have
     * {@code lengths} frames.
     */
    public float[][] forward(SeqTensor x, int[] lengths, boolean training) {
        if (x.features != inputs) {
            throw new InvalidInputException("the model takes " + inputs + " inputs per frame, the data has "
                    + x.features + " (check data.channelPool)");
        }
        int B = x.batch;
        valid = new int[B];
        for (int b = 0; b < B; b++) {
            valid[b] = Math.min(tokens(lengths[b]), tokens(x.steps));
        }
        SeqTensor u = embed.forward(x, training);
        steps = u.steps;
        for (SpikingTransformerBlock blk : blocks) {
            blk.attention().setValid(valid);
            u = blk.forward(u, training);
        }
        SeqTensor s = outLif.forward(u, training);
        int C = s.features;
        float[] sums = new float[B * C];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < valid[b]; t++) {
                int base = (t * B + b) * C;
                for (int c = 0; c < C; c++) {
                    sums[b * C + c] += s.data[base + c];
                }
            }
        }
        SeqTensor z = head.forward(new SeqTensor(1, B, C, sums), training);
        float[][] logits = new float[B][classes];
        for (int b = 0; b < B; b++) {
            float L = Math.max(valid[b], 1);
            for (int k = 0; k < classes; k++) {
                logits[b][k] = z.data[b * classes + k] / L;
            }
        }
        return logits;
    }

    /** Back-propagates {@code dLoss/dLogits} of the last training forward pass; parameter gradients accumulate. */
    public void backward(float[][] gradLogits) {
        int B = valid.length, C = config.model().embedDim();
        float[] gz = new float[B * classes];
        for (int b = 0; b < B; b++) {
            float L = Math.max(valid[b], 1);
            for (int k = 0; k < classes; k++) {
                gz[b * classes + k] = gradLogits[b][k] / L;
            }
        }
        SeqTensor gs = head.backward(new SeqTensor(1, B, classes, gz));
        float[] g = new float[steps * B * C];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < valid[b]; t++) {
                System.arraycopy(gs.data, b * C, g, (t * B + b) * C, C);
            }
        }
        SeqTensor gu = outLif.backward(new SeqTensor(steps, B, C, g));
        for (int k = blocks.size() - 1; k >= 0; k--) {
            gu = blocks.get(k).backward(gu);
        }
        embed.backward(gu);
    }

    /** Every projection ({@code QLinear -> BN}) in data-flow order. */
    public List<QuantizedProjection> projections() {
        return modules(QuantizedProjection.class);
    }

    /** Clamps embedding delay positions into the window after an optimizer step. */
    public void clampPositions() {
        delays.clampPositions();
    }

    /** The SNN-delays sigma schedule for the embedding delays, called at the end of epoch {@code epoch}. */
    public void annealSigma(int epoch, int epochs) {
        delays.annealSigma(epoch, epochs, sigInit, SIG_FINAL);
    }
}
