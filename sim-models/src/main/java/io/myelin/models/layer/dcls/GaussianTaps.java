package io.myelin.models.layer.dcls;

import io.myelin.core.vector.VectorApi;

/**
 * The Gaussian of a DCLS kernel over its delay taps, {@code g(n) = exp(-(n - mu)^2 / (2 sigma^2))} for
 * {@code n = 0 .. taps - 1}, with the sums the kernel needs over all taps, {@code sum_n g(n)} and
 * {@code sum_n g(n) (n - mu)}, each added in tap order. Several synapses at once on the Vector API (one per lane),
 * one at a time without it: the same operations in the same order, so the same bits either way.
 *
 * <p>The exponential is Myelin's own ({@link #exp}, docs/dcls.md): a kernel build evaluates it for every tap of every
 * synapse, every batch (2.5 M calls per batch for the spoken-digits recipe), and {@code Math.exp}, one call at a
 * time through the JVM's stub, took a tenth of a training step at the floor sigma. Written in plain IEEE double
 * arithmetic (no fused operations), it also gives the same bits on every JVM and processor, which
 * {@code Math.exp}, free to differ by an ulp from host to host, does not promise.
 */
final class GaussianTaps {
    private static final boolean VECTOR = VectorApi.usable(() -> VectorGaussianTaps.lanes() >= 2);

    /** {@code 1.5 * 2^52}: adding it rounds a double of magnitude below 2^51 to an integer, held in the low bits. */
    static final double ROUNDER = 0x1.8p52;
    static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    static final double LOG2_E = 1.4426950408889634;
    /** ln 2 in two parts (fdlibm's): the high part has 32 trailing zero bits, so {@code k * LN2_HI} is exact. */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** Below this exp underflows to zero (the least subnormal is {@code exp(-744.44)}). */
    static final double LOWEST = -1000;
    /** 1 / n! for n = 2 .. 13: the Taylor series of exp on |r| <= ln(2) / 2 to within 4e-18. */
    static final double C2 = 1 / 2.0, C3 = 1 / 6.0, C4 = 1 / 24.0, C5 = 1 / 120.0, C6 = 1 / 720.0,
            C7 = 1 / 5040.0, C8 = 1 / 40320.0, C9 = 1 / 362880.0, C10 = 1 / 3628800.0, C11 = 1 / 39916800.0,
            C12 = 1 / 479001600.0, C13 = 1 / 6227020800.0;

    private GaussianTaps() {
    }

    /** Synapses per call of {@link #gaussians}: the lanes of a vector of doubles, 1 without the Vector API. */
    static int lanes() {
        return VECTOR ? VectorGaussianTaps.lanes() : 1;
    }

    /**
     * {@code e^x} for {@code x <= 0} (and NaN), within 2 ulp of the exact value; 0 below -745.2. Range reduction
     * {@code x = k ln 2 + r} with k the nearest integer to {@code x / ln 2}, the Taylor series of {@code e^r} to
     * degree 13, then {@code 2^k} applied as two exact powers of two (each of {@code k/2} and
     * {@code k - k/2}, so that neither leaves the normal range).
     */
    static double exp(double x) {
        double y = Math.max(x, LOWEST);
        double t = y * LOG2_E + ROUNDER;
        double kd = t - ROUNDER;
        double r = y - kd * LN2_HI - kd * LN2_LO;
        // the terms of degree 3 and up by Estrin's scheme (pairs, then pairs of pairs, evaluated side by side: a
        // kernel build is bound by the latency of this chain, which Horner's rule makes twice as long), the last
        // three by Horner's rule, whose small steps keep the result within two ulps
        double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
        double b0 = (C3 + C4 * r) + r2 * (C5 + C6 * r), b1 = (C7 + C8 * r) + r2 * (C9 + C10 * r);
        double b2 = (C11 + C12 * r) + r2 * C13;
        double q = (b0 + r4 * b1) + r8 * b2;
        double p = 1 + r * (1 + r * (C2 + r * q));
        double h = kd * 0.5 + ROUNDER;
        double k1 = h - ROUNDER, k2 = kd - k1;
        long e1 = Double.doubleToRawLongBits(h) - ROUNDER_BITS;
        long e2 = Double.doubleToRawLongBits(k2 + ROUNDER) - ROUNDER_BITS;
        return p * Double.longBitsToDouble((e1 + 1023) << 52) * Double.longBitsToDouble((e2 + 1023) << 52);
    }

    /**
     * For {@link #lanes()} synapses with centres {@code mu[j]} (taps): {@code g[n * lanes() + j] = exp(-(n - mu_j)^2
     * * inv2s2)} for every tap n, {@code total[j] = sum_n g}, {@code first[j] = sum_n g (n - mu_j)}, n ascending.
     */
    static void gaussians(double[] mu, double inv2s2, int taps, double[] g, double[] total, double[] first) {
        if (VECTOR) {
            VectorGaussianTaps.gaussians(mu, inv2s2, taps, g, total, first);
            return;
        }
        double m = mu[0], sum = 0, moment = 0;
        for (int n = 0; n < taps; n++) {
            double d = (double) n - m;
            double v = exp(-d * d * inv2s2);
            g[n] = v;
            sum += v;
            moment += v * d;
        }
        total[0] = sum;
        first[0] = moment;
    }
}
