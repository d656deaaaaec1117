package io.myelin.models.layer.dcls;

/**
 * The DCLS kernel of one synapse and its derivatives, as pure functions over flat arrays (docs/dcls.md): over
 * {@code taps} delay taps a Gaussian centred at {@code mu = P + taps/2} (integer division), normalised over all taps,
 * <pre>
 *   K[n] = W g(n) / N,   g(n) = exp(-0.5 ((n - mu) / sigma)^2),   N = sum_n g(n) + 1e-7,   sigma = |SIG| + 0.27
 * </pre>
 * kept only on the taps within {@code truncation} standard deviations of mu (0: all taps), so that truncation drops
 * only the tails. In evaluation the kernel is one tap, the rounded position, with weight W.
 */
public final class GaussianDelayKernel {
    /** Added to |SIG| so that sigma never reaches zero (taps). */
    public static final double SIGMA_OFFSET = 0.27;
    /** Added to the normalisation sum N. */
    public static final double NORM_EPS = 1e-7;

    private GaussianDelayKernel() {
    }

    /** The Gaussian's standard deviation in taps for a raw SIG value. */
    public static double sigma(double sig) {
        return Math.abs(sig) + SIGMA_OFFSET;
    }

    /** The tap a position rounds to, clamped to {@code [0, taps)}: tap n delays by {@code taps - 1 - n} steps. */
    public static int roundedTap(float position, int taps) {
        int n = (int) Math.rint(position) + taps / 2;
        return Math.max(0, Math.min(taps - 1, n));
    }

    /** The most taps a synapse's window can hold: all of them without truncation. */
    public static int maxWindow(int taps, double sigma, double truncation) {
        return truncation > 0 ? Math.min(taps, (int) Math.floor(2 * truncation * sigma) + 2) : taps;
    }

    /**
     * Builds synapse s's Gaussian window: its first tap {@code lo[s]}, length {@code len[s]} (at most {@code maxW}),
     * centre {@code mu[s]}, normalisation sum {@code sum[s] = sum_n g(n)} and first moment
     * {@code moment[s] = sum_n g(n) (n - mu)} over all taps, and per window tap j the Gaussian
     * {@code gwin[s * maxW + j] = g(lo + j)} and the coefficient {@code coef[s * maxW + j] = K[lo + j]}.
     * {@code g} is scratch of {@code taps} doubles.
     */
    public static void build(float w, float p, int taps, double sigma, double truncation, int maxW, double[] g,
                             int s, int[] lo, int[] len, double[] mu, double[] sum, double[] moment, float[] gwin,
                             float[] coef) {
        double inv2s2 = 0.5 / (sigma * sigma);
        double m = p + taps / 2;
        double total = 0, first = 0;
        for (int n = 0; n < taps; n++) {
            double v = Math.exp(-(n - m) * (n - m) * inv2s2);
            g[n] = v;
            total += v;
            first += v * (n - m);
        }
        int a = 0, b = taps - 1;
        if (truncation > 0) {
            a = Math.max(0, (int) Math.ceil(m - truncation * sigma));
            b = Math.min(taps - 1, (int) Math.floor(m + truncation * sigma));
        }
        int l = Math.max(0, Math.min(maxW, b - a + 1));
        lo[s] = a;
        len[s] = l;
        mu[s] = m;
        sum[s] = total;
        moment[s] = first;
        double scale = w / (total + NORM_EPS);
        int cb = s * maxW;
        for (int j = 0; j < l; j++) {
            double v = g[a + j];
            gwin[cb + j] = (float) v;
            coef[cb + j] = (float) (scale * v);
        }
    }

    /**
     * The chain rule from the window's coefficient gradients {@code dK[cb + j]} to synapse syn's weight and position:
     * with {@code a = sum_j dK_j g_j} and {@code am = sum_j dK_j g_j (lo + j - mu)},
     * {@code dL/dW = a / N} and {@code dL/dP = W / (N sigma^2) (am - a moment / N)} (the Gaussian's derivative
     * {@code g (n - mu) / sigma^2} and that of its normalisation), added to {@code gw[syn]} and {@code gp[syn]}.
     */
    public static void chainRule(float[] dK, float[] gwin, int cb, int lo, int len, double mu, double sum,
                                 double moment, float w, double sigma2, float[] gw, float[] gp, int syn) {
        double a = 0, am = 0;
        for (int j = 0; j < len; j++) {
            double d = dK[cb + j] * (double) gwin[cb + j];
            a += d;
            am += d * (lo + j - mu);
        }
        double norm = sum + NORM_EPS;
        gw[syn] += (float) (a / norm);
        gp[syn] += (float) (w / norm / sigma2 * (am - a * moment / norm));
    }
}
