package io.myelin.models.tensor;

/**
 * The innermost loops of the layers, written so that HotSpot's C2 compiler vectorises them: both arrays are indexed
 * by the same expression. C2 (Java 17) cannot prove that two float arrays indexed at different offsets do not
 * overlap, and then keeps the loop scalar, about seven times slower here; the layers therefore keep their operands
 * row-aligned (arrays of rows, shifted copies in scratch rows) rather than passing offsets.
 */
public final class VectorOps {
    private VectorOps() {
    }

    /** {@code y[r] += c * x[r]} for {@code from <= r < to}. */
    public static void axpy(float[] y, float c, float[] x, int from, int to) {
        for (int r = from; r < to; r++) {
            y[r] += c * x[r];
        }
    }

    /** {@code y[r] += c0 x0[r] + c1 x1[r]} for {@code from <= r < to}. */
    public static void axpy2(float[] y, float c0, float[] x0, float c1, float[] x1, int from, int to) {
        for (int r = from; r < to; r++) {
            y[r] += c0 * x0[r] + c1 * x1[r];
        }
    }

    /** {@code y[r] += c0 x0[r] + c1 x1[r] + c2 x2[r]} for {@code from <= r < to}. */
    public static void axpy3(float[] y, float c0, float[] x0, float c1, float[] x1, float c2, float[] x2,
                             int from, int to) {
        for (int r = from; r < to; r++) {
            y[r] += c0 * x0[r] + c1 * x1[r] + c2 * x2[r];
        }
    }

    /**
     * {@code y[r] += c0 x0[r] + c1 x1[r] + c2 x2[r] + c3 x3[r]} for {@code from <= r < to}: one load and store of
     * {@code y} per four products.
     */
    public static void axpy4(float[] y, float c0, float[] x0, float c1, float[] x1, float c2, float[] x2,
                             float c3, float[] x3, int from, int to) {
        for (int r = from; r < to; r++) {
            y[r] += c0 * x0[r] + c1 * x1[r] + c2 * x2[r] + c3 * x3[r];
        }
    }

    /** {@code y[r] += c0 x0[r] + ... + c4 x4[r]} for {@code from <= r < to}; six terms and C2 stops vectorising. */
    public static void axpy5(float[] y, float c0, float[] x0, float c1, float[] x1, float c2, float[] x2,
                             float c3, float[] x3, float c4, float[] x4, int from, int to) {
        for (int r = from; r < to; r++) {
            y[r] += c0 * x0[r] + c1 * x1[r] + c2 * x2[r] + c3 * x3[r] + c4 * x4[r];
        }
    }

    /** Rows of a flat row-major matrix {@code [rows][cols]} as separate arrays. */
    public static float[][] rows(float[] flat, int rows, int cols) {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    /** The flat row-major form of {@code rows}. */
    public static float[] flatten(float[][] rows, int cols) {
        float[] out = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * cols, cols);
        }
        return out;
    }

    /** Transpose of a flat {@code [rows][cols]} matrix into {@code cols} arrays of length {@code rows}. */
    public static float[][] columns(float[] flat, int rows, int cols) {
        float[][] out = new float[cols][rows];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c][r] = flat[base + c];
            }
        }
        return out;
    }

    /** Inverse of {@link #columns}: {@code cols} arrays of length {@code rows} into a flat {@code [rows][cols]}. */
    public static float[] fromColumns(float[][] cols, int rows) {
        int n = cols.length;
        float[] out = new float[rows * n];
        for (int c = 0; c < n; c++) {
            float[] col = cols[c];
            for (int r = 0; r < rows; r++) {
                out[r * n + c] = col[r];
            }
        }
        return out;
    }
}
