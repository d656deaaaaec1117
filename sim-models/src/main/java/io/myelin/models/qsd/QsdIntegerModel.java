package io.myelin.models.qsd;

import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.IeLif;
import io.myelin.models.quant.LevelLinear;
import io.myelin.models.quant.QuantizedProjection;

import java.util.ArrayList;
import java.util.List;

/**
 * A trained QSD-Transformer exported for integer inference: integer weight levels, per-channel folded scales
 * (LSQ step times BatchNorm), integer delays of the embedding, and the neurons' level count. Plain arrays, the
 * layout {@link io.myelin.kernels.quant.IntegerOps} takes.
 *
 * @param inputs  model inputs (pooled channels)
 * @param classes output classes
 * @param levels  IE-LIF levels D
 * @param embed   the embedding (fed raw spike counts)
 * @param blocks  transformer blocks
 * @param head    the classifier: levels {@code [classes][C]}, {@code a} = its steps, {@code b} = 0
 */
public record QsdIntegerModel(int inputs, int classes, int levels, Projection embed, List<Block> blocks,
                              Projection head) {

    /**
     * One {@code QLinear -> BN} in folded form: {@code y_o = a_o * (acc_o / D_in) + b_o} with the integer sum
     * {@code acc_o = sum_i levels[o][i] * count_i} (at the synapse's delay when {@code delays != null}).
     *
     * @param inputLevels D of the neuron feeding it (its spikes are counts over D), or 1 for raw spike counts
     * @param delays      integer delays in steps {@code [out][in]}, or null
     */
    public record Projection(int in, int out, int[] levels, float[] a, float[] b, int inputLevels, int[] delays,
                             int extraSteps) {
        /** Weight and delay bits of this projection at {@code weightBits} per weight and {@code delayBits} per delay. */
        public long synapses() {
            return (long) in * out;
        }
    }

    /** One block: Q, K, V, output projection of the attention, the MLP's two projections, heads and scale. */
    public record Block(Projection q, Projection k, Projection v, Projection o, Projection fc1, Projection fc2,
                        int heads, double scale) {
    }

    /** Exports a quantized model (every synaptic layer a {@link LevelLinear}). */
    public static QsdIntegerModel export(QsdTransformer model) {
        if (model.config().bitWidth() == null) {
            throw new io.myelin.core.InvalidInputException("integer inference needs a quantized model; this one has "
                    + "float32 weights (model.weightBits 32)");
        }
        int D = model.config().model().levels();
        Projection embed = projection(model.embedding(), 1);
        List<Block> blocks = new ArrayList<>();
        for (SpikingTransformerBlock b : model.blocks()) {
            List<QuantizedProjection> a = b.attention().projections(), m = b.mlp().projections();
            blocks.add(new Block(projection(a.get(0), D), projection(a.get(1), D), projection(a.get(2), D),
                    projection(a.get(3), D), projection(m.get(0), D), projection(m.get(1), D),
                    b.attention().core().heads(), b.attention().core().scale()));
        }
        LevelLinear h = (LevelLinear) model.head();
        Projection head = new Projection(h.in(), h.out(), h.levels(), h.step().value.clone(), new float[h.out()], D,
                null, 0);
        IeLif.checkLevels(D);
        return new QsdIntegerModel(model.inputs(), model.classes(), D, embed, blocks, head);
    }

    private static Projection projection(QuantizedProjection p, int inputLevels) {
        QuantizedProjection.Folded f = p.folded();
        int[] delays = null;
        int extra = 0;
        DclsDelayedDense d = p.linear() instanceof io.myelin.models.quant.QuantizedDelayedDense q ? q.delays() : null;
        if (d != null) {
            delays = new int[p.in() * p.out()];
            for (int o = 0; o < p.out(); o++) {
                for (int i = 0; i < p.in(); i++) {
                    delays[o * p.in() + i] = d.roundedDelaySteps(o, i);
                }
            }
            extra = d.outputSteps(0);
        }
        return new Projection(p.in(), p.out(), f.levels(), f.a(), f.b(), inputLevels, delays, extra);
    }
}
