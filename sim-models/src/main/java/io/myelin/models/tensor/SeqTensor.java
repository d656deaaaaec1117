package io.myelin.models.tensor;

import java.util.Arrays;

/**
 * A batch of sequences as one flat, time-major {@code float[]}: element {@code (t, b, n)} lives at
 * {@code (t * batch + b) * features + n}. This is the layout every layer reads and writes, the layout
 * {@link io.myelin.core.data.BinnedBatch#dense()} produces, and the one a kernel can take as it is.
 */
public final class SeqTensor {
    public final int steps;
    public final int batch;
    public final int features;
    public final float[] data;

    public SeqTensor(int steps, int batch, int features, float[] data) {
        if (steps < 0 || batch < 1 || features < 1) {
            throw new IllegalArgumentException("tensor shape [" + steps + "][" + batch + "][" + features + "] is invalid");
        }
        if (data.length != (long) steps * batch * features) {
            throw new IllegalArgumentException("tensor [" + steps + "][" + batch + "][" + features + "] needs "
                    + (long) steps * batch * features + " values, got " + data.length);
        }
        this.steps = steps;
        this.batch = batch;
        this.features = features;
        this.data = data;
    }

    /** A zero tensor. */
    public static SeqTensor zeros(int steps, int batch, int features) {
        return new SeqTensor(steps, batch, features, new float[steps * batch * features]);
    }

    public int index(int t, int b, int n) {
        return (t * batch + b) * features + n;
    }

    public float get(int t, int b, int n) {
        return data[index(t, b, n)];
    }

    /** Rows are (t, b) pairs: {@code steps * batch}. */
    public int rows() {
        return steps * batch;
    }

    public SeqTensor copy() {
        return new SeqTensor(steps, batch, features, data.clone());
    }

    /**
     * Feature-major copy {@code [features][steps * batch]}: row {@code n} is feature n over all (t, b), the layout in
     * which a time shift of {@code d} steps is a contiguous offset of {@code d * batch}.
     */
    public float[] featureMajor() {
        int rows = rows();
        float[] out = new float[features * rows];
        for (int r = 0; r < rows; r++) {
            int base = r * features;
            for (int n = 0; n < features; n++) {
                out[n * rows + r] = data[base + n];
            }
        }
        return out;
    }

    /** The inverse of {@link #featureMajor()}: builds a time-major tensor from {@code [features][steps * batch]}. */
    public static SeqTensor fromFeatureMajor(float[] fm, int steps, int batch, int features) {
        int rows = steps * batch;
        float[] out = new float[rows * features];
        for (int n = 0; n < features; n++) {
            int base = n * rows;
            for (int r = 0; r < rows; r++) {
                out[r * features + n] = fm[base + r];
            }
        }
        return new SeqTensor(steps, batch, features, out);
    }

    /** Fraction of non-zero entries. */
    public double density() {
        int nz = 0;
        for (float v : data) {
            if (v != 0f) {
                nz++;
            }
        }
        return data.length == 0 ? 0 : (double) nz / data.length;
    }

    @Override
    public String toString() {
        return "SeqTensor[" + steps + "][" + batch + "][" + features + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeqTensor s && s.steps == steps && s.batch == batch && s.features == features
                && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }
}
