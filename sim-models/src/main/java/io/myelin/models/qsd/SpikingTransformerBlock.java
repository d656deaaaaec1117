package io.myelin.models.qsd;

import io.myelin.models.attention.SpikeDrivenSelfAttention;
import io.myelin.models.layer.Layer;
import io.myelin.models.module.Module;
import io.myelin.models.tensor.SeqTensor;

import java.util.List;

/**
 * One QSD-Transformer block with membrane shortcuts: {@code u' = u + QSDSA(u)}, {@code u'' = u' + MLP(u')}. The
 * shortcuts add membrane potentials (real values), never spikes, so the block's input and output stay membranes
 * and every synaptic layer inside is still fed by spikes.
 */
public final class SpikingTransformerBlock implements Layer {
    private final SpikeDrivenSelfAttention attention;
    private final SpikingMlp mlp;

    public SpikingTransformerBlock(SpikeDrivenSelfAttention attention, SpikingMlp mlp) {
        this.attention = attention;
        this.mlp = mlp;
    }

    public SpikeDrivenSelfAttention attention() {
        return attention;
    }

    public SpikingMlp mlp() {
        return mlp;
    }

    @Override
    public List<? extends Module> children() {
        return List.of(attention, mlp);
    }

    @Override
    public SeqTensor forward(SeqTensor u, boolean training) {
        SeqTensor u1 = u.copy();
        u1.add(attention.forward(u, training));
        SeqTensor u2 = u1.copy();
        u2.add(mlp.forward(u1, training));
        return u2;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        SeqTensor g1 = gradOut.copy();
        g1.add(mlp.backward(gradOut));
        SeqTensor g0 = g1.copy();
        g0.add(attention.backward(g1));
        return g0;
    }
}
