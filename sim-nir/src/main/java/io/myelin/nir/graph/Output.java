package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

/** Where results leave the graph: what it receives each step, of {@code shape}. */
public record Output(int[] shape) implements NirNode {
    public Output {
        if (shape == null || Tensor.count(shape) < 1) {
            throw new InvalidInputException("Output: 'shape' must have at least one element");
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String type() {
        return "Output";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        Shapes.requireCount(input, Tensor.count(shape), key, this);
        return shape();
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Output i && java.util.Arrays.equals(shape, i.shape);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(shape);
    }
}
