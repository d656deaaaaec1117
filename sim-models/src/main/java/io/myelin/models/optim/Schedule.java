package io.myelin.models.optim;

/** A per-epoch schedule of a parameter group's hyper-parameters (learning rate, Adam's beta1). */
@FunctionalInterface
public interface Schedule {
    /** Sets {@code g}'s hyper-parameters for epoch {@code epoch} (0-based). */
    void apply(int epoch, ParamGroup g);
}
