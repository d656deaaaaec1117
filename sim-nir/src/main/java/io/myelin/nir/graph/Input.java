package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

/** Where data enters the graph: each step's input array has {@code shape}. */
public record Input(int[] shape) implements NirNode {
    public Input {
        if (shape == null || Tensor.count(shape) < 1) {
            throw new InvalidInputException("Input: 'shape' must have at least one element");
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String type() {
        return "Input";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        return shape();
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Input i && java.util.Arrays.equals(shape, i.shape);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(shape);
    }
}
