package io.myelin.models.layer;

import cern.jet.random.engine.MersenneTwister;
import io.myelin.models.layer.dcls.DclsEventLayout;
import io.myelin.models.layer.dcls.DclsKernel;
import io.myelin.models.layer.dcls.DclsPathChooser;
import io.myelin.models.layer.dcls.DclsSums;
import io.myelin.models.layer.dcls.GaussianDelayKernel;
import io.myelin.models.layer.dcls.InputGradientPath;
import io.myelin.models.module.Buffer;
import io.myelin.models.module.Param;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.util.List;

/**
 * A fully connected layer in which every synapse {@code (o, i)} has a weight {@code W[o,i]} and a real-valued delay,
 * learned with Dilated Convolution with Learnable Spacings (Hammouamri et al. 2023; docs/dcls.md). The synapse's
 * kernel over {@code taps} delay taps is a Gaussian centred at {@code mu = P[o,i] + taps/2} (integer division),
 * normalised over all taps:
 * <pre>
 *   K[o,i,n] = W[o,i] * g(n) / (sum_n g(n) + 1e-7),   g(n) = exp(-0.5 ((n - mu) / sigma)^2),   sigma = |SIG| + 0.27
 * </pre>
 * and the output is the cross-correlation of the input, padded with {@code taps - 1} zeros on the left and
 * {@code (taps - 1) / 2} on the right, with K: tap n delays by {@code taps - 1 - n} steps, the output has
 * {@code T + (taps - 1) / 2} steps, and a rounded position P is a delay of {@code taps - 1 - taps/2 - P} steps
 * ({@code 12 - P}, so 0..24 steps, for 25 taps).
 *
 * <p>The window is truncated to taps within {@code sigmaTruncation} standard deviations of mu (0: all taps); the
 * normalisation always runs over all taps, so truncation drops only the tails. In evaluation (and in
 * {@link DelayMode#FIXED}) each synapse has exactly one tap, at the rounded position, with weight W: this is the
 * network the engine runs after export.
 *
 * <p>The layer owns the parameters; each pass builds the kernel ({@link DclsKernel}) and the input's event layout
 * ({@link DclsEventLayout}) and runs the sums ({@link DclsSums}) on the paths a {@link DclsPathChooser} picks.
 * Weights are stored {@code [out][in]} (element {@code o * in + i}), as in PyTorch.
 */
public final class DclsDelayedDense implements SynapticLayer, DelayedLayer {
    /** How delays are treated. */
    public enum DelayMode {
        /** Positions are parameters, Gaussian kernel in training, rounded in evaluation (SNN-delays). */
        LEARNED,
        /** Positions are drawn once, rounded, and never change (the fixed-random-delays ablation). */
        FIXED
    }

    private final String name;
    private final int in;
    private final int out;
    private final int taps;
    private final DelayMode mode;
    private final double sigmaTruncation;
    private final Param weight;
    private final Param position;
    private double sig;
    private boolean sigAsFloat;
    private Workers workers = Workers.serial();
    private boolean inputGradient = true;
    private float[] inputGradientMask;   // [batch][in]: zero where the caller drops the input gradient
    private DclsPathChooser chooser = DclsPathChooser.byCost();
    private final DclsKernel kernel;
    private final DclsSums sums = new DclsSums();
    private DclsEventLayout layout;   // of the last forward pass

    /**
     * @param sigmaTruncation Gaussian window half-width in standard deviations (0: no truncation)
     * @param seed            seed for the Kaiming-uniform weights and uniform positions
     */
    public DclsDelayedDense(String name, int in, int out, int taps, DelayMode mode, double sigmaTruncation, long seed) {
        if (in < 1 || out < 1 || taps < 1) {
            throw new IllegalArgumentException(name + ": in, out and taps must be >= 1 (got " + in + ", " + out + ", " + taps + ")");
        }
        if (!(sigmaTruncation >= 0) || Double.isInfinite(sigmaTruncation)) {
            throw new IllegalArgumentException(name + ": sigma truncation must be a finite number >= 0, got " + sigmaTruncation);
        }
        this.name = name;
        this.in = in;
        this.out = out;
        this.taps = taps;
        this.mode = mode;
        this.sigmaTruncation = sigmaTruncation;
        MersenneTwister rng = WeightInit.rng(seed);
        float[] w = WeightInit.kaimingUniform(out * in, in, rng);
        float[] p = new float[out * in];
        int half = taps / 2;
        for (int k = 0; k < p.length; k++) {
            double v = -half + rng.raw() * 2 * half;
            p[k] = (float) (mode == DelayMode.FIXED ? Math.rint(v) : v);
        }
        this.weight = new Param(name + ".weight", Param.Kind.WEIGHT, w);
        this.position = new Param(name + ".position", Param.Kind.POSITION, p);
        this.sig = taps / 2;
        this.kernel = new DclsKernel(in, out, taps);
    }

    public String name() {
        return name;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public int taps() {
        return taps;
    }

    public DelayMode mode() {
        return mode;
    }

    public double sigmaTruncation() {
        return sigmaTruncation;
    }

    public Param weight() {
        return weight;
    }

    public Param position() {
        return position;
    }

    /** The raw SIG value (sigma = |SIG| + 0.27). */
    public double sig() {
        return sig;
    }

    public void setSig(double s) {
        this.sig = s;
    }

    /** The Gaussian's standard deviation in taps. */
    public double sigma() {
        return GaussianDelayKernel.sigma(sig);
    }

    @Override
    public void setWorkers(Workers w) {
        this.workers = w;
    }

    /** The first layer needs no input gradient. */
    public void setInputGradient(boolean needed) {
        this.inputGradient = needed;
    }

    /**
     * The caller multiplies the next input gradient by {@code keep[b * in + i]} for every step (a dropout mask): where
     * it is zero the gradient is not computed and left zero. Null: all of it.
     */
    @Override
    public void setInputGradientMask(float[] keep) {
        this.inputGradientMask = keep;
    }

    /** How the sums run from now on: by the measured cost model (the default) or as forced (tests, benchmarks). */
    public void setPathChooser(DclsPathChooser chooser) {
        this.chooser = java.util.Objects.requireNonNull(chooser, "chooser");
    }

    public DclsPathChooser pathChooser() {
        return chooser;
    }

    /** Clamps positions to [-taps/2, taps/2] (after every optimizer step, as the reference does). */
    public void clampPositions() {
        float half = taps / 2;
        float[] p = position.value;
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.max(-half, Math.min(half, p[k]));
        }
    }

    /** The integer delay in steps synapse (o, i) has after rounding (what export uses). */
    public int roundedDelaySteps(int o, int i) {
        return taps - 1 - GaussianDelayKernel.roundedTap(position.value[o * in + i], taps);
    }

    @Override
    public int outputSteps(int steps) {
        return steps + (taps - 1) / 2;
    }

    /** Weights, and positions when they are learned. */
    @Override
    public List<Param> ownParams() {
        return mode == DelayMode.LEARNED ? List.of(weight, position) : List.of(weight);
    }

    /**
     * Fixed positions (a parameter when learned), SIG rounded to one float for readers when {@link #recordSigAsFloat}
     * asks for it, and SIG exactly ({@code NAME.sig64}, what a restore reads).
     */
    @Override
    public List<Buffer> ownBuffers() {
        List<Buffer> b = new java.util.ArrayList<>(3);
        if (mode != DelayMode.LEARNED) {
            b.add(Buffer.of(position.name, position.value));
        }
        if (sigAsFloat) {
            b.add(Buffer.recorded(name + ".sig", 1, () -> new float[]{(float) sig}));
        }
        b.add(Buffer.ofDouble(name + ".sig64", this::sig, this::setSig));
        return b;
    }

    /** Also lists SIG as one float ({@code NAME.sig}) in the state; the delay-SNN files carry it for their readers. */
    public void recordSigAsFloat(boolean on) {
        this.sigAsFloat = on;
    }

    /** This layer. */
    @Override
    public DclsDelayedDense delays() {
        return this;
    }

    @Override
    public SeqTensor forward(SeqTensor input, boolean training) {
        if (input.features != in) {
            throw new IllegalArgumentException(name + ": expects " + in + " input features, got " + input.features);
        }
        kernel.build(weight.value, position.value, training && mode == DelayMode.LEARNED, sigma(), sigmaTruncation,
                workers);
        layout = DclsEventLayout.of(input, taps, workers);
        return sums.forward(chooser.forward(kernel, layout), kernel, layout, workers);
    }

    /** The (sample, input) pairs whose gradient is wanted. */
    private long keptPairs(float[] keep, int batch) {
        if (keep == null) {
            return (long) batch * in;
        }
        long n = 0;
        for (float k : keep) {
            if (k != 0f) {
                n++;
            }
        }
        return n;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        if (gradOut.steps != layout.outSteps() || gradOut.batch != layout.batch() || gradOut.features != out) {
            throw new IllegalArgumentException(name + ": gradient shape " + gradOut + " does not match the output");
        }
        float[] dK = new float[in * out * kernel.maxWindow()];
        // the caller's mask when it fits this batch, else all of the input gradient
        float[] keep = inputGradientMask != null && inputGradientMask.length == gradOut.batch * in
                ? inputGradientMask : null;
        InputGradientPath inputPath = inputGradient ? chooser.inputGradient(kernel, layout.steps(), layout.batch(),
                keptPairs(keep, gradOut.batch)) : null;
        SeqTensor dx = sums.backward(chooser.kernelGradient(kernel, layout), inputPath, kernel, layout, gradOut, keep, dK,
                workers);
        kernel.accumulateParameterGradients(dK, weight.value, weight.grad, position.grad, workers);
        return dx;
    }
}
