package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

/**
 * {@code y(t) = x(t - delay)} per element; {@code delay} in the graph's time unit (seconds). In discrete time with
 * step dt an element is delayed by {@code round(delay / dt)} steps.
 */
public record Delay(Tensor delay) implements NirNode {
    public Delay {
        if (delay == null) {
            throw new InvalidInputException("Delay: parameter 'delay' is missing");
        }
        Shapes.finite("Delay: 'delay'", delay);
        for (int i = 0; i < delay.size(); i++) {
            if (delay.get(i) < 0) {
                throw new InvalidInputException("Delay: 'delay' must be >= 0, found " + delay.get(i));
            }
        }
    }

    @Override
    public String type() {
        return "Delay";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        Shapes.requireCount(input, delay.size(), key, this);
        return delay.shape();
    }

    @Override
    public long parameterCount() {
        return delay.size();
    }
}
