package io.myelin.models.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The delay-window kernels of the DCLS layer written with the JDK's Vector API (incubator module
 * {@code jdk.incubator.vector}), which C2 compiles to full-width SIMD (AVX-512 here): explicit vectors let four
 * synapses share every load of a shifted input row and keep their sums in registers across all window taps, which
 * C2's auto-vectoriser does not do. Only {@link WindowOps} refers to this class,
 * and only when the module is present, so that Myelin still runs (on its plain-Java loops) without it.
 *
 * <p>The exact sums are those of {@link WindowOps}; lengths are whole vectors (callers pad their rows). Each element
 * sums its taps in order with fused multiply-adds, the same bits as the scalar loops.
 */
final class VectorWindowOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorWindowOps() {
    }

    static int lanes() {
        return L;
    }

    static void addWindow4(float[] y, int yo0, int yo1, int yo2, int yo3, float[] x, int xOff, int len,
                           float[] c, int co0, int co1, int co2, int co3, int u) {
        if (u <= 3) {
            addWindow4Narrow(y, yo0, yo1, yo2, yo3, x, xOff, len, c, co0, co1, co2, co3, u);
            return;
        }
        if (u <= 5) {
            addWindow4Five(y, yo0, yo1, yo2, yo3, x, xOff, len, c, co0, co1, co2, co3, u);
            return;
        }
        for (int k = 0; k < len; k += L) {
            FloatVector a0 = FloatVector.fromArray(S, y, yo0 + k);
            FloatVector a1 = FloatVector.fromArray(S, y, yo1 + k);
            FloatVector a2 = FloatVector.fromArray(S, y, yo2 + k);
            FloatVector a3 = FloatVector.fromArray(S, y, yo3 + k);
            int xb = xOff + k;
            for (int j = 0; j < u; j++) {
                FloatVector v = FloatVector.fromArray(S, x, xb + j);
                a0 = v.fma(FloatVector.broadcast(S, c[co0 + j]), a0);
                a1 = v.fma(FloatVector.broadcast(S, c[co1 + j]), a1);
                a2 = v.fma(FloatVector.broadcast(S, c[co2 + j]), a2);
                a3 = v.fma(FloatVector.broadcast(S, c[co3 + j]), a3);
            }
            a0.intoArray(y, yo0 + k);
            a1.intoArray(y, yo1 + k);
            a2.intoArray(y, yo2 + k);
            a3.intoArray(y, yo3 + k);
        }
    }

    /**
     * {@link #addWindow4} for windows of up to three taps, whose twelve coefficients stay in registers for the whole
     * row (taps past u have coefficient zero and add exact zeros: {@code fma(x, 0, a) == a} for finite x).
     */
    private static void addWindow4Narrow(float[] y, int yo0, int yo1, int yo2, int yo3, float[] x, int xOff, int len,
                                         float[] c, int co0, int co1, int co2, int co3, int u) {
        FloatVector c00 = coefficient(c, co0, 0, u), c01 = coefficient(c, co0, 1, u), c02 = coefficient(c, co0, 2, u);
        FloatVector c10 = coefficient(c, co1, 0, u), c11 = coefficient(c, co1, 1, u), c12 = coefficient(c, co1, 2, u);
        FloatVector c20 = coefficient(c, co2, 0, u), c21 = coefficient(c, co2, 1, u), c22 = coefficient(c, co2, 2, u);
        FloatVector c30 = coefficient(c, co3, 0, u), c31 = coefficient(c, co3, 1, u), c32 = coefficient(c, co3, 2, u);
        for (int k = 0; k < len; k += L) {
            int xb = xOff + k;
            FloatVector v0 = FloatVector.fromArray(S, x, xb);
            FloatVector v1 = u > 1 ? FloatVector.fromArray(S, x, xb + 1) : v0;
            FloatVector v2 = u > 2 ? FloatVector.fromArray(S, x, xb + 2) : v0;
            v2.fma(c02, v1.fma(c01, v0.fma(c00, FloatVector.fromArray(S, y, yo0 + k)))).intoArray(y, yo0 + k);
            v2.fma(c12, v1.fma(c11, v0.fma(c10, FloatVector.fromArray(S, y, yo1 + k)))).intoArray(y, yo1 + k);
            v2.fma(c22, v1.fma(c21, v0.fma(c20, FloatVector.fromArray(S, y, yo2 + k)))).intoArray(y, yo2 + k);
            v2.fma(c32, v1.fma(c31, v0.fma(c30, FloatVector.fromArray(S, y, yo3 + k)))).intoArray(y, yo3 + k);
        }
    }

    /** {@link #addWindow4} for windows of four or five taps, coefficients in registers as in the narrow case. */
    private static void addWindow4Five(float[] y, int yo0, int yo1, int yo2, int yo3, float[] x, int xOff, int len,
                                       float[] c, int co0, int co1, int co2, int co3, int u) {
        FloatVector c00 = coefficient(c, co0, 0, u), c01 = coefficient(c, co0, 1, u), c02 = coefficient(c, co0, 2, u);
        FloatVector c03 = coefficient(c, co0, 3, u), c04 = coefficient(c, co0, 4, u);
        FloatVector c10 = coefficient(c, co1, 0, u), c11 = coefficient(c, co1, 1, u), c12 = coefficient(c, co1, 2, u);
        FloatVector c13 = coefficient(c, co1, 3, u), c14 = coefficient(c, co1, 4, u);
        FloatVector c20 = coefficient(c, co2, 0, u), c21 = coefficient(c, co2, 1, u), c22 = coefficient(c, co2, 2, u);
        FloatVector c23 = coefficient(c, co2, 3, u), c24 = coefficient(c, co2, 4, u);
        FloatVector c30 = coefficient(c, co3, 0, u), c31 = coefficient(c, co3, 1, u), c32 = coefficient(c, co3, 2, u);
        FloatVector c33 = coefficient(c, co3, 3, u), c34 = coefficient(c, co3, 4, u);
        for (int k = 0; k < len; k += L) {
            int xb = xOff + k;
            FloatVector v0 = FloatVector.fromArray(S, x, xb);
            FloatVector v1 = FloatVector.fromArray(S, x, xb + 1);
            FloatVector v2 = FloatVector.fromArray(S, x, xb + 2);
            FloatVector v3 = FloatVector.fromArray(S, x, xb + 3);
            FloatVector v4 = u > 4 ? FloatVector.fromArray(S, x, xb + 4) : v0;
            v4.fma(c04, v3.fma(c03, v2.fma(c02, v1.fma(c01, v0.fma(c00, FloatVector.fromArray(S, y, yo0 + k))))))
                    .intoArray(y, yo0 + k);
            v4.fma(c14, v3.fma(c13, v2.fma(c12, v1.fma(c11, v0.fma(c10, FloatVector.fromArray(S, y, yo1 + k))))))
                    .intoArray(y, yo1 + k);
            v4.fma(c24, v3.fma(c23, v2.fma(c22, v1.fma(c21, v0.fma(c20, FloatVector.fromArray(S, y, yo2 + k))))))
                    .intoArray(y, yo2 + k);
            v4.fma(c34, v3.fma(c33, v2.fma(c32, v1.fma(c31, v0.fma(c30, FloatVector.fromArray(S, y, yo3 + k))))))
                    .intoArray(y, yo3 + k);
        }
    }

    private static FloatVector coefficient(float[] c, int co, int j, int u) {
        return FloatVector.broadcast(S, j < u ? c[co + j] : 0f);
    }

    static void addWindow1(float[] y, int yo, float[] x, int xOff, int len, float[] c, int co, int u) {
        for (int k = 0; k < len; k += L) {
            FloatVector a = FloatVector.fromArray(S, y, yo + k);
            int xb = xOff + k;
            for (int j = 0; j < u; j++) {
                a = FloatVector.fromArray(S, x, xb + j).fma(FloatVector.broadcast(S, c[co + j]), a);
            }
            a.intoArray(y, yo + k);
        }
    }
}
