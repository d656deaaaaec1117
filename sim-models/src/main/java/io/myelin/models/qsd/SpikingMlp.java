package io.myelin.models.qsd;

import io.myelin.models.layer.IeLif;
import io.myelin.models.layer.Layer;
import io.myelin.models.module.Module;
import io.myelin.models.quant.BitWidth;
import io.myelin.models.quant.QuantizedProjection;
import io.myelin.models.tensor.SeqTensor;

import java.util.List;

/**
 * The spiking MLP of a QSD-Transformer block on the membrane potential {@code u}:
 * {@code BN(QLinear_2 IELIF(BN(QLinear_1 IELIF(u))))}, hidden width {@code mlpRatio x channels}. The caller adds the
 * result to {@code u} (membrane shortcut).
 */
public final class SpikingMlp implements Layer {
    private final IeLif lif1, lif2;
    private final QuantizedProjection fc1, fc2;

    public SpikingMlp(String name, int channels, int hidden, BitWidth bits, int levels, long seed) {
        lif1 = new IeLif(levels);
        fc1 = new QuantizedProjection(name + ".fc1", channels, hidden, bits, 0, seed * 31 + 5);
        lif2 = new IeLif(levels);
        fc2 = new QuantizedProjection(name + ".fc2", hidden, channels, bits, 0, seed * 31 + 6);
    }

    @Override
    public List<? extends Module> children() {
        return List.of(fc1, fc2, lif1, lif2);
    }

    public List<QuantizedProjection> projections() {
        return List.of(fc1, fc2);
    }

    public List<IeLif> neurons() {
        return List.of(lif1, lif2);
    }

    @Override
    public SeqTensor forward(SeqTensor u, boolean training) {
        SeqTensor h = lif2.forward(fc1.forward(lif1.forward(u, training), training), training);
        return fc2.forward(h, training);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        return lif1.backward(fc1.backward(lif2.backward(fc2.backward(gradOut))));
    }
}
