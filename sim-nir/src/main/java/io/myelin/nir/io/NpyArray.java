package io.myelin.nir.io;

import io.myelin.core.InvalidInputException;
import io.myelin.nir.graph.Tensor;

import java.util.Arrays;

/**
 * A NumPy array as {@code .npy} holds it: shape, elements in row-major order (widened to double) and whether it is
 * (to be) stored as float32 ({@code <f4}) rather than float64 ({@code <f8}).
 */
public record NpyArray(int[] shape, double[] data, boolean single) {
    public NpyArray {
        if (Tensor.count(shape) != data.length) {
            throw new InvalidInputException("array of shape " + Arrays.toString(shape) + " needs " + Tensor.count(shape)
                    + " values, got " + data.length);
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Rows of a {@code [T, ...]} array: its first dimension (1 for a scalar). */
    public int rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Elements per row: the product of all but the first dimension. */
    public int rowSize() {
        return shape.length == 0 ? 1 : (int) (data.length / Math.max(1, shape[0]));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data)
                && single == a.single;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape) + (single ? " float32" : " float64");
    }
}
