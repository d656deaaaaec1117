package io.myelin.models.layer;

import cern.jet.random.engine.MersenneTwister;
import io.myelin.models.module.Buffer;
import io.myelin.models.module.Param;
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
public final class DclsDelayedDense implements SynapticLayer, DelayedLayer {
    /** How delays are treated. */
    public enum DelayMode {
        /** Positions are parameters, Gaussian kernel in training, rounded in evaluation (SNN-delays). */
        LEARNED,
        /** Positions are drawn once, rounded, and never change (the fixed-random-delays ablation). */
        FIXED
    }

    /** Rows (t, b) per cache block of the feature-major forward: 1 KB per feature, 256 KB for 256 features. */
    private static final int ROW_BLOCK = 256;
    /** About this many rows (whole samples) per block of the input gradient: long enough vector loops, L2-sized. */
    private static final int SAMPLE_BLOCK_ROWS = 256;
    /**
     * Below these mean windows (taps per synapse) the spike-driven forward and the kernel gradient run per synapse
     * with scalar code rather than as whole vector rows over all taps (measured crossovers, AVX-512, 25 taps).
     */
    private static final double FORWARD_BY_SYNAPSE_WINDOW = 6;
    private static final double KERNEL_GRADIENT_BY_SYNAPSE_WINDOW = 12;
    /** Outputs per task of the per-synapse forward: 8 contiguous floats of every output row per write. */
    private static final int OUTPUT_GROUP = 8;
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
    private boolean sigAsFloat;
    private Workers workers = Workers.serial();
    private boolean inputGradient = true;
    private Boolean forcePath;   // null: choose by cost; TRUE: feature-major; FALSE: event scatter (tests)
    private Boolean forceBySynapse;   // null: choose by the mean window (tests)
    private float[] inputGradientMask;   // [batch][in]: zero where the caller drops the input gradient
    private Boolean forceWindowed;   // null: windowed paths when the Vector API is on (tests)
    private DclsWindowedPaths windowed;
    private boolean windowedPass;

    // kernel of the current forward pass, per synapse q = i * out + o: window [lo, lo + len) and its coefficients
    private int maxW;
    private int[] lo, len;
    private float[] coef, gwin;
    private double[] normS, gm1, mu;
    private boolean singleTap;
    private double sigma;
    private double meanWindow;
    // the same kernel by (input, tap): a dense row over outputs (zero outside windows; only for the event-scatter
    // forward pass) with the live output range, and as lists
    private float[][] tapMajor;
    private int[] liveLo, liveHi;
    private int[] itStart, itOut;   // built on demand, by the feature-major forward pass only
    private float[] itCoef;
    private boolean[] outputTapUsed;   // [out * taps]: some synapse of output o has tap n

    // forward cache
    private SeqTensor x;
    private SparseEvents events;
    private int[] bySample, sampleStart;
    // events by input, each at its sample-major row b * pitch + t; pitch = steps + taps - 1 leaves room for every
    // delayed row of a sample, so the per-synapse loops shift a row by whole steps and never reach the next sample
    private int[] inputStart, inputRow;
    private float[] inputValue;
    private int pitch;
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

    /** The caller's mask when it fits this batch, else null (all of the input gradient). */
    private float[] inputGradientKeep(int batch) {
        return inputGradientMask != null && inputGradientMask.length == batch * in ? inputGradientMask : null;
    }

    /** Forces the feature-major (true) or event-scatter (false) forward, or lets the cost model decide (null). */
    public void forcePath(Boolean dense) {
        this.forcePath = dense;
    }

    /**
     * Forces the spike-driven forward and the kernel gradient to run per synapse over its window taps (true) or as
     * vector rows over all taps (false), or lets the mean window decide (null); for tests.
     */
    public void forceBySynapse(Boolean perSynapse) {
        this.forceBySynapse = perSynapse;
    }

    /**
     * Forces the windowed forward pass and input gradient (dense sums over each synapse's window, four synapses at a
     * time; see {@link DclsWindowedPaths}) on or off, or lets the layer take them whenever the Vector API is on and no
     * other path is forced (null); for tests.
     */
    public void forceWindowed(Boolean on) {
        this.forceWindowed = on;
    }

    private boolean useWindowed() {
        if (forceWindowed != null) {
            return forceWindowed;
        }
        // a test that forces one of the spike-driven paths means that path
        return forcePath == null && forceBySynapse == null && io.myelin.models.tensor.WindowOps.vectorized();
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
        this.windowedPass = useWindowed();
        buildKernel(training && mode == DelayMode.LEARNED);
        this.x = input;
        this.outSteps = outputSteps(input.steps);
        this.pitch = input.steps + taps - 1;
        this.events = SparseEvents.of(input);
        groupEvents();
        if (windowedPass) {
            if (windowed == null) {
                windowed = new DclsWindowedPaths(in, out, taps);
            }
            windowed.setKernel(lo, len, coef, maxW, workers);
            return windowed.forward(input, events, outSteps, workers);
        }
        // Scattering costs `taps` passes over the outputs per input event; the feature-major path costs one pass over
        // all (t, b) positions per synapse window tap: take the cheaper.
        boolean dense = forcePath != null ? forcePath
                : (double) events.count * taps > meanWindow * input.rows() * in;
        if (dense) {
            return forwardDense();
        }
        return bySynapse(FORWARD_BY_SYNAPSE_WINDOW) ? forwardBySynapse() : forwardSparse();
    }

    /**
     * Whether a spike-driven loop runs per synapse over its window taps (scalar, about meanWindow operations per
     * event and output) rather than as vector rows over all taps (about taps / 16 per event and output, but with
     * more memory traffic): below {@code window} taps on average.
     */
    private boolean bySynapse(double window) {
        return forceBySynapse != null ? forceBySynapse : meanWindow < window;
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
            liveLo = new int[in * taps];
            liveHi = new int[in * taps];
            outputTapUsed = new boolean[out * taps];
        }
        final boolean fillTapMajor = !windowedPass;
        if (fillTapMajor && tapMajor == null) {
            tapMajor = new float[in * taps][out];
        }
        java.util.Arrays.fill(outputTapUsed, false);
        if (coef == null || coef.length != q * maxW) {
            coef = new float[q * maxW];
            gwin = new float[q * maxW];
        }
        final float[] w = weight.value, p = position.value;
        final int half = taps / 2;
        final double inv2s2 = 0.5 / (sigma * sigma);
        workers.forRange(in, (i0, i1) -> {
            double[] gTap = new double[taps];
            for (int i = i0; i < i1; i++) {
                for (int n = 0; n < taps; n++) {
                    if (fillTapMajor) {
                        java.util.Arrays.fill(tapMajor[i * taps + n], 0f);
                    }
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
                            gTap[n] = g;
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
                            double g = gTap[a + j];
                            gwin[cb + j] = (float) g;
                            coef[cb + j] = (float) (scale * g);
                        }
                    }
                    for (int j = 0; j < len[s]; j++) {
                        int live = i * taps + lo[s] + j;
                        if (fillTapMajor) {
                            tapMajor[live][o] = coef[cb + j];
                        }
                        liveLo[live] = Math.min(liveLo[live], o);
                        liveHi[live] = Math.max(liveHi[live], o + 1);
                        outputTapUsed[o * taps + lo[s] + j] = true;
                    }
                }
            }
        });
        long total = 0;
        for (int s = 0; s < q; s++) {
            total += len[s];
        }
        meanWindow = (double) total / q;
        itStart = null;
    }

    /** Synapse taps listed by (input, tap), for the feature-major forward pass; built once per kernel. */
    private void buildInputTapLists() {
        if (itStart != null) {
            return;
        }
        int keysIn = in * taps;
        int[] start = new int[keysIn + 1];
        long total = 0;
        for (int s = 0; s < in * out; s++) {
            int i = s / out;
            for (int j = 0; j < len[s]; j++) {
                start[i * taps + lo[s] + j + 1]++;
            }
            total += len[s];
        }
        for (int k = 0; k < keysIn; k++) {
            start[k + 1] += start[k];
        }
        int n = (int) total;
        if (itOut == null || itOut.length != n) {
            itOut = new int[n];
            itCoef = new float[n];
        }
        int[] fillIt = java.util.Arrays.copyOf(start, keysIn);
        // synapses in (i, o) order, so each list is sorted by output: a fixed accumulation order
        for (int s = 0; s < in * out; s++) {
            int i = s / out, o = s % out, cb = s * maxW;
            for (int j = 0; j < len[s]; j++) {
                int a = fillIt[i * taps + lo[s] + j]++;
                itOut[a] = o;
                itCoef[a] = coef[cb + j];
            }
        }
        itStart = start;
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
        groupEventsByInput();
    }

    /** Events' rows and values listed by input, each list in (sample, time) order: a stable counting sort. */
    private void groupEventsByInput() {
        SparseEvents ev = events;
        inputStart = new int[in + 1];
        for (int e = 0; e < ev.count; e++) {
            inputStart[ev.feature[e] + 1]++;
        }
        for (int i = 0; i < in; i++) {
            inputStart[i + 1] += inputStart[i];
        }
        int[] fill = java.util.Arrays.copyOf(inputStart, in);
        inputRow = new int[ev.count];
        inputValue = new float[ev.count];
        for (int e : bySample) {
            int q = fill[ev.feature[e]]++;
            inputRow[q] = ev.sample[e] * pitch + ev.step[e];
            inputValue[q] = ev.value[e];
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
     * Spike-driven, narrow windows: per output, every synapse adds each input event times each of its few window
     * coefficients into the output's delayed rows, a column that stays in L1 (the scalar additions cost about as
     * many operations as the synapse has taps, where a vector row over all taps costs taps / 16 per output).
     * Threads own groups of outputs, written as short contiguous runs of each time-major row. Each output element
     * sums its inputs in order and each input's events in time order, as {@link #forwardSparse} does.
     */
    private SeqTensor forwardBySynapse() {
        final int T2 = outSteps, B = x.batch, O = out, W = maxW, Td = taps, P = pitch;
        final float[] y = new float[T2 * B * O];
        final int[] start = inputStart, rowOf = inputRow;
        final float[] valOf = inputValue;
        final int groups = (O + OUTPUT_GROUP - 1) / OUTPUT_GROUP;
        workers.forRange(groups, (k0, k1) -> {
            float[][] col = new float[OUTPUT_GROUP][B * P];
            for (int k = k0; k < k1; k++) {
                int o0 = k * OUTPUT_GROUP, o1 = Math.min(O, o0 + OUTPUT_GROUP);
                for (int o = o0; o < o1; o++) {
                    float[] c = col[o - o0];
                    java.util.Arrays.fill(c, 0f);
                    for (int i = 0; i < in; i++) {
                        int s = i * O + o;
                        scatterWindow(c, start[i], start[i + 1], rowOf, valOf, Td - 1 - lo[s], coef, s * W, len[s]);
                    }
                }
                // rows past T2 of each sample hold the delays that fall off the output
                for (int t = 0; t < T2; t++) {
                    for (int b = 0; b < B; b++) {
                        int base = (t * B + b) * O, r = b * P + t;
                        for (int o = o0; o < o1; o++) {
                            y[base + o] = col[o - o0][r];
                        }
                    }
                }
            }
        });
        return new SeqTensor(T2, B, O, y);
    }

    /**
     * {@code c[row_q + shift0 - j] += value_q * w[cb + j]} for the events q in {@code [a, z)} and window taps j in
     * {@code [0, taps)}, up to three taps per pass over the events. A row's events from later taps are later in
     * time, and every pass takes the events in time order: each row sums them in time order.
     */
    private static void scatterWindow(float[] c, int a, int z, int[] rowOf, float[] valOf, int shift0, float[] w,
                                      int cb, int taps) {
        int j = 0;
        for (; j + 3 <= taps; j += 3) {
            float w0 = w[cb + j], w1 = w[cb + j + 1], w2 = w[cb + j + 2];
            int sh = shift0 - j;
            for (int q = a; q < z; q++) {
                int r = rowOf[q] + sh;
                float v = valOf[q];
                c[r] += v * w0;
                c[r - 1] += v * w1;
                c[r - 2] += v * w2;
            }
        }
        for (; j < taps; j++) {
            float w0 = w[cb + j];
            int sh = shift0 - j;
            for (int q = a; q < z; q++) {
                c[rowOf[q] + sh] += valOf[q] * w0;
            }
        }
    }

    /**
     * Dense input: per block of output rows, each input's row is copied once per tap, shifted by the tap's delay, into
     * a scratch row aligned with the outputs, and added into every output whose window has that tap.
     */
    private SeqTensor forwardDense() {
        buildInputTapLists();
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
        final int T2 = outSteps, B = x.batch, O = out;
        if (gradOut.steps != T2 || gradOut.batch != B || gradOut.features != O) {
            throw new IllegalArgumentException(name + ": gradient shape " + gradOut + " does not match the output");
        }
        final float[] dcoef = new float[in * O * maxW];
        boolean kernelBySynapse = bySynapse(KERNEL_GRADIENT_BY_SYNAPSE_WINDOW);
        // measured faster at every sigma once the 4-5-tap kernel keeps its coefficients in registers
        boolean windowedInput = inputGradient && windowedPass;
        final float[][] gS = kernelBySynapse || (inputGradient && !windowedInput) ? sampleMajorColumns(gradOut) : null;
        if (kernelBySynapse) {
            kernelGradientBySynapse(gS, dcoef);
        } else {
            kernelGradientByTapRows(gradOut, dcoef);
        }
        accumulateParamGrads(dcoef);
        if (!inputGradient) {
            return null;
        }
        if (windowedInput) {
            return windowed.inputGradient(windowed.gradientRows(gradOut, workers), inputGradientKeep(B), workers);
        }
        return inputGradient(gS);
    }

    /**
     * The gradient by output feature in sample-major rows {@code b * pitch + t}, zero past each sample's T2 steps, so
     * that every tap of every input event can read its delayed row.
     */
    private float[][] sampleMajorColumns(SeqTensor g) {
        final int T2 = g.steps, B = g.batch, O = g.features, P = pitch;
        final float[] flat = g.data;
        final float[][] cols = new float[O][B * P];
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                for (int t = 0; t < T2; t++) {
                    int base = (t * B + b) * O, r = b * P + t;
                    for (int o = 0; o < O; o++) {
                        cols[o][r] = flat[base + o];
                    }
                }
            }
        });
        return cols;
    }

    /**
     * Narrow windows (rounded or fixed delays, sigma near its floor): for each synapse, each tap of its window is a
     * sum over the input's events of the event value times the output's gradient at the delayed row. Threads own
     * outputs; the output's gradient column stays in cache while all inputs' event lists stream past it, and up to
     * four taps are summed at once, each in two sums (even and odd events) so that eight additions overlap. The order
     * is fixed by the event lists, so results do not depend on the thread count.
     */
    private void kernelGradientBySynapse(float[][] gS, float[] dcoef) {
        final int O = out, W = maxW, Td = taps;
        final int[] start = inputStart, rowOf = inputRow;
        final float[] valOf = inputValue;
        workers.forRange(O, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                final float[] g = gS[o];
                for (int i = 0; i < in; i++) {
                    int s = i * O + o;
                    gatherWindow(g, start[i], start[i + 1], rowOf, valOf, Td - 1 - lo[s], dcoef, s * W, len[s]);
                }
            }
        });
    }

    /**
     * {@code d[cb + j] = sum_q value_q * g[row_q + shift0 - j]} over the events q in {@code [a, z)}, in order, for
     * the window taps j in {@code [0, taps)}: four taps per pass over the events, then the last one to three.
     */
    private static void gatherWindow(float[] g, int a, int z, int[] rowOf, float[] valOf, int shift0, float[] d,
                                     int cb, int taps) {
        int j = 0;
        for (; taps - j >= 4; j += 4) {
            int s0 = shift0 - j;
            // even and odd events in separate sums: eight independent addition chains instead of four
            float c0 = 0, c1 = 0, c2 = 0, c3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;
            int q = a;
            for (; q + 1 < z; q += 2) {
                int r = rowOf[q] + s0, rr = rowOf[q + 1] + s0;
                float v = valOf[q], w = valOf[q + 1];
                c0 += v * g[r];
                c1 += v * g[r - 1];
                c2 += v * g[r - 2];
                c3 += v * g[r - 3];
                e0 += w * g[rr];
                e1 += w * g[rr - 1];
                e2 += w * g[rr - 2];
                e3 += w * g[rr - 3];
            }
            if (q < z) {
                int r = rowOf[q] + s0;
                float v = valOf[q];
                c0 += v * g[r];
                c1 += v * g[r - 1];
                c2 += v * g[r - 2];
                c3 += v * g[r - 3];
            }
            d[cb + j] = c0 + e0;
            d[cb + j + 1] = c1 + e1;
            d[cb + j + 2] = c2 + e2;
            d[cb + j + 3] = c3 + e3;
        }
        if (j < taps) {
            gatherFew(g, a, z, rowOf, valOf, shift0 - j, d, cb + j, taps - j);
        }
    }

    /** {@link #gatherWindow} for one to three taps in one pass. */
    private static void gatherFew(float[] g, int a, int z, int[] rowOf, float[] valOf, int s0, float[] d, int cb,
                                  int taps) {
        // even and odd events in separate sums, as in gatherWindow
        float c0 = 0, c1 = 0, c2 = 0, e0 = 0, e1 = 0, e2 = 0;
        int q = a;
        if (taps == 3) {
            for (; q + 1 < z; q += 2) {
                int r = rowOf[q] + s0, rr = rowOf[q + 1] + s0;
                float v = valOf[q], w = valOf[q + 1];
                c0 += v * g[r];
                c1 += v * g[r - 1];
                c2 += v * g[r - 2];
                e0 += w * g[rr];
                e1 += w * g[rr - 1];
                e2 += w * g[rr - 2];
            }
            if (q < z) {
                int r = rowOf[q] + s0;
                float v = valOf[q];
                c0 += v * g[r];
                c1 += v * g[r - 1];
                c2 += v * g[r - 2];
            }
            d[cb + 2] = c2 + e2;
        } else if (taps == 2) {
            for (; q + 1 < z; q += 2) {
                int r = rowOf[q] + s0, rr = rowOf[q + 1] + s0;
                float v = valOf[q], w = valOf[q + 1];
                c0 += v * g[r];
                c1 += v * g[r - 1];
                e0 += w * g[rr];
                e1 += w * g[rr - 1];
            }
            if (q < z) {
                int r = rowOf[q] + s0;
                float v = valOf[q];
                c0 += v * g[r];
                c1 += v * g[r - 1];
            }
        } else {
            for (; q + 1 < z; q += 2) {
                c0 += valOf[q] * g[rowOf[q] + s0];
                e0 += valOf[q + 1] * g[rowOf[q + 1] + s0];
            }
            if (q < z) {
                c0 += valOf[q] * g[rowOf[q] + s0];
            }
        }
        d[cb] = c0 + e0;
        if (taps >= 2) {
            d[cb + 1] = c1 + e1;
        }
    }

    /**
     * Wide windows: gathered at the input events only, as whole vector rows over the live outputs of every tap, into
     * tap-major rows; threads own output ranges. A sample's consecutive events at one input share their tap rows, so
     * they are added four at a time (one load and store of each tap row per four events).
     */
    private void kernelGradientByTapRows(SeqTensor gradOut, float[] dcoef) {
        final int T = x.steps, B = x.batch, O = out, W = maxW, Td = taps;
        // the early taps of the last steps' events read rows past T2: zeros
        final float[][] g = delayedRows(gradOut, (T + Td - 1) * B);
        final SparseEvents ev = events;
        final int[] order = bySample;
        final float[][] dk = new float[in * Td][O];
        workers.forRangeEven(O, (o0, o1) -> {
            for (int q = 0; q < order.length; ) {
                int e = order[q], b = ev.sample[e], i = ev.feature[e];
                int end = q + 1;
                while (end < order.length && ev.sample[order[end]] == b && ev.feature[order[end]] == i) {
                    end++;
                }
                for (; q + 4 <= end; q += 4) {
                    int e0 = order[q], e1 = order[q + 1], e2 = order[q + 2], e3 = order[q + 3];
                    // tap n of an event at step t reads gradient row (t + Td - 1 - n) * B + b
                    int r0 = (ev.step[e0] + Td - 1) * B + b, r1 = (ev.step[e1] + Td - 1) * B + b;
                    int r2 = (ev.step[e2] + Td - 1) * B + b, r3 = (ev.step[e3] + Td - 1) * B + b;
                    float v0 = ev.value[e0], v1 = ev.value[e1], v2 = ev.value[e2], v3 = ev.value[e3];
                    for (int n = 0; n < Td; n++) {
                        int live = i * Td + n;
                        int a = Math.max(o0, liveLo[live]), z = Math.min(o1, liveHi[live]);
                        if (a < z) {
                            int d = n * B;
                            VectorOps.axpy4(dk[live], v0, g[r0 - d], v1, g[r1 - d], v2, g[r2 - d], v3, g[r3 - d], a, z);
                        }
                    }
                }
                for (; q < end; q++) {
                    int e1 = order[q], r = (ev.step[e1] + Td - 1) * B + b;
                    float v = ev.value[e1];
                    for (int n = 0; n < Td; n++) {
                        int live = i * Td + n;
                        int a = Math.max(o0, liveLo[live]), z = Math.min(o1, liveHi[live]);
                        if (a < z) {
                            VectorOps.axpy(dk[live], v, g[r - n * B], a, z);
                        }
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

    /** The rows of {@code g} as arrays, then rows of zeros (one shared array) up to {@code rows}. */
    private static float[][] delayedRows(SeqTensor g, int rows) {
        int have = g.rows(), f = g.features;
        float[][] r = VectorOps.rows(g.data, have, f);
        float[][] out = java.util.Arrays.copyOf(r, Math.max(have, rows));
        float[] zero = new float[f];
        java.util.Arrays.fill(out, have, out.length, zero);
        return out;
    }

    /**
     * dX[t][b][i] = sum over synapses (o, i) and their window taps n of K[o,i,n] dY[t + taps-1-n][b][o]. Threads own
     * blocks of whole samples. Per block and output, the output's gradient is copied once per tap, shifted back by
     * the tap's delay, into scratch rows {@code bb * T + t} aligned with the block's accumulator rows; then every input
     * adds its synapse's whole window from those rows, up to four taps per pass (one load and store of the
     * accumulator per four taps rather than per tap, in loops that C2 vectorises since every array is indexed alike).
     * Where the caller's mask drops an input of a sample, its gradient is never computed: each input adds over the
     * runs of consecutive samples that keep it.
     */
    private SeqTensor inputGradient(float[][] gS) {
        final int T = x.steps, B = x.batch, O = out, Td = taps, W = maxW, I = in, P = pitch;
        final int G = Math.max(1, Math.min(B, SAMPLE_BLOCK_ROWS / Math.max(1, T)));   // samples per block
        final float[] keep = inputGradientKeep(B);
        final float[] dx = new float[T * B * I];
        final int blocks = (B + G - 1) / G;
        workers.forRange(blocks, (k0, k1) -> {
            float[][] shifted = new float[Td][G * T];
            float[][] acc = new float[I][G * T];
            int[][] runs = new int[I][G + 1];   // per input: the block's runs of samples that keep it
            int[] nRuns = new int[I];
            for (int k = k0; k < k1; k++) {
                int b0 = k * G, g = Math.min(B, b0 + G) - b0;
                for (int i = 0; i < I; i++) {
                    java.util.Arrays.fill(acc[i], 0f);
                    nRuns[i] = keptRuns(keep, b0, g, i, runs[i]);
                }
                for (int o = 0; o < O; o++) {
                    for (int n = 0; n < Td; n++) {
                        if (outputTapUsed[o * Td + n]) {
                            for (int bb = 0; bb < g; bb++) {
                                System.arraycopy(gS[o], (b0 + bb) * P + Td - 1 - n, shifted[n], bb * T, T);
                            }
                        }
                    }
                    for (int i = 0; i < I; i++) {
                        int s = i * O + o;
                        if (len[s] == 0) {
                            continue;
                        }
                        int[] run = runs[i];
                        for (int u = 0; u < nRuns[i]; u += 2) {
                            addWindow(acc[i], shifted, lo[s], len[s], coef, s * W, run[u] * T, run[u + 1] * T);
                        }
                    }
                }
                for (int bb = 0; bb < g; bb++) {
                    for (int t = 0; t < T; t++) {
                        int base = (t * B + b0 + bb) * I, r = bb * T + t;
                        for (int i = 0; i < I; i++) {
                            dx[base + i] = acc[i][r];
                        }
                    }
                }
            }
        });
        return new SeqTensor(T, B, I, dx);
    }

    /**
     * The runs of consecutive samples of block {@code [b0, b0 + g)} whose mask keeps input {@code i}, as block-relative
     * {@code [from, to)} pairs in {@code runs}; returns twice the number of runs.
     */
    private int keptRuns(float[] keep, int b0, int g, int i, int[] runs) {
        if (keep == null) {
            runs[0] = 0;
            runs[1] = g;
            return 2;
        }
        int n = 0;
        for (int bb = 0; bb < g; bb++) {
            boolean kept = keep[(b0 + bb) * in + i] != 0f;
            boolean open = (n & 1) == 1;
            if (kept != open) {
                runs[n++] = bb;
            }
        }
        if ((n & 1) == 1) {
            runs[n++] = g;
        }
        return n;
    }

    /**
     * {@code y += sum_j c[cb + j] * rows[first + j]} over {@code [from, to)}, up to five taps per pass (25 taps: five
     * passes; a pass of one tap costs nearly as much as a pass of five).
     */
    private static void addWindow(float[] y, float[][] rows, int first, int taps, float[] c, int cb, int from, int to) {
        int j = 0;
        while (j < taps) {
            int left = taps - j;
            int f = first + j, k = cb + j;
            // fives while they leave no single tap behind (6 -> 3 + 3, 7 -> 4 + 3, 8 -> 4 + 4)
            if (left == 5 || left >= 9) {
                VectorOps.axpy5(y, c[k], rows[f], c[k + 1], rows[f + 1], c[k + 2], rows[f + 2], c[k + 3], rows[f + 3],
                        c[k + 4], rows[f + 4], from, to);
                j += 5;
            } else if (left == 4 || left >= 7) {
                VectorOps.axpy4(y, c[k], rows[f], c[k + 1], rows[f + 1], c[k + 2], rows[f + 2], c[k + 3], rows[f + 3],
                        from, to);
                j += 4;
            } else if (left == 3 || left == 6) {
                VectorOps.axpy3(y, c[k], rows[f], c[k + 1], rows[f + 1], c[k + 2], rows[f + 2], from, to);
                j += 3;
            } else if (left == 2) {
                VectorOps.axpy2(y, c[k], rows[f], c[k + 1], rows[f + 1], from, to);
                j += 2;
            } else {
                VectorOps.axpy(y, c[k], rows[f], from, to);
                j += 1;
            }
        }
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
