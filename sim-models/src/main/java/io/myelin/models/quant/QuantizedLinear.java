package io.myelin.models.quant;

import io.myelin.models.layer.Dense;
import io.myelin.models.layer.Layer;
import io.myelin.models.module.Param;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.util.List;

/**
 * A time-distributed linear layer (no bias) whose weights are quantized to {@link BitWidth} with LSQ step sizes per
 * output channel: the latent float weights and the steps are trained, the forward pass uses {@code q * s}. The
 * spike-driven matrix product is {@link Dense}'s, run on the fake-quantized weights.
 */
public final class QuantizedLinear implements LevelLinear {
    private final String name;
    private final int in;
    private final int out;
    private final LsqQuantizer quantizer;
    private final Param weight;
    private final Param step;
    private final Dense product;
    private boolean stepsInitialised;

    public QuantizedLinear(String name, int in, int out, BitWidth bits, long seed) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.quantizer = new LsqQuantizer(bits, out, in);
        this.product = new Dense(name + ".q", in, out, seed);
        this.weight = new Param(name + ".weight", Param.Kind.WEIGHT, product.weight().value.clone());
        this.step = new Param(name + ".step", Param.Kind.STEP, new float[out]);
    }

    public String name() {
        return name;
    }

    @Override
    public BitWidth bits() {
        return quantizer.bits();
    }

    public Param weight() {
        return weight;
    }

    public Param step() {
        return step;
    }

    @Override
    public void setWorkers(Workers w) {
        product.setWorkers(w);
    }

    public void setInputGradient(boolean needed) {
        product.setInputGradient(needed);
    }

    /** LSQ initialisation of the steps from the current weights (done on the first forward pass if not called). */
    public void initialiseSteps() {
        System.arraycopy(quantizer.initialSteps(weight.value), 0, step.value, 0, out);
        stepsInitialised = true;
    }

    /** Declares the steps as set (restored from a file): the first forward pass must not re-initialise them. */
    public void markStepsInitialised() {
        stepsInitialised = true;
    }

    /** The weights as stored: integer levels and per-channel scales. */
    public PackedWeights packed() {
        ensureSteps();
        return PackedWeights.pack(quantizer.bits(), out, in, quantizer.levels(weight.value, step.value), step.value);
    }

    private void ensureSteps() {
        if (!stepsInitialised) {
            initialiseSteps();
        }
    }

    @Override
    public List<Param> ownParams() {
        return List.of(weight, step);
    }

    /** The LSQ steps from the current weights, unless set. */
    @Override
    public void materialise() {
        ensureSteps();
    }

    /** Restored steps are kept (the first forward pass must not re-initialise them). */
    @Override
    public void stateLoaded() {
        markStepsInitialised();
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** Integer weight levels {@code [out][in]} under the current steps. */
    public int[] levels() {
        ensureSteps();
        return quantizer.levels(weight.value, step.value);
    }

    /**
     * Training: the fake-quantized product {@code (q s) x}. Evaluation: {@code s * (q x)}, the integer-level sums
     * scaled once per channel, as the integer inference path computes it ({@link #levelSums}).
     */
    @Override
    public SeqTensor forward(SeqTensor x, boolean training) {
        ensureSteps();
        if (!training) {
            SeqTensor sums = levelSums(x);
            float[] d = sums.data;
            for (int r = 0, rows = sums.rows(); r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    d[r * out + o] *= step.value[o];
                }
            }
            return sums;
        }
        float[] wq = quantizer.quantize(weight.value, step.value);
        System.arraycopy(wq, 0, product.weight().value, 0, wq.length);
        return product.forward(x, training);
    }

    /**
     * {@code q x} with the integer levels as weights. For inputs that are multiples of a power of two (spike counts
     * over D) every product and partial sum is exact in float, so the result equals the integer accumulation divided
     * by D, whatever the summation order.
     */
    public SeqTensor levelSums(SeqTensor x) {
        int[] q = levels();
        float[] pw = product.weight().value;
        for (int k = 0; k < q.length; k++) {
            pw[k] = q[k];
        }
        return product.forward(x, false);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        product.weight().zeroGrad();
        SeqTensor dx = product.backward(gradOut);
        quantizer.backward(weight.value, step.value, product.weight().grad, weight.grad, step.grad);
        return dx;
    }
}
