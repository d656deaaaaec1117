package io.myelin.models.layer;

import io.myelin.kernels.quant.JavaIntegerOps;
import io.myelin.models.tensor.SeqTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IE-LIF neuron against hand-worked spike counts, its straight-through mask by hand, the rectifying
 * initialisation against an entropy computed here by direct integration, and the integer-spike expansion (k binary
 * spikes on D virtual steps) against the integer accumulate.
 */
class IeLifTest {
    static final int D = 4;

    /** The rule k = clip(floor(D x + 1/2), 0, D) in exact (double) arithmetic; NaN emits nothing. */
    static int exactLevel(float x, int levels) {
        if (Float.isNaN(x)) {
            return 0;
        }
        double k = Math.floor((double) x * levels + 0.5);
        return (int) Math.max(0, Math.min(levels, k));
    }

    @Test
    void forwardByHandForFourLevelsAndOutputScaleTwoOverD() {
        float[] x = {0f, 0.1f, 0.125f, 0.2f, 0.375f, 0.5f, 0.625f, 0.8f, 0.875f, 1.0f, 7.5f, 1e30f,
                -0.125f, -0.1f, -3f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Math.nextUp(0.125f), Math.nextDown(0.375f), Math.nextDown(0.875f), Math.nextUp(0.875f), -0f};
        // D x + 1/2: 0.5, 0.9, 1.0 (exact boundary), 1.3, 2.0 (boundary), 2.5, 3.0 (boundary), 3.7, 4.0 (boundary), 4.5
        // and 30.5 and 4e30 (clipped to D); 0.0, 0.1, -11.5 (negative: 0); NaN (0); +inf (D); -inf (0);
        // just above 1, just below 2, just below 4, just above 4; -0 gives 0.5
        int[] k = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 4,
                0, 0, 0, 0, 4, 0,
                1, 1, 3, 4, 0};
        IeLif lif = new IeLif(D, 2.0 / D);
        assertEquals(0.5f, lif.outputScale());
        SeqTensor y = lif.forward(new SeqTensor(1, 1, x.length, x), true);
        for (int i = 0; i < x.length; i++) {
            assertEquals(k[i], lif.counts()[i], "count of x = " + x[i]);
            assertEquals(k[i], IeLif.level(x[i], D), "level(" + x[i] + ")");
            assertEquals(k[i] * 0.5f, y.data[i], "output of x = " + x[i]);
        }
        assertEquals(y, lif.lastOutput());
        // default output scale 1/D
        SeqTensor y1 = new IeLif(D).forward(new SeqTensor(1, 1, 3, new float[]{0.375f, 0.875f, 0.2f}), false);
        assertArrayEquals(new float[]{0.5f, 1f, 0.25f}, y1.data);
    }

    @Test
    void everyLevelCountAndShapeFollowsTheRoundingRule() {
        Random r = new Random(5);
        for (int levels : new int[]{1, 2, 4, 8, 16}) {
            for (int n = 0; n < 2000; n++) {
                float x = (float) (r.nextGaussian() * 0.7 + 0.5);
                assertEquals(exactLevel(x, levels), IeLif.level(x, levels), "D = " + levels + ", x = " + x);
            }
            // every rounding boundary (k + 1/2) / D exactly and its float neighbours above
            for (int kk = -1; kk <= levels; kk++) {
                float b = (kk + 0.5f) / levels;
                for (float x : new float[]{b, Math.nextUp(b), Math.nextUp(Math.nextUp(b))}) {
                    assertEquals(exactLevel(x, levels), IeLif.level(x, levels), "D = " + levels + ", x = " + x);
                }
            }
        }
    }

    /**
     * Just below every rounding boundary the count must not round up: {@code floor(D x + 1/2)} with the largest float
     * below {@code (k + 1/2) / D}. This includes the boundary {@code D x = 1/2}, where {@code D x + 0.5f} rounds
     * {@code 1 - 2^-25} to {@code 1.0f} in float.
     */
    @Test
    void justBelowEveryRoundingBoundaryTheCountStaysBelow() {
        for (int levels : new int[]{1, 2, 4, 8, 16}) {
            for (int kk = 0; kk < levels; kk++) {
                float b = (kk + 0.5f) / levels;
                float below = Math.nextDown(b);
                assertEquals(kk, IeLif.level(below, levels), "D = " + levels + ", x = nextDown(" + b + ") = " + below
                        + ": D x = " + ((double) below * levels) + " < " + (kk + 0.5));
            }
        }
    }

    @Test
    void backwardIsTheStraightThroughSlopeInsideTheRange() {
        float[] x = {0f, 1e-3f, 0.1f, 0.5f, 0.999f, 1.0f, 1.2f, -0.1f, Float.NaN, Math.nextDown(1.0f), Float.MIN_VALUE};
        // D x: 0, .004, .4, 2, 3.996, 4, 4.8, -.4, NaN, <4, >0
        boolean[] inside = {false, true, true, true, true, false, false, false, false, true, true};
        float[] g = new float[x.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = i + 1;
        }
        IeLif lif = new IeLif(D, 2.0 / D);
        lif.forward(new SeqTensor(1, 1, x.length, x), true);
        SeqTensor dx = lif.backward(new SeqTensor(1, 1, x.length, g));
        for (int i = 0; i < x.length; i++) {
            // slope D * outputScale = 4 * 0.5 = 2
            assertEquals(inside[i] ? 2f * g[i] : 0f, dx.data[i], "dx at x = " + x[i]);
        }
        IeLif plain = new IeLif(8);
        plain.forward(new SeqTensor(1, 1, 3, new float[]{0.5f, 2f, -1f}), true);
        assertArrayEquals(new float[]{3f, 0f, 0f}, plain.backward(new SeqTensor(1, 1, 3, new float[]{3f, 3f, 3f})).data,
                "slope 1 with outputScale 1/D");
        assertThrows(IllegalStateException.class, () -> new IeLif(4).backward(new SeqTensor(1, 1, 1, new float[1])));
    }

    @Test
    void checkLevelsAcceptsPowersOfTwoUpToSixteenOnly() {
        for (int bad : new int[]{0, 3, 5, 6, 12, 32, -4}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IeLif.checkLevels(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new IeLif(bad));
        }
        for (int ok : new int[]{1, 2, 4, 8, 16}) {
            IeLif.checkLevels(ok);
        }
        assertThrows(IllegalArgumentException.class, () -> new IeLif(4, 0));
        assertThrows(IllegalArgumentException.class, () -> new IeLif(4, Double.NaN));
    }

    // ---- entropy of the spike count, by direct integration of the normal density (independent of IeLif) ----

    static double pdf(double y, double mean, double sigma) {
        double z = (y - mean) / sigma;
        return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
    }

    /** P(a <= Y < b) for Y ~ N(mean, sigma^2), composite Simpson over [a, b] clipped to mean +- 12 sigma. */
    static double probability(double a, double b, double mean, double sigma) {
        double lo = Math.max(a, mean - 12 * sigma), hi = Math.min(b, mean + 12 * sigma);
        if (hi <= lo) {
            return 0;
        }
        int n = 4000;
        double h = (hi - lo) / n, s = pdf(lo, mean, sigma) + pdf(hi, mean, sigma);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * pdf(lo + i * h, mean, sigma);
        }
        return s * h / 3;
    }

    /** Entropy in bits of clip(floor(Y + 1/2), 0, D), Y ~ N(mean, sigma^2). */
    static double entropy(int levels, double mean, double sigma) {
        double h = 0, total = 0;
        for (int k = 0; k <= levels; k++) {
            double a = k == 0 ? Double.NEGATIVE_INFINITY : k - 0.5, b = k == levels ? Double.POSITIVE_INFINITY : k + 0.5;
            double p = probability(a, b, mean, sigma);
            total += p;
            if (p > 0) {
                h -= p * Math.log(p) / Math.log(2);
            }
        }
        assertEquals(1.0, total, 1e-9, "the bins must cover the distribution");
        return h;
    }

    @Test
    void countEntropyAgreesWithDirectIntegration() {
        double[][] cases = {{4, 2, 1.0}, {4, 0, 4}, {4, 2, 0.3}, {2, 1, 0.7}, {8, 3.3, 2.5}, {16, 8, 5}, {1, 0.5, 1},
                {16, -2, 3}, {4, 6, 0.5}};
        for (double[] c : cases) {
            int levels = (int) c[0];
            assertEquals(entropy(levels, c[1], c[2]), IeLif.countEntropy(levels, c[1], c[2]), 1e-5,
                    "D = " + levels + ", mean " + c[1] + ", sigma " + c[2]);
        }
        // limits: a point mass has no entropy; D = 1 centred is one fair bit whatever the spread
        assertEquals(0, IeLif.countEntropy(4, 2, 1e-4), 1e-9);
        assertEquals(1, IeLif.countEntropy(1, 0.5, 3), 1e-6);
    }

    @ParameterizedTest(name = "D = {0}")
    @ValueSource(ints = {2, 4, 8, 16})
    void rectifyingAffineMaximisesTheEntropyOfTheSpikeCount(int levels) {
        double[] ga = IeLif.rectifyingAffine(levels);
        assertEquals(0.5, ga[1], 0, "beta centres D x on D/2");
        double sigma = ga[0] * levels;   // D x = D (gamma z + beta) = sigma z + D/2
        assertEquals(IeLif.maxEntropySpread(levels), sigma, 1e-9);
        double best = entropy(levels, levels / 2.0, sigma);
        assertTrue(best > entropy(levels, levels / 2.0, 0.8 * sigma), "higher than at 0.8 sigma*");
        assertTrue(best > entropy(levels, levels / 2.0, 1.2 * sigma), "higher than at 1.2 sigma*");
        // un-rectified BatchNorm (gamma 1, beta 0): D x = D z
        double plain = entropy(levels, 0, levels);
        assertTrue(best > plain + 0.1, "rectified " + best + " bits vs un-rectified " + plain);
        // and no spread on a fine grid does better
        for (double s = 0.05; s <= 4 * levels; s *= 1.02) {
            double h = entropy(levels, levels / 2.0, s);
            assertTrue(h <= best + 1e-6, "sigma " + s + " gives " + h + " > " + best + " at sigma* = " + sigma);
        }
        // the BatchNorm of a rectified projection starts at this affine map
        io.myelin.models.quant.QuantizedProjection p = new io.myelin.models.quant.QuantizedProjection("p", 3, 2, null,
                levels, 1);
        assertEquals((float) ga[0], p.norm().gamma().value[1]);
        assertEquals((float) ga[1], p.norm().beta().value[0]);
    }

    /** docs/qsd.md: sigma* = 1.80 for D = 4 gives 2.32 bits (log2 5 = 2.32 at most); gamma 1, beta 0 gives 1.84 bits. */
    @Test
    void rectificationNumbersForFourLevels() {
        double sigma = IeLif.rectifyingAffine(4)[0] * 4;
        assertEquals(1.80, sigma, 0.005);
        double h = entropy(4, 2, sigma);
        assertEquals(2.32, h, 0.005);
        assertTrue(h < Math.log(5) / Math.log(2));
        assertEquals(1.84, entropy(4, 0, 4), 0.005);
    }

    /**
     * At inference a count k is k binary spikes on D virtual steps: accumulating a weight once per binary spike equals
     * the integer product and JavaIntegerOps.accumulate.
     */
    @Test
    void ieLifExpansionEqualsTheIntegerSpikeCount() {
        int rows = 6, in = 9, out = 5;
        Random r = new Random(13);
        float[] membrane = new float[rows * in];
        for (int k = 0; k < membrane.length; k++) {
            membrane[k] = (float) (r.nextGaussian() * 0.5 + 0.5);
        }
        IeLif lif = new IeLif(D);
        lif.forward(new SeqTensor(rows, 1, in, membrane), false);
        int[] counts = new int[membrane.length];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = lif.counts()[k];
        }
        int[] w = new int[out * in];
        for (int k = 0; k < w.length; k++) {
            w[k] = r.nextInt(16) - 8;
        }
        // binary spikes on virtual steps v = 1..D: a spike where k >= v
        int[] byHand = new int[rows * out], products = new int[rows * out];
        int binarySpikes = 0;
        for (int v = 1; v <= D; v++) {
            for (int row = 0; row < rows; row++) {
                for (int i = 0; i < in; i++) {
                    if (counts[row * in + i] >= v) {
                        binarySpikes++;
                        for (int o = 0; o < out; o++) {
                            byHand[row * out + o] += w[o * in + i];
                        }
                    }
                }
            }
        }
        for (int row = 0; row < rows; row++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    products[row * out + o] += w[o * in + i] * counts[row * in + i];
                }
            }
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        assertEquals(total, binarySpikes, "k binary spikes per count");
        assertTrue(total > rows * in / 2, "the test needs spikes");
        assertArrayEquals(products, byHand);
        assertArrayEquals(products, new JavaIntegerOps().accumulate(w, out, in, counts, rows, D));
    }
}
