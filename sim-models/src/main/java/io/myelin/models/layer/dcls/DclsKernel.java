package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.Workers;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * The kernel of one pass of a DCLS layer, per synapse {@code s = i * out + o} (input-major, so that one input's
 * synapses are contiguous): the window of taps {@code [lo[s], lo[s] + len[s])} and its coefficients
 * {@code coef[s * maxW + j]}, built by {@link GaussianDelayKernel} (or one tap at the rounded position), plus the
 * indexes the sums share: which outputs each (input, tap) reaches and which taps each output uses.
 * The arrays are reused from pass to pass; {@link #generation()} tells the paths when to rebuild what they derive.
 */
public final class DclsKernel {
    final int in;
    final int out;
    final int taps;

    int maxW;
    int[] lo, len;
    float[] coef;
    /** g(n) on the window taps, for the chain rule. */
    private float[] gwin;
    private double[] sum, moment, mu;
    private boolean singleTap;
    private double sigma;
    double meanWindow;
    /** Per (input, tap) {@code i * taps + n}: the outputs {@code [liveLo, liveHi)} whose synapse has that tap. */
    int[] liveLo, liveHi;
    /** {@code [o * taps + n]}: some synapse of output o has tap n. */
    boolean[] outputTapUsed;
    private int generation;

    public DclsKernel(int in, int out, int taps) {
        this.in = in;
        this.out = out;
        this.taps = taps;
        int q = in * out;
        lo = new int[q];
        len = new int[q];
        sum = new double[q];
        moment = new double[q];
        mu = new double[q];
        liveLo = new int[in * taps];
        liveHi = new int[in * taps];
        outputTapUsed = new boolean[out * taps];
    }

    /**
     * Builds the kernel from weights and positions stored {@code [out][in]}: Gaussian windows of the given sigma
     * (taps) truncated at {@code truncation} sigmas, or, when {@code gaussian} is false, one tap per synapse at its
     * rounded position with weight W (evaluation and fixed delays).
     */
    public void build(float[] w, float[] p, boolean gaussian, double sigma, double truncation, Workers workers) {
        final int q = in * out, I = in, O = out, Td = taps;
        this.singleTap = !gaussian;
        this.sigma = sigma;
        this.maxW = singleTap ? 1 : GaussianDelayKernel.maxWindow(Td, sigma, truncation);
        this.generation++;
        Arrays.fill(outputTapUsed, false);
        if (coef == null || coef.length != q * maxW) {
            coef = new float[q * maxW];
            gwin = new float[q * maxW];
        }
        final int W = maxW;
        workers.forRange(I, (i0, i1) -> {
            double[] g = new double[Td];
            for (int i = i0; i < i1; i++) {
                Arrays.fill(liveLo, i * Td, (i + 1) * Td, O);
                Arrays.fill(liveHi, i * Td, (i + 1) * Td, 0);
                for (int o = 0; o < O; o++) {
                    int s = i * O + o, syn = o * I + i, cb = s * W;
                    if (singleTap) {
                        lo[s] = GaussianDelayKernel.roundedTap(p[syn], Td);
                        len[s] = 1;
                        coef[cb] = w[syn];
                        gwin[cb] = 1f;
                    } else {
                        GaussianDelayKernel.build(w[syn], p[syn], Td, sigma, truncation, W, g, s, lo, len, mu, sum,
                                moment, gwin, coef);
                    }
                    for (int j = 0; j < len[s]; j++) {
                        int live = i * Td + lo[s] + j;
                        liveLo[live] = Math.min(liveLo[live], o);
                        liveHi[live] = Math.max(liveHi[live], o + 1);
                        outputTapUsed[o * Td + lo[s] + j] = true;
                    }
                }
            }
        });
        long total = 0;
        for (int s = 0; s < q; s++) {
            total += len[s];
        }
        meanWindow = (double) total / q;
    }

    /** The most taps of any window of this pass: coefficient arrays hold {@code in * out * maxWindow()} floats. */
    public int maxWindow() {
        return maxW;
    }

    /** One tap per synapse at its rounded position (evaluation, fixed delays), not Gaussian windows. */
    boolean singleTap() {
        return singleTap;
    }

    /** The mean number of window taps per synapse, what the path choice weighs. */
    public double meanWindow() {
        return meanWindow;
    }

    /** Counts the builds, so that what a path derives from the kernel is rebuilt once per pass. */
    int generation() {
        return generation;
    }

    /** One past synapse s's last window tap. */
    int end(int s) {
        return lo[s] + len[s];
    }

    /**
     * Adds the weight and position gradients of the coefficient gradients {@code dK[s * maxW + j]} to {@code gw}
     * and {@code gp} (stored {@code [out][in]}): {@link GaussianDelayKernel#chainRule} for Gaussian windows, dK
     * itself to the weight for single taps.
     */
    public void accumulateParameterGradients(float[] dK, float[] w, float[] gw, float[] gp, Workers workers) {
        final int O = out, I = in, W = maxW;
        final double s2 = sigma * sigma;
        workers.forRange(I, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int o = 0; o < O; o++) {
                    int s = i * O + o, cb = s * W, syn = o * I + i;
                    if (singleTap) {
                        gw[syn] += dK[cb];
                    } else {
                        GaussianDelayKernel.chainRule(dK, gwin, cb, lo[s], len[s], mu[s], sum[s], moment[s], w[syn],
                                s2, gw, gp, syn);
                    }
                }
            }
        });
    }

    /**
     * Members {@code 0..n-1} whose synapse ({@code synapse.applyAsInt(k)}) has a window, stably sorted by where it
     * starts (a counting sort), so that groups of consecutive members share nearly the same taps.
     */
    int[] byWindowStart(int n, IntUnaryOperator synapse) {
        int[] count = new int[taps + 1];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int s = synapse.applyAsInt(k);
            if (len[s] > 0) {
                count[lo[s] + 1]++;
                m++;
            }
        }
        for (int t = 0; t < taps; t++) {
            count[t + 1] += count[t];
        }
        int[] order = new int[m];
        for (int k = 0; k < n; k++) {
            int s = synapse.applyAsInt(k);
            if (len[s] > 0) {
                order[count[lo[s]]++] = k;
            }
        }
        return order;
    }
}
