package io.myelin.models.tensor;

import io.myelin.core.vector.VectorApi;

/**
 * Kernels over short windows of consecutive delay taps, for four synapses at a time (each method gives its exact
 * sum). They run on the JDK's Vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (as README's commands and the build's tests do), and otherwise on
 * scalar loops that give the same sums; {@link #vectorized()} says which. The system property
 * {@code myelin.vector=false} turns the Vector API off.
 */
public final class WindowOps {
    private static final boolean VECTOR = detect();

    private WindowOps() {
    }

    private static boolean detect() {
        return VectorApi.usable(() -> VectorWindowOps.lanes() >= 4);
    }

    /** Whether the kernels run on the Vector API (the DCLS layer then takes its windowed paths). */
    public static boolean vectorized() {
        return VECTOR;
    }

    /** Floats per vector register (1 without the Vector API). */
    public static int lanes() {
        return VECTOR ? VectorWindowOps.lanes() : 1;
    }

    /** {@code n} rounded up to whole vectors: the lengths the kernels take. */
    public static int padded(int n) {
        int l = lanes();
        return (n + l - 1) / l * l;
    }

    /**
     * {@code y[yo_m + k] += sum_{j < u} c[co_m + j] * x[xOff + k + j]} for members m = 0..3 and {@code 0 <= k < len},
     * {@code len} a multiple of {@link #lanes()} (callers pad their rows). The four output ranges must not overlap
     * each other or the input range.
     */
    public static void addWindow4(float[] y, int yo0, int yo1, int yo2, int yo3, float[] x, int xOff, int len,
                                  float[] c, int co0, int co1, int co2, int co3, int u) {
        if (VECTOR) {
            VectorWindowOps.addWindow4(y, yo0, yo1, yo2, yo3, x, xOff, len, c, co0, co1, co2, co3, u);
        } else {
            scalarAdd(y, yo0, x, xOff, len, c, co0, u);
            scalarAdd(y, yo1, x, xOff, len, c, co1, u);
            scalarAdd(y, yo2, x, xOff, len, c, co2, u);
            scalarAdd(y, yo3, x, xOff, len, c, co3, u);
        }
    }

    /** {@link #addWindow4} for one member. */
    public static void addWindow1(float[] y, int yo, float[] x, int xOff, int len, float[] c, int co, int u) {
        if (VECTOR) {
            VectorWindowOps.addWindow1(y, yo, x, xOff, len, c, co, u);
        } else {
            scalarAdd(y, yo, x, xOff, len, c, co, u);
        }
    }

    private static void scalarAdd(float[] y, int yo, float[] x, int xOff, int len, float[] c, int co, int u) {
        for (int k = 0; k < len; k++) {
            float a = y[yo + k];
            int xb = xOff + k;
            for (int j = 0; j < u; j++) {
                a = Math.fma(x[xb + j], c[co + j], a);
            }
            y[yo + k] = a;
        }
    }
}
