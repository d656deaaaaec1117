package io.myelin.models.tensor;

/**
 * The innermost loops of the layers as small static methods over flat arrays. Kept separate so that the JIT compiles
 * each one on its own (and vectorises it) instead of meeting it only inside a long-running outer loop; every hot
 * loop of the trainer is one of these.
 */
public final class VectorOps {
    private VectorOps() {
    }

    /** {@code y[yo + r] += c * x[xo + r]} for {@code r < n}. */
    public static void axpy(float[] y, int yo, float c, float[] x, int xo, int n) {
        for (int r = 0; r < n; r++) {
            y[yo + r] += c * x[xo + r];
        }
    }

    /** Four axpys into one destination in one pass: a quarter of the destination traffic. */
    public static void axpy4(float[] y, int yo, float c0, int x0, float c1, int x1, float c2, int x2, float c3, int x3,
                             float[] x, int n) {
        for (int r = 0; r < n; r++) {
            y[yo + r] += c0 * x[x0 + r] + c1 * x[x1 + r] + c2 * x[x2 + r] + c3 * x[x3 + r];
        }
    }

    /** Dot product with eight partial sums, combined in a fixed order (deterministic). */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int r = 0;
        for (; r + 7 < n; r += 8) {
            s0 += a[ao + r] * b[bo + r];
            s1 += a[ao + r + 1] * b[bo + r + 1];
            s2 += a[ao + r + 2] * b[bo + r + 2];
            s3 += a[ao + r + 3] * b[bo + r + 3];
            s4 += a[ao + r + 4] * b[bo + r + 4];
            s5 += a[ao + r + 5] * b[bo + r + 5];
            s6 += a[ao + r + 6] * b[bo + r + 6];
            s7 += a[ao + r + 7] * b[bo + r + 7];
        }
        for (; r < n; r++) {
            s0 += a[ao + r] * b[bo + r];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
