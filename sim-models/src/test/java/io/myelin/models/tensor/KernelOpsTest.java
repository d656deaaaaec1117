package io.myelin.models.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Vector API kernels against plain loops: exact where the operations are the same, else to rounding. */
class KernelOpsTest {
    @ParameterizedTest(name = "taps {0}, length {1}")
    @CsvSource({"1, 16", "2, 48", "3, 32", "4, 64", "7, 16", "25, 160"})
    void windowSumsAreTheFusedMultiplyAddsInTapOrder(int u, int n) {
        int len = WindowOps.padded(n);
        Random rnd = new Random(u * 31L + n);
        float[] x = random(rnd, 7 + len + u);
        float[] c = random(rnd, 4 * 25 + 3);
        float[] y = random(rnd, 4 * len + 9), want = y.clone();
        int[] yo = {0, len + 3, 2 * len + 5, 3 * len + 9 - 4};
        int[] co = {1, 27, 53, 77};
        WindowOps.addWindow4(y, yo[0], yo[1], yo[2], yo[3], x, 7, len, c, co[0], co[1], co[2], co[3], u);
        for (int m = 0; m < 4; m++) {
            for (int k = 0; k < len; k++) {
                float a = want[yo[m] + k];
                for (int j = 0; j < u; j++) {
                    a = Math.fma(x[7 + k + j], c[co[m] + j], a);
                }
                want[yo[m] + k] = a;
            }
        }
        assertArrayEquals(want, y);
        float[] y1 = random(rnd, len + 2), want1 = y1.clone();
        WindowOps.addWindow1(y1, 2, x, 3, len, c, 11, u);
        for (int k = 0; k < len; k++) {
            double ref = want1[2 + k];
            for (int j = 0; j < u; j++) {
                ref += (double) x[3 + k + j] * c[11 + j];
            }
            assertEquals(ref, y1[2 + k], 1e-5 * Math.max(1, Math.abs(ref)));
        }
    }

    @ParameterizedTest(name = "from {0} to {1}")
    @CsvSource({"0, 100", "3, 70", "5, 9"})
    void lifStepsEqualTheScalarLoop(int from, int to) {
        Random rnd = new Random(from * 7L + to);
        int m = 110;
        float tau = 1.005f, th = 1f;
        float[] x = random(rnd, 3 * m), h = new float[3 * m], s = new float[3 * m];
        float[] v = new float[to - from], vRef = new float[to - from];
        float[] hRef = new float[3 * m], sRef = new float[3 * m];
        for (int t = 0; t < 3; t++) {
            LifOps.step(x, h, s, v, t * m, from, to, tau, th);
            for (int k = from; k < to; k++) {
                float vi = vRef[k - from];
                float hi = vi - vi / tau + x[t * m + k];
                hRef[t * m + k] = hi;
                sRef[t * m + k] = hi >= th ? 1f : 0f;
                vRef[k - from] = hi >= th ? 0f : hi;
            }
        }
        assertArrayEquals(hRef, h);
        assertArrayEquals(sRef, s);
        assertArrayEquals(vRef, v);
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) (rnd.nextGaussian() * 1.5);
        }
        return a;
    }
}
