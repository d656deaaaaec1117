package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

/** {@code z = x > threshold} (1 or 0), element by element. */
public record Threshold(Tensor threshold) implements NirNode {
    public Threshold {
        if (threshold == null) {
            throw new InvalidInputException("Threshold: parameter 'threshold' is missing");
        }
        Shapes.finite("Threshold: 'threshold'", threshold);
    }

    @Override
    public String type() {
        return "Threshold";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        Shapes.requireCount(input, threshold.size(), key, this);
        return threshold.shape();
    }

    @Override
    public long parameterCount() {
        return threshold.size();
    }
}
