package io.myelin.models.module;

/** Named tensors to restore a module's state from (a checkpoint, a model file); an absent or mis-sized one is an error. */
@FunctionalInterface
public interface TensorSource {
    /** The tensor {@code name}, checked to hold {@code length} values. */
    float[] tensor(String name, int length);
}
