package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

import java.util.Arrays;

/**
 * Conv1d or Conv2d: cross-correlation of a {@code [C_in, *spatial]} input with {@code weight}
 * {@code [C_out, C_in / groups, *kernel]}, with stride, zero padding, dilation and groups, plus {@code bias}
 * {@code [C_out]} (PyTorch's convention, which NIR follows).
 *
 * @param dims        spatial dimensions: 1 (Conv1d) or 2 (Conv2d)
 * @param stride      per spatial dimension
 * @param padding     explicit per-dimension padding, or {@code "same"} / {@code "valid"}
 * @param dilation    per spatial dimension
 * @param inputShape  spatial input shape if the file states it, else null (then taken from the incoming edge)
 */
public record Conv(int dims, Tensor weight, int[] stride, Padding padding, int[] dilation, int groups, Tensor bias,
                   int[] inputShape) implements NirNode {

    /** Zero padding: explicit sizes per spatial dimension, or one of PyTorch's names. */
    public record Padding(int[] sizes, String name) {
        public Padding {
            if ((sizes == null) == (name == null)) {
                throw new InvalidInputException("padding must be sizes or a name");
            }
            if (name != null && !name.equals("same") && !name.equals("valid")) {
                throw new InvalidInputException("padding must be 'same', 'valid' or integers, found '" + name + "'");
            }
            if (sizes != null) {
                for (int p : sizes) {
                    if (p < 0) {
                        throw new InvalidInputException("padding must be >= 0, found " + p);
                    }
                }
                sizes = sizes.clone();
            }
        }

        public static Padding of(int... sizes) {
            return new Padding(sizes, null);
        }

        public static Padding named(String name) {
            return new Padding(null, name);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Padding p && Arrays.equals(sizes, p.sizes) && java.util.Objects.equals(name, p.name);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(sizes) * 31 + java.util.Objects.hashCode(name);
        }
    }

    public Conv {
        String t = "Conv" + dims + "d";
        if (dims != 1 && dims != 2) {
            throw new InvalidInputException("convolution must be 1- or 2-dimensional, got " + dims);
        }
        if (weight == null) {
            throw new InvalidInputException(t + ": parameter 'weight' is missing");
        }
        if (weight.rank() != dims + 2) {
            throw new InvalidInputException(t + ": 'weight' must have shape [C_out, C_in/groups, "
                    + (dims == 1 ? "K" : "KH, KW") + "], found " + Shapes.str(weight.shape()));
        }
        Shapes.finite(t + ": 'weight'", weight);
        stride = perDim(t, "stride", stride, dims, 1);
        dilation = perDim(t, "dilation", dilation, dims, 1);
        if (padding == null) {
            throw new InvalidInputException(t + ": parameter 'padding' is missing");
        }
        if (padding.sizes() != null) {
            padding = Padding.of(perDim(t, "padding", padding.sizes(), dims, 0));
        }
        if (groups < 1 || weight.dim(0) % groups != 0) {
            throw new InvalidInputException(t + ": 'groups' (" + groups + ") must be >= 1 and divide C_out ("
                    + weight.dim(0) + ")");
        }
        if (bias == null) {
            throw new InvalidInputException(t + ": parameter 'bias' is missing");
        }
        if (bias.size() != weight.dim(0) && bias.size() != 1) {
            throw new InvalidInputException(t + ": 'bias' has " + bias.size() + " values for " + weight.dim(0)
                    + " output channels");
        }
        if ("same".equals(padding.name())) {
            for (int s : stride) {
                if (s != 1) {
                    throw new InvalidInputException(t + ": padding 'same' needs stride 1 (PyTorch's rule)");
                }
            }
        }
        if (inputShape != null) {
            if (inputShape.length != dims) {
                throw new InvalidInputException(t + ": 'input_shape' must have " + dims + " entries, found "
                        + Shapes.str(inputShape));
            }
            inputShape = inputShape.clone();
        }
    }

    private static int[] perDim(String t, String name, int[] v, int dims, int min) {
        if (v == null) {
            throw new InvalidInputException(t + ": parameter '" + name + "' is missing");
        }
        int[] out;
        if (v.length == dims) {
            out = v.clone();
        } else if (v.length == 1) {
            out = new int[dims];
            Arrays.fill(out, v[0]);
        } else {
            throw new InvalidInputException(t + ": '" + name + "' must have 1 or " + dims + " entries, found "
                    + Shapes.str(v));
        }
        for (int x : out) {
            if (x < Math.max(min, name.equals("padding") ? 0 : 1)) {
                throw new InvalidInputException(t + ": '" + name + "' must be >= " + Math.max(min, 1) + ", found " + x);
            }
        }
        return out;
    }

    public int outChannels() {
        return weight.dim(0);
    }

    public int inChannels() {
        return weight.dim(1) * groups;
    }

    public int kernel(int d) {
        return weight.dim(2 + d);
    }

    /** Zero padding before the data in spatial dimension {@code d}. */
    public int padBefore(int d) {
        if (padding.sizes() != null) {
            return padding.sizes()[d];
        }
        return padding.name().equals("valid") ? 0 : dilation[d] * (kernel(d) - 1) / 2;
    }

    /** Zero padding after the data in spatial dimension {@code d}. */
    public int padAfter(int d) {
        if (padding.sizes() != null) {
            return padding.sizes()[d];
        }
        return padding.name().equals("valid") ? 0 : dilation[d] * (kernel(d) - 1) - padBefore(d);
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    @Override
    public String type() {
        return "Conv" + dims + "d";
    }

    /** The full input shape {@code [C_in, *spatial]} for the incoming shape {@code input}. */
    public int[] resolvedInput(int[] input, String key) {
        int[] full;
        if (inputShape != null) {
            full = new int[dims + 1];
            full[0] = inChannels();
            System.arraycopy(inputShape, 0, full, 1, dims);
            Shapes.requireCount(input, Tensor.count(full), key, this);
        } else {
            if (input.length != dims + 1 || input[0] != inChannels()) {
                throw new InvalidInputException(NirNode.where(key, this) + ": receives shape " + Shapes.str(input)
                        + " but takes [" + inChannels() + (dims == 1 ? ", N" : ", H, W") + "]");
            }
            full = input.clone();
        }
        return full;
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        int[] in = resolvedInput(input, key);
        int[] out = new int[dims + 1];
        out[0] = outChannels();
        for (int d = 0; d < dims; d++) {
            long span = (long) in[d + 1] + padBefore(d) + padAfter(d) - (long) dilation[d] * (kernel(d) - 1) - 1;
            if (span < 0) {
                throw new InvalidInputException(NirNode.where(key, this) + ": kernel " + kernel(d) + " (dilation "
                        + dilation[d] + ") is larger than the padded input " + (in[d + 1] + padBefore(d) + padAfter(d)));
            }
            out[d + 1] = (int) (span / stride[d] + 1);
        }
        return out;
    }

    @Override
    public long parameterCount() {
        return weight.size() + bias.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv c && dims == c.dims && groups == c.groups && weight.equals(c.weight)
                && bias.equals(c.bias) && Arrays.equals(stride, c.stride) && Arrays.equals(dilation, c.dilation)
                && padding.equals(c.padding) && Arrays.equals(inputShape, c.inputShape);
    }

    @Override
    public int hashCode() {
        return weight.hashCode() * 31 + dims;
    }
}
