package io.myelin.models.layer;

import io.myelin.models.tensor.SeqTensor;

/**
 * The information-enhanced LIF neuron of the QSD-Transformer (Qiu et al., ICLR 2025; docs/references.md §4), one time
 * step per token as the released model runs it ({@code T = 1}): the membrane potential {@code x} is rounded to an
 * integer spike count and clipped to {@code 0..D},
 * <pre>
 *   k = clip(floor(D x + 1/2), 0, D)          y = k * outputScale      (outputScale = 1/D unless told otherwise)
 *   dy/dx = D * outputScale  where 0 &lt; D x &lt; D, else 0                 (straight-through inside the range)
 * </pre>
 * At inference a count {@code k} is {@code k} binary spikes on {@code D} virtual time steps, so every downstream
 * operation is an accumulate ({@link io.myelin.kernels.quant.IntegerOps}).
 *
 * <p>The paper's distribution rectification normalises the membrane potential so the integer spikes carry the most
 * information: here the preceding BatchNorm is that normaliser, initialised by {@link #rectifyingAffine} to the
 * affine map under which a standard-normal membrane gives spike counts of maximal entropy (centred on {@code D/2},
 * spread {@code sigma*} found numerically). At inference the normalisation folds into the preceding weights' scale.
 *
 * <p>{@code D} must be a power of two (1..16): then {@code k / D} is exact in float, so sums of spikes are exact and
 * the float-simulated model and the integer path agree bit for bit.
 */
public final class IeLif implements Layer {
    private final int levels;
    private final float outputScale;
    private byte[] counts;
    private SeqTensor lastOut;

    /** A neuron with {@code levels} = D and output {@code k / D}. */
    public IeLif(int levels) {
        this(levels, 1.0 / levels);
    }

    /**
     * @param levels      D, the largest spike count (a power of two, 1..16)
     * @param outputScale value of one spike (1/D; the attention neuron of the reference uses 2/D)
     */
    public IeLif(int levels, double outputScale) {
        checkLevels(levels);
        if (!(outputScale > 0) || Double.isInfinite(outputScale)) {
            throw new IllegalArgumentException("IE-LIF output scale must be > 0, got " + outputScale);
        }
        this.levels = levels;
        this.outputScale = (float) outputScale;
    }

    /** Rejects a spike-level count the integer path cannot represent exactly. */
    public static void checkLevels(int levels) {
        if (levels < 1 || levels > 16 || Integer.bitCount(levels) != 1) {
            throw new IllegalArgumentException("IE-LIF levels D must be a power of two in 1..16 (k/D exact in float), got "
                    + levels);
        }
    }

    public int levels() {
        return levels;
    }

    public float outputScale() {
        return outputScale;
    }

    /** The spike count for membrane potential {@code x}; the one rounding rule of both inference paths. */
    public static int level(float x, int levels) {
        // in double D x + 1/2 is exact (a float times a power of two plus a half), so floor lands on the right side of
        // every boundary; float would round the largest float below 0.5 / D up to a count of 1
        double z = (double) x * levels + 0.5;
        if (!(z >= 1.0)) {      // NaN lands here too: a NaN membrane emits nothing (training checks parameters)
            return 0;
        }
        if (z >= levels) {
            return levels;
        }
        return (int) z;         // floor for z >= 1
    }

    /** Spike counts of the last forward pass, {@code [T][B][N]} like its input. */
    public byte[] counts() {
        return counts;
    }

    /** The last forward pass's output. */
    public SeqTensor lastOutput() {
        return lastOut;
    }

    @Override
    public SeqTensor forward(SeqTensor x, boolean training) {
        float[] d = x.data;
        float[] y = new float[d.length];
        byte[] k = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            int c = level(d[i], levels);
            k[i] = (byte) c;
            y[i] = c * outputScale;
        }
        counts = k;
        lastOut = new SeqTensor(x.steps, x.batch, x.features, y);
        membrane = d;
        return lastOut;
    }

    private float[] membrane;

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        if (membrane == null) {
            throw new IllegalStateException("IE-LIF backward needs a forward pass first");
        }
        float[] g = gradOut.data, dx = new float[g.length];
        float slope = levels * outputScale;
        for (int i = 0; i < g.length; i++) {
            float z = membrane[i] * levels;
            if (z > 0f && z < levels) {
                dx[i] = g[i] * slope;
            }
        }
        return new SeqTensor(gradOut.steps, gradOut.batch, gradOut.features, dx);
    }

    /**
     * The BatchNorm affine {@code (gamma, beta)} that rectifies a standard-normal membrane for {@code levels}: the
     * neuron then sees {@code D x = D/2 + sigma* z}, with {@code sigma*} maximising the entropy of the spike count.
     */
    public static double[] rectifyingAffine(int levels) {
        checkLevels(levels);
        double sigma = maxEntropySpread(levels);
        return new double[]{sigma / levels, 0.5};
    }

    /** The spread {@code sigma} maximising the entropy of {@code clip(floor(D/2 + sigma z + 1/2), 0, D)}, z ~ N(0,1). */
    public static double maxEntropySpread(int levels) {
        if (levels == 1) {
            return 1.0;     // one threshold at the mean: every spread gives 1 bit
        }
        double lo = 1e-3, hi = 4.0 * levels;
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
        double fa = countEntropy(levels, levels / 2.0, a), fb = countEntropy(levels, levels / 2.0, b);
        for (int it = 0; it < 200; it++) {
            if (fa < fb) {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = countEntropy(levels, levels / 2.0, b);
            } else {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = countEntropy(levels, levels / 2.0, a);
            }
        }
        return (lo + hi) / 2;
    }

    /** Entropy (bits) of the spike count when {@code D x ~ N(mean, sigma^2)}. */
    public static double countEntropy(int levels, double mean, double sigma) {
        double h = 0, prev = 0;
        for (int k = 0; k <= levels; k++) {
            double upper = k == levels ? 1.0 : normalCdf((k + 0.5 - mean) / sigma);
            double p = upper - prev;
            prev = upper;
            if (p > 0) {
                h -= p * Math.log(p) / Math.log(2);
            }
        }
        return h;
    }

    /** Standard normal CDF (erfc by its continued-fraction-free Chebyshev fit, |error| &lt; 1.2e-7). */
    static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc / 2 : erfc / 2;
    }
}
