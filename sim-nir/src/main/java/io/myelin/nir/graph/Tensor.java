package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

import java.util.Arrays;

/**
 * An n-dimensional array of parameter values as a NIR file holds them: a shape and the elements in row-major
 * (C) order, widened to double. Immutable: the constructor and accessors copy.
 */
public final class Tensor {
    private final int[] shape;
    private final double[] data;
    private final boolean single;

    /**
     * @param shape  dimensions (empty for a scalar)
     * @param data   elements in row-major order
     * @param single whether the file stores it as float32 (written back as float32)
     */
    public Tensor(int[] shape, double[] data, boolean single) {
        long n = count(shape);
        if (n != data.length) {
            throw new InvalidInputException("tensor of shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        this.shape = shape.clone();
        this.data = data.clone();
        this.single = single;
    }

    public Tensor(int[] shape, double[] data) {
        this(shape, data, false);
    }

    /** A one-dimensional float64 tensor. */
    public static Tensor vector(double... values) {
        return new Tensor(new int[] {values.length}, values, false);
    }

    /** A float64 tensor of {@code shape} with every element {@code value}. */
    public static Tensor filled(int[] shape, double value) {
        double[] d = new double[(int) count(shape)];
        Arrays.fill(d, value);
        return new Tensor(shape, d, false);
    }

    /** A row-major float32 matrix of {@code rows x cols}. */
    public static Tensor matrix(int rows, int cols, double[] rowMajor, boolean single) {
        return new Tensor(new int[] {rows, cols}, rowMajor, single);
    }

    /** Number of elements of {@code shape} (1 for a scalar). */
    public static long count(int[] shape) {
        long n = 1;
        for (int e : shape) {
            if (e < 0) {
                throw new InvalidInputException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= e;
        }
        return n;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int k) {
        return shape[k];
    }

    public int size() {
        return data.length;
    }

    /** The elements (a copy). */
    public double[] data() {
        return data.clone();
    }

    public double get(int flatIndex) {
        return data[flatIndex];
    }

    /** Whether the file held float32 (or the tensor is to be written as float32). */
    public boolean single() {
        return single;
    }

    /** The same values stored as float32 ({@code true}) or float64. */
    public Tensor withSingle(boolean asSingle) {
        return new Tensor(shape, data, asSingle);
    }

    /** The same values under another shape with as many elements (a reshape; data order unchanged). */
    public Tensor reshaped(int[] newShape) {
        return new Tensor(newShape, data, single);
    }

    /**
     * This tensor's values spread over {@code target} elements: itself when it has {@code target} elements, its
     * single value repeated when it is a scalar or has one element.
     *
     * @param what for the error message (e.g. "node 'lif1' (LIF) parameter 'tau'")
     */
    public double[] broadcast(int target, String what) {
        if (data.length == target) {
            return data.clone();
        }
        if (data.length == 1) {
            double[] d = new double[target];
            Arrays.fill(d, data[0]);
            return d;
        }
        throw new InvalidInputException(what + " has " + data.length + " values " + Arrays.toString(shape)
                + ", expected " + target);
    }

    /** The values as integers (they must be whole numbers). */
    public int[] integers(String what) {
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            double v = data[i];
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new InvalidInputException(what + " must hold integers, found " + v);
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** Whether any element is NaN or infinite. */
    public boolean hasNonFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (single ? " float32" : " float64");
    }
}
