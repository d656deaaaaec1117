package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

import java.util.Arrays;

/** Shape checks shared by the node types. */
public final class Shapes {
    private Shapes() {
    }

    /** Fails unless {@code input} holds exactly {@code count} elements. */
    public static void requireCount(int[] input, long count, String key, NirNode n) {
        if (Tensor.count(input) != count) {
            throw new InvalidInputException(NirNode.where(key, n) + ": receives shape " + Arrays.toString(input) + " ("
                    + Tensor.count(input) + " values) but its parameters take " + count);
        }
    }

    /** The shape of {@code t}, checked to be that of {@code reference} (or a single value, broadcast). */
    static int[] sameShape(String what, Tensor t, Tensor reference) {
        if (t.size() != reference.size() && t.size() != 1) {
            throw new InvalidInputException(what + " has shape " + Arrays.toString(t.shape()) + ", the node's other "
                    + "parameters " + Arrays.toString(reference.shape()));
        }
        return reference.shape();
    }

    /** Fails when the tensor holds NaN or infinity. */
    static void finite(String what, Tensor t) {
        if (t.hasNonFinite()) {
            throw new InvalidInputException(what + " holds NaN or infinite values");
        }
    }

    /** Fails unless every element is strictly positive. */
    static void positive(String what, Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (!(t.get(i) > 0)) {
                throw new InvalidInputException(what + " must be > 0, found " + t.get(i));
            }
        }
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
