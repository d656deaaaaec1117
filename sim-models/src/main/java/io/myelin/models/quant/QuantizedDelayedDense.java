package io.myelin.models.quant;

import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.DelayedLayer;
import io.myelin.models.layer.SynapticLayer;
import io.myelin.models.module.Buffer;
import io.myelin.models.module.Param;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.util.List;

/**
 * A {@link DclsDelayedDense} (learnable delays) whose weights are quantized with LSQ steps per output channel, as
 * {@link QuantizedLinear} does for a plain linear layer: the latent weights, the steps and the delay positions train;
 * the DCLS kernel is built on {@code q * s}. In evaluation the kernel has one tap per synapse at its rounded delay
 * and the layer returns {@code s * (sum of q * x at the delayed steps)}: integer-level sums scaled once per channel,
 * the arithmetic of the integer inference path.
 */
public final class QuantizedDelayedDense implements SynapticLayer, LevelLinear, DelayedLayer {
    private final DclsDelayedDense inner;
    private final LsqQuantizer quantizer;
    private final Param weight;
    private final Param step;
    private boolean stepsInitialised;

    public QuantizedDelayedDense(String name, int in, int out, int taps, double sigmaTruncation, BitWidth bits,
                                 long seed) {
        this.inner = new DclsDelayedDense(name, in, out, taps, DclsDelayedDense.DelayMode.LEARNED, sigmaTruncation, seed);
        this.quantizer = new LsqQuantizer(bits, out, in);
        this.weight = new Param(name + ".latent", Param.Kind.WEIGHT, inner.weight().value.clone());
        this.step = new Param(name + ".step", Param.Kind.STEP, new float[out]);
    }

    /** The delay layer itself (positions, sigma, rounded delays). */
    @Override
    public DclsDelayedDense delays() {
        return inner;
    }

    public BitWidth bits() {
        return quantizer.bits();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int in() {
        return inner.in();
    }

    @Override
    public int out() {
        return inner.out();
    }

    /** The latent (trained) weights. */
    @Override
    public Param weight() {
        return weight;
    }

    public Param step() {
        return step;
    }

    @Override
    public void setWorkers(Workers w) {
        inner.setWorkers(w);
    }

    @Override
    public void setInputGradient(boolean needed) {
        inner.setInputGradient(needed);
    }

    public void markStepsInitialised() {
        stepsInitialised = true;
    }

    private void ensureSteps() {
        if (!stepsInitialised) {
            System.arraycopy(quantizer.initialSteps(weight.value), 0, step.value, 0, step.value.length);
            stepsInitialised = true;
        }
    }

    /** Integer weight levels {@code [out][in]}. */
    public int[] levels() {
        ensureSteps();
        return quantizer.levels(weight.value, step.value);
    }

    public PackedWeights packed() {
        return PackedWeights.pack(quantizer.bits(), inner.out(), inner.in(), levels(), step.value);
    }

    @Override
    public int outputSteps(int steps) {
        return inner.outputSteps(steps);
    }

    /** The latent weights, the delay positions and the steps (the inner layer's weights are derived from them). */
    @Override
    public List<Param> ownParams() {
        return List.of(weight, inner.position(), step);
    }

    /** SIG of the delay kernels, exactly. */
    @Override
    public List<Buffer> ownBuffers() {
        return List.of(Buffer.ofDouble(inner.name() + ".sig64", inner::sig, inner::setSig));
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

    @Override
    public SeqTensor forward(SeqTensor x, boolean training) {
        ensureSteps();
        if (!training) {
            SeqTensor s = levelSums(x);
            int out = inner.out();
            float[] d = s.data;
            for (int r = 0, rows = s.rows(); r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    d[r * out + o] *= step.value[o];
                }
            }
            return s;
        }
        float[] wq = quantizer.quantize(weight.value, step.value);
        System.arraycopy(wq, 0, inner.weight().value, 0, wq.length);
        return inner.forward(x, true);
    }

    /** Rounded-delay sums with the integer levels as weights (exact for integer inputs). */
    public SeqTensor levelSums(SeqTensor x) {
        int[] q = levels();
        float[] w = inner.weight().value;
        for (int k = 0; k < q.length; k++) {
            w[k] = q[k];
        }
        return inner.forward(x, false);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        inner.weight().zeroGrad();
        SeqTensor dx = inner.backward(gradOut);
        quantizer.backward(weight.value, step.value, inner.weight().grad, weight.grad, step.grad);
        return dx;
    }
}
