package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

/** {@code y = W x + b}: {@code weight} is {@code [out, in]}, {@code bias} {@code [out]}. */
public record Affine(Tensor weight, Tensor bias) implements NirNode {
    public Affine {
        Linear.checkWeight("Affine", weight);
        if (bias == null) {
            throw new InvalidInputException("Affine: parameter 'bias' is missing");
        }
        if (bias.size() != weight.dim(0)) {
            throw new InvalidInputException("Affine: 'bias' has " + bias.size() + " values for " + weight.dim(0)
                    + " outputs (weight " + Shapes.str(weight.shape()) + ")");
        }
        Shapes.finite("Affine: 'bias'", bias);
    }

    public int in() {
        return weight.dim(1);
    }

    public int out() {
        return weight.dim(0);
    }

    @Override
    public String type() {
        return "Affine";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        Shapes.requireCount(input, in(), key, this);
        return new int[] {out()};
    }

    @Override
    public long parameterCount() {
        return weight.size() + bias.size();
    }
}
