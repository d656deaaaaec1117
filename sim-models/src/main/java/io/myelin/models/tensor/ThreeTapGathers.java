package io.myelin.models.tensor;

/**
 * The DCLS kernel gradient of three-tap windows (the floor sigma) gathered per synapse: over one input's events q in
 * {@code [a, z)}, with rows {@code row[q]} and values {@code val[q]}, the gradient of tap j of a synapse whose
 * output's gradient column is {@code col} and whose shift is {@code s} is
 * <pre>
 *   d[at + j] = c_j + e_j,   c_j = sum over even-numbered q of val[q] * col[row[q] + s - j],   e_j likewise odd,   j = 0, 1, 2
 * </pre>
 * each chain in event order, every product rounded to float before it is added ({@code c += v * g}); two chains so
 * that additions overlap. {@link #four} does it for four synapses of the same input at once, on the Vector API where
 * {@link WindowOps#vectorized()}: one vector load per (event, synapse) reads a tap triple, each lane a chain of its
 * own, the same operations in the same order, so the same bits as {@link #one}.
 *
 * <p>A column must hold {@link #columnSlack()} floats past the highest row a tap reads
 * ({@code row[q] + s + columnSlack() < col.length}): the vector loads read them and drop them.
 */
public final class ThreeTapGathers {
    private static final boolean VECTOR = WindowOps.vectorized();

    private ThreeTapGathers() {
    }

    /** Floats a column needs past the highest row a tap reads (0 without the Vector API). */
    public static int columnSlack() {
        return VECTOR ? VectorThreeTapGathers.slack() : 0;
    }

    /** One synapse: {@code d[at + j]} for j = 0, 1, 2 as in the class comment. */
    public static void one(float[] col, int a, int z, int[] row, float[] val, int s, float[] d, int at) {
        float c0 = 0, c1 = 0, c2 = 0, e0 = 0, e1 = 0, e2 = 0;
        int q = a;
        for (; q + 1 < z; q += 2) {
            int r = row[q] + s, rr = row[q + 1] + s;
            float v = val[q], w = val[q + 1];
            c0 += v * col[r];
            c1 += v * col[r - 1];
            c2 += v * col[r - 2];
            e0 += w * col[rr];
            e1 += w * col[rr - 1];
            e2 += w * col[rr - 2];
        }
        if (q < z) {
            int r = row[q] + s;
            float v = val[q];
            c0 += v * col[r];
            c1 += v * col[r - 1];
            c2 += v * col[r - 2];
        }
        d[at] = c0 + e0;
        d[at + 1] = c1 + e1;
        d[at + 2] = c2 + e2;
    }

    /**
     * Four synapses of one input (columns g0..g3, shifts s0..s3, results at d0..d3): each result the one
     * {@link #one} gives, the event list read once for all four.
     */
    public static void four(float[] g0, float[] g1, float[] g2, float[] g3, int a, int z, int[] row, float[] val,
                            int s0, int s1, int s2, int s3, float[] d, int d0, int d1, int d2, int d3) {
        if (VECTOR) {
            VectorThreeTapGathers.four(g0, g1, g2, g3, a, z, row, val, s0, s1, s2, s3, d, d0, d1, d2, d3);
            return;
        }
        one(g0, a, z, row, val, s0, d, d0);
        one(g1, a, z, row, val, s1, d, d1);
        one(g2, a, z, row, val, s2, d, d2);
        one(g3, a, z, row, val, s3, d, d3);
    }
}
