package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

import java.util.Arrays;

/**
 * SumPool2d or AvgPool2d over a {@code [C, H, W]} input: windows of {@code kernel} taken every {@code stride},
 * with {@code padding} zeros on each side; the average divides by the window size including padding (PyTorch's
 * default {@code count_include_pad}).
 */
public record Pool(boolean average, int[] kernel, int[] stride, int[] padding) implements NirNode {
    public Pool {
        String t = average ? "AvgPool2d" : "SumPool2d";
        kernel = two(t, "kernel_size", kernel, 1);
        stride = two(t, "stride", stride, 1);
        padding = two(t, "padding", padding, 0);
    }

    private static int[] two(String t, String name, int[] v, int min) {
        if (v == null) {
            throw new InvalidInputException(t + ": parameter '" + name + "' is missing");
        }
        int[] out = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        if (out.length != 2) {
            throw new InvalidInputException(t + ": '" + name + "' must have 1 or 2 entries, found " + Shapes.str(v));
        }
        for (int x : out) {
            if (x < min) {
                throw new InvalidInputException(t + ": '" + name + "' must be >= " + min + ", found " + x);
            }
        }
        return out;
    }

    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public String type() {
        return average ? "AvgPool2d" : "SumPool2d";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        if (input.length != 3) {
            throw new InvalidInputException(NirNode.where(key, this) + ": receives shape " + Shapes.str(input)
                    + " but takes [C, H, W]");
        }
        int[] out = {input[0], 0, 0};
        for (int d = 0; d < 2; d++) {
            int span = input[d + 1] + 2 * padding[d] - kernel[d];
            if (span < 0) {
                throw new InvalidInputException(NirNode.where(key, this) + ": kernel " + kernel[d]
                        + " is larger than the padded input " + (input[d + 1] + 2 * padding[d]));
            }
            out[d + 1] = span / stride[d] + 1;
        }
        return out;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pool p && average == p.average && Arrays.equals(kernel, p.kernel)
                && Arrays.equals(stride, p.stride) && Arrays.equals(padding, p.padding);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(kernel) * 31 + (average ? 1 : 0);
    }
}
