package io.myelin.models.quant;

import io.myelin.models.layer.BatchNormOverTime;
import io.myelin.models.layer.Dense;
import io.myelin.models.layer.IeLif;
import io.myelin.models.layer.Layer;
import io.myelin.models.layer.SynapticLayer;
import io.myelin.models.module.Module;
import io.myelin.models.quant.BitWidth;
import io.myelin.models.quant.LevelLinear;
import io.myelin.models.quant.QuantizedLinear;
import io.myelin.models.tensor.SeqTensor;

import java.util.List;

/**
 * {@code QuantLinear -> BatchNorm}, the projection unit of the QSD-Transformer, applied per token. With float weights
 * ({@code bits == null}, the distillation teacher) the linear part is a plain {@link Dense}.
 *
 * <p>In evaluation the BatchNorm is folded into the weights' per-channel scale: {@code y = a_o (q x)_o + b_o} with
 * {@code a_o = s_o gamma_o / sqrt(var_o + eps)}, {@code b_o = beta_o - a_o mean_o / s_o}; {@code (q x)} is the
 * exact integer-level sum, so this is the very expression the integer path evaluates ({@link #folded()}).
 */
public final class QuantizedProjection implements Layer {
    private final String name;
    private final Layer linear;
    private final BatchNormOverTime bn;

    /**
     * @param bits        weight width, or null for float32 weights
     * @param rectifyFor  IE-LIF levels D whose rectifying BatchNorm initialisation to use, or 0 for gamma 1, beta 0
     */
    public QuantizedProjection(String name, int in, int out, BitWidth bits, int rectifyFor, long seed) {
        this(name, bits == null ? new Dense(name + ".fc", in, out, seed) : new QuantizedLinear(name + ".fc", in, out, bits, seed),
                out, rectifyFor);
    }

    /**
     * Around a given synaptic layer: a {@link LevelLinear} (quantized) or a float {@link SynapticLayer}.
     */
    public QuantizedProjection(String name, Layer linear, int out, int rectifyFor) {
        if (!(linear instanceof LevelLinear) && !(linear instanceof SynapticLayer)) {
            throw new IllegalArgumentException(name + ": the linear part must be a synaptic layer");
        }
        this.name = name;
        this.linear = linear;
        this.bn = new BatchNormOverTime(name + ".bn", out);
        if (rectifyFor > 0) {
            double[] ga = IeLif.rectifyingAffine(rectifyFor);
            java.util.Arrays.fill(bn.gamma().value, (float) ga[0]);
            java.util.Arrays.fill(bn.beta().value, (float) ga[1]);
        }
    }

    public String name() {
        return name;
    }

    public Layer linear() {
        return linear;
    }

    public BatchNormOverTime norm() {
        return bn;
    }

    public boolean quantized() {
        return linear instanceof LevelLinear;
    }

    public int in() {
        return linear instanceof LevelLinear q ? q.in() : ((SynapticLayer) linear).in();
    }

    public int out() {
        return linear instanceof LevelLinear q ? q.out() : ((SynapticLayer) linear).out();
    }

    /** Steps the output has for {@code steps} input steps (delays extend the sequence). */
    @Override
    public int outputSteps(int steps) {
        return linear.outputSteps(steps);
    }

    /** The linear part, then the BatchNorm. */
    @Override
    public List<? extends Module> children() {
        return List.of(linear, bn);
    }

    public void setInputGradient(boolean needed) {
        if (linear instanceof QuantizedLinear q) {
            q.setInputGradient(needed);
        } else {
            ((SynapticLayer) linear).setInputGradient(needed);
        }
    }

    /** The folded evaluation map: integer levels {@code [out][in]}, per-channel {@code a} and {@code b}. */
    public record Folded(int[] levels, float[] a, float[] b) {
    }

    public Folded folded() {
        LevelLinear q = (LevelLinear) linear;
        int[] levels = q.levels();      // first: initialises the LSQ steps of a layer that never ran
        double[][] affine = bn.inferenceAffine();
        int out = q.out();
        float[] a = new float[out], b = new float[out];
        for (int o = 0; o < out; o++) {
            a[o] = (float) (q.step().value[o] * affine[0][o]);
            b[o] = (float) affine[1][o];
        }
        return new Folded(levels, a, b);
    }

    @Override
    public SeqTensor forward(SeqTensor x, boolean training) {
        if (training || !(linear instanceof LevelLinear q)) {
            return bn.forward(linear.forward(x, training), training);
        }
        Folded f = folded();
        SeqTensor s = q.levelSums(x);
        float[] d = s.data;
        int out = f.a.length;
        for (int r = 0, rows = s.rows(); r < rows; r++) {
            int base = r * out;
            for (int o = 0; o < out; o++) {
                d[base + o] = d[base + o] * f.a[o] + f.b[o];
            }
        }
        return s;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        return linear.backward(bn.backward(gradOut));
    }
}
