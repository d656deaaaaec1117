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
public final class DclsDelayedDense implements SynapticLayer {
    /** How delays are treated. */
    public enum DelayMode {
        /** Positions are parameters, Gaussian kernel in training, rounded in evaluation (SNN-delays). */
        LEARNED,
        /** Positions are drawn once, rounded, and never change (the fixed-random-delays ablation). */
        FIXED
    }

    /** Rows (t, b) per cache block of the feature-major loops: 1 KB per feature, 256 KB for 256 features. */
    private static final int ROW_BLOCK = 256;
    /**
     * Below this mean window (taps per synapse) the kernel gradient gathers each synapse's taps with scalar code
     * rather than whole vector rows over all taps: a vector row costs about taps / 7 scalar operations here (AVX2).
     */
    private static final double SCALAR_GATHER_WINDOW = 3.5;
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
    private Boolean forcePath;   // null: choose by cost; TRUE: feature-major; FALSE: event scatter (tests)

    // kernel of the current forward pass, per synapse q = i * out + o: window [lo, lo + len) and its coefficients
    private int maxW;
    private int[] lo, len;
    private float[] coef, gwin;
    private double[] normS, gm1, mu;
    private boolean singleTap;
    private double sigma;
    private double meanWindow;
    // the same kernel by (input, tap): a dense row over outputs (zero outside windows) with the live output range,
    // and as lists; and by (output, tap) as lists over inputs
    private float[][] tapMajor;
    private int[] liveLo, liveHi;
    private int[] itStart, itOut;
    private float[] itCoef;
    private int[] otStart, otIn;
    private float[] otCoef;

    // forward cache
    private SeqTensor x;
    private SparseEvents events;
    private int[] bySample, sampleStart;
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

    /** Forces the feature-major (true) or event-scatter (false) forward, or lets the cost model decide (null). */
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
        groupEvents();
        // Scattering costs `taps` passes over the outputs per input event; the feature-major path costs one pass over
        // all (t, b) positions per synapse window tap: take the cheaper.
        boolean dense = forcePath != null ? forcePath
                : (double) events.count * taps > meanWindow * input.rows() * in;
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
        if (lo == null) {
            lo = new int[q];
            len = new int[q];
            normS = new double[q];
            gm1 = new double[q];
            mu = new double[q];
            tapMajor = new float[in * taps][out];
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
        workers.forRange(in, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int n = 0; n < taps; n++) {
                    java.util.Arrays.fill(tapMajor[i * taps + n], 0f);
                    liveLo[i * taps + n] = out;
                    liveHi[i * taps + n] = 0;
                }
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
                    for (int j = 0; j < len[s]; j++) {
                        int live = i * taps + lo[s] + j;
                        tapMajor[live][o] = coef[cb + j];
                        liveLo[live] = Math.min(liveLo[live], o);
                        liveHi[live] = Math.max(liveHi[live], o + 1);
                    }
                }
            }
        });
        buildTapLists();
    }

    /** Synapse taps listed by (input, tap) and by (output, tap), for the feature-major loops. */
    private void buildTapLists() {
        int keysIn = in * taps, keysOut = out * taps;
        itStart = new int[keysIn + 1];
        otStart = new int[keysOut + 1];
        long total = 0;
        for (int s = 0; s < in * out; s++) {
            int i = s / out, o = s % out;
            for (int j = 0; j < len[s]; j++) {
                int n = lo[s] + j;
                itStart[i * taps + n + 1]++;
                otStart[o * taps + n + 1]++;
            }
            total += len[s];
        }
        for (int k = 0; k < keysIn; k++) {
            itStart[k + 1] += itStart[k];
        }
        for (int k = 0; k < keysOut; k++) {
            otStart[k + 1] += otStart[k];
        }
        int n = (int) total;
        if (itOut == null || itOut.length != n) {
            itOut = new int[n];
            itCoef = new float[n];
            otIn = new int[n];
            otCoef = new float[n];
        }
        int[] fillIt = java.util.Arrays.copyOf(itStart, keysIn), fillOt = java.util.Arrays.copyOf(otStart, keysOut);
        // synapses in (i, o) order, so each list is sorted by the other index: a fixed accumulation order
        for (int s = 0; s < in * out; s++) {
            int i = s / out, o = s % out, cb = s * maxW;
            for (int j = 0; j < len[s]; j++) {
                int tap = lo[s] + j;
                int a = fillIt[i * taps + tap]++;
                itOut[a] = o;
                itCoef[a] = coef[cb + j];
                int b = fillOt[o * taps + tap]++;
                otIn[b] = i;
                otCoef[b] = coef[cb + j];
            }
        }
        meanWindow = (double) total / (in * out);
    }

    /** Events ordered by (sample, input, time), with each sample's range: a stable counting sort. */
    private void groupEvents() {
        final int B = x.batch;
        int[] count = new int[B * in + 1];
        SparseEvents ev = events;
        for (int e = 0; e < ev.count; e++) {
            count[ev.sample[e] * in + ev.feature[e] + 1]++;
        }
        for (int k = 1; k < count.length; k++) {
            count[k] += count[k - 1];
        }
        sampleStart = new int[B + 1];
        for (int b = 0; b <= B; b++) {
            sampleStart[b] = count[b * in];
        }
        bySample = new int[ev.count];
        for (int e = 0; e < ev.count; e++) {
            bySample[count[ev.sample[e] * in + ev.feature[e]]++] = e;
        }
    }

    /**
     * Spike-driven: every non-zero input adds its value times its tap-major kernel rows into the delayed output
     * rows. Threads own samples; each sample's events are taken by input, then time, so the input's kernel and the
     * sample's few output rows stay in cache.
     */
    private SeqTensor forwardSparse() {
        final int T2 = outSteps, B = x.batch, O = out, Td = taps;
        final float[][] y = new float[T2 * B][O];
        final SparseEvents ev = events;
        final int[] order = bySample, start = sampleStart;
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                for (int q = start[b]; q < start[b + 1]; q++) {
                    int e = order[q];
                    int t = ev.step[e], i = ev.feature[e];
                    float val = ev.value[e];
                    for (int n = Math.max(0, t + Td - T2); n < Td; n++) {
                        int live = i * Td + n;
                        if (liveLo[live] < liveHi[live]) {
                            VectorOps.axpy(y[(t + Td - 1 - n) * B + b], val, tapMajor[live], liveLo[live], liveHi[live]);
                        }
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, VectorOps.flatten(y, O));
    }

    /**
     * Dense input: per block of output rows, each input's row is copied once per tap, shifted by the tap's delay, into
     * a scratch row aligned with the outputs, and added into every output whose window has that tap.
     */
    private SeqTensor forwardDense() {
        final int T = x.steps, T2 = outSteps, B = x.batch, O = out, Td = taps;
        final int rowsIn = T * B, rowsOut = T2 * B;
        final float[][] xT = VectorOps.columns(x.data, rowsIn, in);
        final float[][] yT = new float[O][rowsOut];
        final int blocks = (rowsOut + ROW_BLOCK - 1) / ROW_BLOCK;
        workers.forRange(blocks, (k0, k1) -> {
            float[] scratch = new float[rowsOut];
            for (int k = k0; k < k1; k++) {
                int r0 = k * ROW_BLOCK, r1 = Math.min(rowsOut, r0 + ROW_BLOCK);
                for (int i = 0; i < in; i++) {
                    for (int n = 0; n < Td; n++) {
                        int a = itStart[i * Td + n], z = itStart[i * Td + n + 1];
                        if (a == z) {
                            continue;
                        }
                        int shift = (Td - 1 - n) * B;
                        int from = Math.max(r0, shift), to = Math.min(r1, rowsIn + shift);
                        if (from >= to) {
                            continue;
                        }
                        System.arraycopy(xT[i], from - shift, scratch, from, to - from);
                        for (int e = a; e < z; e++) {
                            VectorOps.axpy(yT[itOut[e]], itCoef[e], scratch, from, to);
                        }
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, VectorOps.fromColumns(yT, rowsOut));
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        final int T = x.steps, T2 = outSteps, B = x.batch, O = out, W = maxW, Td = taps;
        if (gradOut.steps != T2 || gradOut.batch != B || gradOut.features != O) {
            throw new IllegalArgumentException(name + ": gradient shape " + gradOut + " does not match the output");
        }
        final int rowsIn = T * B, rowsOut = T2 * B;
        final float[][] g = VectorOps.rows(gradOut.data, rowsOut, O);
        final float[] dcoef = new float[in * O * W];
        final SparseEvents ev = events;
        final int[] order = bySample;
        if (meanWindow < SCALAR_GATHER_WINDOW) {
            // narrow windows (rounded or fixed delays, sigma near its floor): gather each synapse's few taps directly
            workers.forRangeEven(O, (o0, o1) -> {
                for (int q = 0; q < order.length; q++) {
                    int e = order[q];
                    int t = ev.step[e], b = ev.sample[e], base = ev.feature[e] * O;
                    float val = ev.value[e];
                    for (int o = o0; o < o1; o++) {
                        int s = base + o, cb = s * W;
                        for (int j = 0, n = len[s]; j < n; j++) {
                            int t2 = t + Td - 1 - (lo[s] + j);
                            if (t2 < T2) {
                                dcoef[cb + j] += val * g[t2 * B + b][o];
                            }
                        }
                    }
                }
            });
        } else {
            // gathered at the input events only, into tap-major rows; threads own output ranges
            final float[][] dk = new float[in * Td][O];
            workers.forRangeEven(O, (o0, o1) -> {
                for (int q = 0; q < order.length; q++) {
                    int e = order[q];
                    int t = ev.step[e], b = ev.sample[e], i = ev.feature[e];
                    float val = ev.value[e];
                    for (int n = Math.max(0, t + Td - T2); n < Td; n++) {
                        int live = i * Td + n;
                        int a = Math.max(o0, liveLo[live]), z = Math.min(o1, liveHi[live]);
                        if (a < z) {
                            VectorOps.axpy(dk[live], val, g[(t + Td - 1 - n) * B + b], a, z);
                        }
                    }
                }
            });
            workers.forRange(in, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    for (int o = 0; o < O; o++) {
                        int s = i * O + o, cb = s * W;
                        for (int j = 0, n = len[s]; j < n; j++) {
                            dcoef[cb + j] = dk[i * Td + lo[s] + j][o];
                        }
                    }
                }
            });
        }
        accumulateParamGrads(dcoef);
        if (!inputGradient) {
            return null;
        }
        // input gradient: per block of input rows, each output's gradient row is copied once per tap, shifted back by
        // the tap's delay, and added into every input whose synapse to it has that tap
        final float[][] gT = VectorOps.columns(gradOut.data, rowsOut, O);
        final float[][] dxT = new float[in][rowsIn];
        final int blocks = (rowsIn + ROW_BLOCK - 1) / ROW_BLOCK;
        workers.forRange(blocks, (k0, k1) -> {
            float[] scratch = new float[rowsIn];
            for (int k = k0; k < k1; k++) {
                int r0 = k * ROW_BLOCK, r1 = Math.min(rowsIn, r0 + ROW_BLOCK);
                for (int o = 0; o < O; o++) {
                    for (int n = 0; n < Td; n++) {
                        int a = otStart[o * Td + n], z = otStart[o * Td + n + 1];
                        if (a == z) {
                            continue;
                        }
                        int shift = (Td - 1 - n) * B;
                        int to = Math.min(r1, rowsOut - shift);
                        if (r0 >= to) {
                            continue;
                        }
                        System.arraycopy(gT[o], r0 + shift, scratch, r0, to - r0);
                        for (int e = a; e < z; e++) {
                            VectorOps.axpy(dxT[otIn[e]], otCoef[e], scratch, r0, to);
                        }
                    }
                }
            }
        });
        return new SeqTensor(T, B, in, VectorOps.fromColumns(dxT, rowsIn));
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
