package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

import java.util.Arrays;

/**
 * Merges dimensions {@code startDim..endDim} (inclusive; negative counts from the end) of its input into one. The
 * data, row-major, is unchanged: only the shape changes.
 *
 * @param inputShape the input shape if the file states it ({@code input_type}), else null
 */
public record Flatten(int startDim, int endDim, int[] inputShape) implements NirNode {
    public Flatten {
        inputShape = inputShape == null ? null : inputShape.clone();
    }

    @Override
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    @Override
    public String type() {
        return "Flatten";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        int[] in = input;
        if (inputShape != null) {
            Shapes.requireCount(input, Tensor.count(inputShape), key, this);
            in = inputShape;
        }
        int r = in.length;
        int s = startDim < 0 ? startDim + r : startDim;
        int e = endDim < 0 ? endDim + r : endDim;
        if (r == 0) {
            return new int[] {1};
        }
        // NIR writers assume a batch dimension now and then; clamp rather than fail on a dimension past the end.
        s = Math.max(0, Math.min(s, r - 1));
        e = Math.max(0, Math.min(e, r - 1));
        if (s > e) {
            throw new InvalidInputException(NirNode.where(key, this) + ": start_dim " + startDim + " is after end_dim "
                    + endDim + " for input shape " + Shapes.str(in));
        }
        int[] out = new int[r - (e - s)];
        int k = 0;
        for (int d = 0; d < s; d++) {
            out[k++] = in[d];
        }
        long merged = 1;
        for (int d = s; d <= e; d++) {
            merged *= in[d];
        }
        out[k++] = (int) merged;
        for (int d = e + 1; d < r; d++) {
            out[k++] = in[d];
        }
        return out;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Flatten f && startDim == f.startDim && endDim == f.endDim
                && Arrays.equals(inputShape, f.inputShape);
    }

    @Override
    public int hashCode() {
        return startDim * 31 + endDim;
    }
}
