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

    /** Adds {@code other} into this tensor element by element; a null {@code other} (an absent gradient) adds nothing. */
    public void add(SeqTensor other) {
        if (other == null) {
            return;
        }
        float[] a = data, b = other.data;
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    public SeqTensor copy() {
        return new SeqTensor(steps, batch, features, data.clone());
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
