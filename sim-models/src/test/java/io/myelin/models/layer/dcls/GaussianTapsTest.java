package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Myelin's exponential against {@code StrictMath.exp} (fdlibm, correctly rounded to within an ulp) over the whole range
 * the Gaussian reaches, and the kernel built many synapses at a time (the Vector API where the build has it) against
 * one synapse at a time in scalar code: the same bits.
 */
class GaussianTapsTest {
    @Test
    void expIsWithinTwoUlpsOfFdlibm() {
        Random rnd = new Random(5);
        double worst = 0;
        for (int k = 0; k < 400_000; k++) {
            double x = switch (k % 4) {
                case 0 -> -rnd.nextDouble() * 750;
                case 1 -> -rnd.nextDouble() * 2;
                case 2 -> -rnd.nextDouble() * 1e-6;
                default -> -Math.scalb(rnd.nextDouble(), -rnd.nextInt(60));
            };
            double ref = StrictMath.exp(x), got = GaussianTaps.exp(x);
            if (ref >= Double.MIN_NORMAL) {
                double ulps = Math.abs(got - ref) / Math.ulp(ref);
                worst = Math.max(worst, ulps);
                assertTrue(ulps <= 2, "exp(" + x + ") = " + got + ", fdlibm " + ref);
            } else {
                // subnormal results carry fewer bits: within two of the least subnormal
                assertTrue(Math.abs(got - ref) <= 2 * Double.MIN_VALUE, "exp(" + x + ") = " + got + ", fdlibm " + ref);
            }
        }
        assertTrue(worst > 0, "the test compares nothing");
    }

    @Test
    void expAtTheEdges() {
        assertEquals(1.0, GaussianTaps.exp(0.0));
        assertEquals(1.0, GaussianTaps.exp(-0.0));
        assertEquals(Math.E, 1 / GaussianTaps.exp(-1.0), 2 * Math.ulp(Math.E));
        assertEquals(0.0, GaussianTaps.exp(-745.2));
        assertEquals(0.0, GaussianTaps.exp(-1000));
        assertEquals(0.0, GaussianTaps.exp(-1e300));
        assertEquals(0.0, GaussianTaps.exp(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(GaussianTaps.exp(Double.NaN)));
        double least = GaussianTaps.exp(-744.4);
        assertTrue(least > 0 && least < 1e-322, "the subnormal range is reached: " + least);
    }

    /** Taps, sigma (wide to the floor), truncation; out not a multiple of the lanes, so the last group is partial. */
    @ParameterizedTest(name = "{0} taps, sigma {1}, truncation {2}, {3} x {4}")
    @CsvSource({"25, 0.5, 3, 7, 13", "25, 12.5, 0, 5, 9", "31, 1.3, 3, 3, 35", "31, 0.27, 3, 2, 1", "5, 40, 3, 4, 6"})
    void theBatchedBuildGivesTheScalarBits(int taps, double sigma, double truncation, int in, int out) {
        Random rnd = new Random(taps * 31L + in);
        float[] w = new float[out * in], p = new float[out * in];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) rnd.nextGaussian();
            // most positions inside the taps, a few past either end
            p[k] = (float) ((rnd.nextDouble() * 1.4 - 0.7) * taps);
        }
        DclsKernel kernel = new DclsKernel(in, out, taps);
        try (Workers workers = new Workers(2)) {
            kernel.build(w, p, true, sigma, truncation, workers);
        }
        int W = kernel.maxWindow(), q = in * out;
        int[] lo = new int[q], len = new int[q];
        double[] mu = new double[q], sum = new double[q], moment = new double[q];
        float[] gwin = new float[q * W], coef = new float[q * W];
        double[] g = new double[taps];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                int s = i * out + o, syn = o * in + i;
                GaussianDelayKernel.build(w[syn], p[syn], taps, sigma, truncation, W, g, s, lo, len, mu, sum, moment,
                        gwin, coef);
                assertEquals(lo[s], kernel.lo[s], "first tap of synapse " + s);
                assertEquals(len[s], kernel.len[s], "window of synapse " + s);
                assertEquals(Double.doubleToRawLongBits(sum[s]), Double.doubleToRawLongBits(kernel.sum[s]),
                        "normalisation sum of synapse " + s);
                assertEquals(Double.doubleToRawLongBits(moment[s]), Double.doubleToRawLongBits(kernel.moment[s]),
                        "first moment of synapse " + s);
                for (int j = 0; j < len[s]; j++) {
                    assertEquals(Float.floatToRawIntBits(coef[s * W + j]),
                            Float.floatToRawIntBits(kernel.coef[s * W + j]), "coefficient " + j + " of synapse " + s);
                }
            }
        }
        // and what the chain rule makes of each
        float[] dK = new float[q * W];
        for (int k = 0; k < dK.length; k++) {
            dK[k] = (float) rnd.nextGaussian();
        }
        float[] gw = new float[q], gp = new float[q], gw1 = new float[q], gp1 = new float[q];
        kernel.accumulateParameterGradients(dK, w, gw, gp, Workers.serial());
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                int s = i * out + o, syn = o * in + i;
                GaussianDelayKernel.chainRule(dK, gwin, s * W, lo[s], len[s], mu[s], sum[s], moment[s], w[syn],
                        sigma * sigma, gw1, gp1, syn);
            }
        }
        for (int k = 0; k < q; k++) {
            assertEquals(Float.floatToRawIntBits(gw1[k]), Float.floatToRawIntBits(gw[k]), "weight gradient " + k);
            assertEquals(Float.floatToRawIntBits(gp1[k]), Float.floatToRawIntBits(gp[k]), "position gradient " + k);
        }
    }
}
