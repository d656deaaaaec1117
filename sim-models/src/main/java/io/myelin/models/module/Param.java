package io.myelin.models.module;

/**
 * A trainable array and its gradient, both flat. {@code kind} decides the optimizer group (weights, delay positions,
 * BatchNorm affine parameters, quantizer step sizes), as the SNN-delays recipe gives each its own learning rate and
 * weight decay.
 */
public final class Param {
    /** Optimizer groups of the SNN-delays recipe. */
    public enum Kind { WEIGHT, POSITION, NORM, STEP }

    public final String name;
    public final Kind kind;
    public final float[] value;
    public final float[] grad;

    public Param(String name, Kind kind, float[] value) {
        this.name = name;
        this.kind = kind;
        this.value = value;
        this.grad = new float[value.length];
    }

    public void zeroGrad() {
        java.util.Arrays.fill(grad, 0f);
    }
}
