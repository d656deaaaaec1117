package io.myelin.models.layer;

import cern.jet.random.engine.MersenneTwister;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.VectorOps;
import io.myelin.models.tensor.Workers;

import java.util.List;

/**
 * A fully connected layer in which every synapse {@code (o, i)} has a weight {@code W[o,i]} and a real-valued delay,
 * learned with Dilated Convolution with Learnable Spacings (Hammouamri et al. 2023; REFERENCES §3). The synapse's
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
 * <p>Spike-driven: the forward pass scatters only the non-zero inputs through each synapse's Gaussian window, and
 * the weight and position gradients gather only at those inputs. The window is truncated to taps within
 * {@code sigmaTruncation} standard deviations of mu (0: all taps); the normalisation always runs over all taps, so
 * truncation drops only the tails. When the input is dense (binned counts) the same sums run in a feature-major,
 * vectorisable form instead. In evaluation (and in {@link DelayMode#FIXED}) each synapse has exactly one tap, at the
 * rounded position, with weight W: this is the network the engine runs after export.
 *
 * <p>Weights are stored {@code [out][in]} (element {@code o * in + i}), as in PyTorch.
 */
public final class DclsDelayedDense implements Layer {
    /** How delays are treated. */
    public enum DelayMode {
        /** Positions are parameters, Gaussian kernel in training, rounded in evaluation (SNN-delays). */
        LEARNED,
        /** Positions are drawn once, rounded, and never change (the fixed-random-delays ablation). */
        FIXED
    }

    /** Below this input density the sparse path is used. */
    static final double DENSE_INPUT_DENSITY = 0.2;
    private static final double SIGMA_OFFSET = 0.27;
    private static final double NORM_EPS = 1e-7;

    private final String name;
    private final int in;
    private final int out;
    private final int taps;
    private final DelayMode mode;
    private final double sigmaTruncation;
    private final Param weight;
    private final Param position;
    private double sig;
    private Workers workers = Workers.serial();
    private boolean inputGradient = true;
    private Boolean forcePath;   // null: choose by density; TRUE: dense; FALSE: sparse (tests)

    // kernel of the current forward pass, indexed by q = i * out + o
    private int maxW;
    private int[] lo, len;
    private float[] coef, gwin;
    private double[] normS, gm1, mu;
    private boolean singleTap;
    private double sigma;
    private double meanWindow;
    // the same kernel tap-major, [in][taps][out] (zero outside windows), and per (i, tap) the range of o it reaches
    private float[] tapMajor;
    private int[] liveLo, liveHi;

    // forward cache
    private SeqTensor x;
    private SparseEvents events;
    private float[] xT;
    private int outSteps;

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
        float[] w = new float[out * in];
        float[] p = new float[out * in];
        MersenneTwister rng = new MersenneTwister((int) (seed ^ (seed >>> 32)));
        double bound = Math.sqrt(6.0 / in);
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) ((2 * rng.raw() - 1) * bound);
        }
        int half = taps / 2;
        for (int k = 0; k < p.length; k++) {
            double v = -half + rng.raw() * 2 * half;
            p[k] = (float) (mode == DelayMode.FIXED ? Math.rint(v) : v);
        }
        this.weight = new Param(name + ".weight", Param.Kind.WEIGHT, w);
        this.position = new Param(name + ".position", Param.Kind.POSITION, p);
        this.sig = taps / 2;
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
        return Math.abs(sig) + SIGMA_OFFSET;
    }

    public void setWorkers(Workers w) {
        this.workers = w;
    }

    /** The first layer needs no input gradient. */
    public void setInputGradient(boolean needed) {
        this.inputGradient = needed;
    }

    /** Forces the dense (true) or sparse (false) path, or lets density decide (null). For tests and benchmarks. */
    public void forcePath(Boolean dense) {
        this.forcePath = dense;
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
        return taps - 1 - roundedTap(position.value[o * in + i]);
    }

    private int roundedTap(float p) {
        int n = (int) Math.rint(p) + taps / 2;
        return Math.max(0, Math.min(taps - 1, n));
    }

    @Override
    public int outputSteps(int steps) {
        return steps + (taps - 1) / 2;
    }

    @Override
    public List<Param> params() {
        return mode == DelayMode.LEARNED ? List.of(weight, position) : List.of(weight);
    }

    @Override
    public SeqTensor forward(SeqTensor input, boolean training) {
        if (input.features != in) {
            throw new IllegalArgumentException(name + ": expects " + in + " input features, got " + input.features);
        }
        buildKernel(training && mode == DelayMode.LEARNED);
        this.x = input;
        this.outSteps = outputSteps(input.steps);
        this.events = SparseEvents.of(input);
        // Scattering an event costs `taps` vector passes over the outputs; the feature-major path costs one pass over
        // all positions per window tap: pick the cheaper.
        double density = SparseEvents.density(events.count, input);
        boolean dense = forcePath != null ? forcePath : density * taps > meanWindow && density >= DENSE_INPUT_DENSITY;
        this.xT = dense ? input.featureMajor() : null;
        return dense ? forwardDense() : forwardSparse();
    }

    private void buildKernel(boolean gaussian) {
        int q = in * out;
        singleTap = !gaussian;
        sigma = sigma();
        if (singleTap) {
            maxW = 1;
        } else if (sigmaTruncation > 0) {
            maxW = Math.min(taps, (int) Math.floor(2 * sigmaTruncation * sigma) + 2);
        } else {
            maxW = taps;
        }
        if (lo == null || lo.length != q) {
            lo = new int[q];
            len = new int[q];
            normS = new double[q];
            gm1 = new double[q];
            mu = new double[q];
            tapMajor = new float[in * taps * out];
            liveLo = new int[in * taps];
            liveHi = new int[in * taps];
        }
        if (coef == null || coef.length != q * maxW) {
            coef = new float[q * maxW];
            gwin = new float[q * maxW];
        }
        final float[] w = weight.value, p = position.value;
        final int half = taps / 2;
        final double inv2s2 = 0.5 / (sigma * sigma);
        final long[] windowSum = new long[in];
        workers.forRange(in, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                java.util.Arrays.fill(tapMajor, i * taps * out, (i + 1) * taps * out, 0f);
                for (int n = 0; n < taps; n++) {
                    liveLo[i * taps + n] = out;
                    liveHi[i * taps + n] = 0;
                }
                long wsum = 0;
                for (int o = 0; o < out; o++) {
                    int s = i * out + o;
                    int syn = o * in + i;
                    int cb = s * maxW;
                    if (singleTap) {
                        lo[s] = roundedTap(p[syn]);
                        len[s] = 1;
                        coef[cb] = w[syn];
                        gwin[cb] = 1f;
                    } else {
                        double m = p[syn] + half;
                        double sum = 0, first = 0;
                        for (int n = 0; n < taps; n++) {
                            double g = Math.exp(-(n - m) * (n - m) * inv2s2);
                            sum += g;
                            first += g * (n - m);
                        }
                        int a = 0, b = taps - 1;
                        if (sigmaTruncation > 0) {
                            a = Math.max(0, (int) Math.ceil(m - sigmaTruncation * sigma));
                            b = Math.min(taps - 1, (int) Math.floor(m + sigmaTruncation * sigma));
                        }
                        int l = Math.max(0, Math.min(maxW, b - a + 1));
                        lo[s] = a;
                        len[s] = l;
                        mu[s] = m;
                        normS[s] = sum;
                        gm1[s] = first;
                        double scale = w[syn] / (sum + NORM_EPS);
                        for (int j = 0; j < l; j++) {
                            int n = a + j;
                            double g = Math.exp(-(n - m) * (n - m) * inv2s2);
                            gwin[cb + j] = (float) g;
                            coef[cb + j] = (float) (scale * g);
                        }
                    }
                    wsum += len[s];
                    for (int j = 0; j < len[s]; j++) {
                        int n = lo[s] + j;
                        tapMajor[(i * taps + n) * out + o] = coef[cb + j];
                        int live = i * taps + n;
                        liveLo[live] = Math.min(liveLo[live], o);
                        liveHi[live] = Math.max(liveHi[live], o + 1);
                    }
                }
                windowSum[i] = wsum;
            }
        });
        long total = 0;
        for (long v : windowSum) {
            total += v;
        }
        meanWindow = (double) total / q;
    }

    /** Spike-driven: every non-zero input adds its value times the tap-major kernel into the delayed output rows. */
    private SeqTensor forwardSparse() {
        final int T2 = outSteps, B = x.batch, O = out, Td = taps;
        final float[] y = new float[T2 * B * O];
        final SparseEvents ev = events;
        final float[] k = tapMajor;
        workers.forRange(O, (o0, o1) -> {
            for (int e = 0; e < ev.count; e++) {
                int t = ev.step[e], b = ev.sample[e], i = ev.feature[e];
                float val = ev.value[e];
                for (int n = Math.max(0, t + Td - T2); n < Td; n++) {
                    int live = i * Td + n;
                    int a = Math.max(o0, liveLo[live]), z = Math.min(o1, liveHi[live]);
                    if (a < z) {
                        int t2 = t + Td - 1 - n;
                        VectorOps.axpy(y, (t2 * B + b) * O + a, val, k, live * O + a, z - a);
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, y);
    }

    /** Dense input: one pass over all (t, b) positions per synapse and window tap, in feature-major layout. */
    private SeqTensor forwardDense() {
        final int T = x.steps, T2 = outSteps, B = x.batch, O = out, W = maxW, last = taps - 1;
        final int rowsIn = T * B, rowsOut = T2 * B;
        final float[] yT = new float[O * rowsOut];
        final float[] xt = xT;
        workers.forRange(O, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int ob = o * rowsOut;
                for (int i = 0; i < in; i++) {
                    int s = i * O + o, l = lo[s], cb = s * W, ib = i * rowsIn;
                    for (int j = 0, n = len[s]; j < n; j++) {
                        int delay = last - (l + j);
                        int cnt = Math.min(T, T2 - delay) * B;
                        VectorOps.axpy(yT, ob + delay * B, coef[cb + j], xt, ib, cnt);
                    }
                }
            }
        });
        return SeqTensor.fromFeatureMajor(yT, T2, B, O);
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        final int T = x.steps, T2 = outSteps, B = x.batch, O = out, W = maxW, last = taps - 1, Td = taps;
        if (gradOut.steps != T2 || gradOut.batch != B || gradOut.features != O) {
            throw new IllegalArgumentException(name + ": gradient shape " + gradOut + " does not match the output");
        }
        final float[] dcoef = new float[in * O * W];
        final float[] g = gradOut.data;
        float[] gT = null;
        if (xT == null) {
            // gather at the input events only, into a tap-major gradient
            final float[] dk = new float[in * Td * O];
            final SparseEvents ev = events;
            workers.forRange(O, (o0, o1) -> {
                for (int e = 0; e < ev.count; e++) {
                    int t = ev.step[e], b = ev.sample[e], i = ev.feature[e];
                    float val = ev.value[e];
                    for (int n = Math.max(0, t + Td - T2); n < Td; n++) {
                        int live = i * Td + n;
                        int a = Math.max(o0, liveLo[live]), z = Math.min(o1, liveHi[live]);
                        if (a < z) {
                            int t2 = t + Td - 1 - n;
                            VectorOps.axpy(dk, live * O + a, val, g, (t2 * B + b) * O + a, z - a);
                        }
                    }
                }
            });
            workers.forRange(in, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    for (int o = 0; o < O; o++) {
                        int s = i * O + o, cb = s * W;
                        for (int j = 0, n = len[s]; j < n; j++) {
                            dcoef[cb + j] = dk[(i * Td + lo[s] + j) * O + o];
                        }
                    }
                }
            });
        } else {
            gT = gradOut.featureMajor();
            final float[] gt = gT, xt = xT;
            final int rowsIn = T * B, rowsOut = T2 * B;
            workers.forRange(O, (o0, o1) -> {
                for (int o = o0; o < o1; o++) {
                    int ob = o * rowsOut;
                    for (int i = 0; i < in; i++) {
                        int s = i * O + o, l = lo[s], cb = s * W, ib = i * rowsIn;
                        for (int j = 0, n = len[s]; j < n; j++) {
                            int delay = last - (l + j);
                            int cnt = Math.min(T, T2 - delay) * B;
                            dcoef[cb + j] = VectorOps.dot(xt, ib, gt, ob + delay * B, cnt);
                        }
                    }
                }
            });
        }
        accumulateParamGrads(dcoef);
        if (!inputGradient) {
            return null;
        }
        final float[] gt = gT != null ? gT : gradOut.featureMajor();
        final int rowsIn = T * B, rowsOut = T2 * B;
        final float[] dxT = new float[in * rowsIn];
        workers.forRange(in, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int ib = i * rowsIn;
                for (int o = 0; o < O; o++) {
                    int s = i * O + o, l = lo[s], cb = s * W, ob = o * rowsOut;
                    for (int j = 0, n = len[s]; j < n; j++) {
                        int delay = last - (l + j);
                        int cnt = Math.min(T, T2 - delay) * B;
                        VectorOps.axpy(dxT, ib, coef[cb + j], gt, ob + delay * B, cnt);
                    }
                }
            }
        });
        return SeqTensor.fromFeatureMajor(dxT, T, B, in);
    }

    /** Chain rule from the kernel taps to W and P (the Gaussian and its normalisation). */
    private void accumulateParamGrads(float[] dcoef) {
        final float[] w = weight.value, gw = weight.grad, gp = position.grad;
        final int O = out, W = maxW;
        final double s2 = sigma * sigma;
        final boolean learnedGaussian = !singleTap;
        workers.forRange(in, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int o = 0; o < O; o++) {
                    int s = i * O + o, cb = s * W, syn = o * in + i;
                    if (!learnedGaussian) {
                        gw[syn] += dcoef[cb];
                        continue;
                    }
                    double a = 0, am = 0;
                    for (int j = 0, n = len[s]; j < n; j++) {
                        double dk = dcoef[cb + j] * (double) gwin[cb + j];
                        a += dk;
                        am += dk * (lo[s] + j - mu[s]);
                    }
                    double norm = normS[s] + NORM_EPS;
                    gw[syn] += (float) (a / norm);
                    gp[syn] += (float) (w[syn] / norm / s2 * (am - a * gm1[s] / norm));
                }
            }
        });
    }
}
