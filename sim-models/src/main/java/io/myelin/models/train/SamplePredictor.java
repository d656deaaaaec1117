package io.myelin.models.train;

import io.myelin.models.data.BinnedSet;

/**
 * A model's own way of predicting samples of a data set without building padded batches: the same classes as
 * {@link TrainedModel#predict} on a batch of those samples padded by {@link TrainedModel#evaluationPadding}.
 */
@FunctionalInterface
public interface SamplePredictor {
    /** Predicts samples {@code indices} of {@code data} into {@code out} ({@code out[k]} for {@code indices[k]}). */
    void predict(BinnedSet data, int[] indices, int[] out);
}
