package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

/** {@code y = W x}: {@code weight} is {@code [out, in]}. */
public record Linear(Tensor weight) implements NirNode {
    public Linear {
        checkWeight("Linear", weight);
    }

    static void checkWeight(String type, Tensor weight) {
        if (weight == null) {
            throw new InvalidInputException(type + ": parameter 'weight' is missing");
        }
        if (weight.rank() != 2) {
            throw new InvalidInputException(type + ": 'weight' must be a matrix [out, in], found shape "
                    + Shapes.str(weight.shape()));
        }
        Shapes.finite(type + ": 'weight'", weight);
    }

    public int in() {
        return weight.dim(1);
    }

    public int out() {
        return weight.dim(0);
    }

    @Override
    public String type() {
        return "Linear";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        Shapes.requireCount(input, in(), key, this);
        return new int[] {out()};
    }

    @Override
    public long parameterCount() {
        return weight.size();
    }
}
