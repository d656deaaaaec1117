package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

/** A directed edge: {@code source}'s output is added into {@code target}'s input. */
public record NirEdge(String source, String target) {
    public NirEdge {
        if (source == null || source.isEmpty() || target == null || target.isEmpty()) {
            throw new InvalidInputException("edge '" + source + "' -> '" + target + "': both ends must be named");
        }
    }

    @Override
    public String toString() {
        return source + " -> " + target;
    }
}
