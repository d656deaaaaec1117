package io.myelin.models.attention;

import io.myelin.models.attention.LinearSpikeAttention;
import io.myelin.models.layer.IeLif;
import io.myelin.models.layer.Layer;
import io.myelin.models.module.Module;
import io.myelin.models.quant.BitWidth;
import io.myelin.models.quant.QuantizedProjection;
import io.myelin.models.tensor.SeqTensor;

import java.util.List;

/**
 * Quantized spike-driven self-attention (Q-SDSA, docs/references.md §4) on a block's membrane potential {@code u}:
 * <pre>
 *   S = IELIF(u);   Q = IELIF(BN(QLinear_q S)),  K = ...,  V = ...      (rectified IE-LIF neurons)
 *   A = c Q (K^T V)  per head (LinearSpikeAttention);   out = BN(QLinear_o IELIF(A))
 * </pre>
 * The caller adds {@code out} to {@code u} (membrane shortcut). For fine-grained distillation {@link #queries()} etc.
 * expose the Q, K, V spike tensors and {@link #addRepresentationGradients} adds a loss gradient on them.
 */
public final class SpikeDrivenSelfAttention implements Layer {
    private final IeLif head;
    private final QuantizedProjection qProj, kProj, vProj, oProj;
    private final IeLif qLif, kLif, vLif, attnLif;
    private final LinearSpikeAttention core;
    private int[] valid;
    private SeqTensor extraQ, extraK, extraV;

    /**
     * @param rectify whether Q, K, V neurons get the rectifying BatchNorm initialisation (the paper's IE-LIF);
     *                false gives the plain QSD baseline
     */
    public SpikeDrivenSelfAttention(String name, int channels, int heads, BitWidth bits, int levels, double scale,
                                    boolean rectify, long seed) {
        int r = rectify ? levels : 0;
        head = new IeLif(levels);
        qProj = new QuantizedProjection(name + ".q", channels, channels, bits, r, seed * 31 + 1);
        kProj = new QuantizedProjection(name + ".k", channels, channels, bits, r, seed * 31 + 2);
        vProj = new QuantizedProjection(name + ".v", channels, channels, bits, r, seed * 31 + 3);
        oProj = new QuantizedProjection(name + ".o", channels, channels, bits, 0, seed * 31 + 4);
        qLif = new IeLif(levels);
        kLif = new IeLif(levels);
        vLif = new IeLif(levels);
        attnLif = new IeLif(levels);
        core = new LinearSpikeAttention(heads, scale);
    }

    public void setValid(int[] valid) {
        this.valid = valid;
    }

    /** The projections (their parameters in Q, K, V, O order), the neurons in data-flow order, the attention core. */
    @Override
    public List<? extends Module> children() {
        return List.of(qProj, kProj, vProj, oProj, head, qLif, kLif, vLif, attnLif, core);
    }

    public List<QuantizedProjection> projections() {
        return List.of(qProj, kProj, vProj, oProj);
    }

    /** Neurons in data-flow order: input, Q, K, V, attention. */
    public List<IeLif> neurons() {
        return List.of(head, qLif, kLif, vLif, attnLif);
    }

    public LinearSpikeAttention core() {
        return core;
    }

    public SeqTensor queries() {
        return qLif.lastOutput();
    }

    public SeqTensor keys() {
        return kLif.lastOutput();
    }

    public SeqTensor values() {
        return vLif.lastOutput();
    }

    /** Adds gradients on the Q, K, V spike tensors of the last forward pass (distillation), used by the next backward. */
    public void addRepresentationGradients(SeqTensor gq, SeqTensor gk, SeqTensor gv) {
        extraQ = gq;
        extraK = gk;
        extraV = gv;
    }

    @Override
    public SeqTensor forward(SeqTensor u, boolean training) {
        if (valid == null || valid.length != u.batch) {
            throw new IllegalStateException("attention needs the valid token counts of this batch (setValid)");
        }
        extraQ = extraK = extraV = null;
        SeqTensor s = head.forward(u, training);
        SeqTensor q = qLif.forward(qProj.forward(s, training), training);
        SeqTensor k = kLif.forward(kProj.forward(s, training), training);
        SeqTensor v = vLif.forward(vProj.forward(s, training), training);
        SeqTensor a = core.forward(q, k, v, valid);
        return oProj.forward(attnLif.forward(a, training), training);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        SeqTensor ga = attnLif.backward(oProj.backward(gradOut));
        SeqTensor[] g = core.backward(ga);
        g[0].add(extraQ);
        g[1].add(extraK);
        g[2].add(extraV);
        SeqTensor gs = qProj.backward(qLif.backward(g[0]));
        gs.add(kProj.backward(kLif.backward(g[1])));
        gs.add(vProj.backward(vLif.backward(g[2])));
        return head.backward(gs);
    }
}
