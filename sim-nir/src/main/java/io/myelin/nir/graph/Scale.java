package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

/** {@code y = s * x}, element by element. */
public record Scale(Tensor scale) implements NirNode {
    public Scale {
        if (scale == null) {
            throw new InvalidInputException("Scale: parameter 'scale' is missing");
        }
        Shapes.finite("Scale: 'scale'", scale);
    }

    @Override
    public String type() {
        return "Scale";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        Shapes.requireCount(input, scale.size(), key, this);
        return scale.shape();
    }

    @Override
    public long parameterCount() {
        return scale.size();
    }
}
