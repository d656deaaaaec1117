package io.myelin.testing;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Gradient checks against central finite differences of double-precision references: the layers compute in float,
 * the reference in double, so a step of {@value #STEP} resolves the gradient to about 1e-6 relative.
 */
public final class FiniteDifferences {
    /** The step h of {@code (f(x + h) - f(x - h)) / 2h}. */
    public static final double STEP = 1e-5;

    private FiniteDifferences() {
    }

    /** Central differences of a scalar function at {@code x}. */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x) {
        return gradient(f, x, STEP);
    }

    /** Central differences with step {@code h} (a coarser step for references with larger rounding). */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double h) {
        double[] g = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            double[] p = x.clone(), m = x.clone();
            p[k] += h;
            m[k] -= h;
            g[k] = (f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * h);
        }
        return g;
    }

    /**
     * Central differences of {@code L(x) = y(x) . r}: the gradient a backward pass returns when it is handed
     * {@code r} as the gradient of its output {@code y}.
     */
    public static double[] gradient(Function<double[], double[]> y, double[] x, double[] r) {
        return gradient(v -> dot(y.apply(v), r), x);
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** Asserts {@code |expected - actual| <= tol max(1, |expected|)} element by element. */
    public static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], tol * Math.max(1, Math.abs(expected[k])), what + " " + k);
        }
    }

    /** The float values a layer computes with. */
    public static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            f[k] = (float) d[k];
        }
        return f;
    }

    /** The exact double values of floats, for a reference. */
    public static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            d[k] = f[k];
        }
        return d;
    }
}
