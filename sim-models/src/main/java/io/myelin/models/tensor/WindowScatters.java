package io.myelin.models.tensor;

/**
 * Adds one input event into the output columns of a group of synapses, each synapse's whole window at once: for
 * members m in {@code [0, n)}, with {@code c = at + m * pitch + shift[s0 + m]},
 * <pre>
 *   col[c + k] = fma(win[(s0 + m) * chunk + k], v, col[c + k])   for 0 <= k < chunk
 * </pre>
 * where {@code chunk} is {@link #chunk()} floats: a synapse's window coefficients laid out in the order of the
 * output rows they reach, zeros past the window (a zero coefficient adds an exact zero). Each element is one
 * fused multiply-add per event, so a column that receives the events in some order sums them in that order.
 * On the Vector API (where {@link WindowOps#vectorized()}) a chunk is one vector: a load of the column, a load of
 * the window, a multiply-add and a store per (event, synapse).
 *
 * <p>Members' ranges must not overlap: each member writes its own column ({@code pitch >= chunk} past the highest
 * shift).
 */
public final class WindowScatters {
    private static final boolean VECTOR = WindowOps.vectorized();

    private WindowScatters() {
    }

    /** Floats per window chunk: a vector's lanes, or 8 without the Vector API. */
    public static int chunk() {
        return VECTOR ? WindowOps.lanes() : 8;
    }

    /** The event of value {@code v} into the columns of members {@code [0, n)}, as in the class comment. */
    public static void add(float[] col, int at, int pitch, float[] win, int[] shift, int s0, int n, float v) {
        if (VECTOR) {
            VectorWindowScatters.add(col, at, pitch, win, shift, s0, n, v);
            return;
        }
        final int C = chunk();
        for (int m = 0, base = at; m < n; m++, base += pitch) {
            int c = base + shift[s0 + m], wo = (s0 + m) * C;
            for (int k = 0; k < C; k++) {
                col[c + k] = Math.fma(win[wo + k], v, col[c + k]);
            }
        }
    }
}
