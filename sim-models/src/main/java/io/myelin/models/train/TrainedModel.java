package io.myelin.models.train;

import io.myelin.models.data.BinnedSet;
import io.myelin.models.module.Module;

/**
 * A classifier of binned spike sequences that a {@link Recipe} trains: a {@link Module} tree (parameters, state,
 * workers) with its config, evaluation-mode predictions and the firing statistics of its last forward pass.
 */
public interface TrainedModel extends Module {
    RunConfig config();

    /** Model inputs per frame (pooled channels). */
    int inputs();

    int classes();

    /** Predicted classes of a batch in evaluation mode (rounded delays, running statistics, no dropout). */
    int[] predict(BinnedSet.Batch batch);

    /**
     * A faster way to predict whole samples, with the same predictions as {@link #predict}, as this model offers it
     * now (a snapshot of its current weights, on its workers); null when it has none. {@link Evaluation} uses it.
     */
    default SamplePredictor samplePredictor() {
        return null;
    }

    /** Silent frames appended to every evaluation batch (what the model's delays extend a sample by). */
    default int evaluationPadding() {
        return 0;
    }

    /** Spiking layers counted in {@code firing_rate}. */
    int firingLayers();

    /**
     * Adds the spikes of the last forward pass per spiking layer to {@code spikes} and the (neuron, step) slots they
     * fell in to {@code slots}; their ratio is the layer's firing rate.
     */
    void addFiring(double[] spikes, double[] slots);

    /** Times every layer's forward and backward pass into {@code t} from now on (null: stop); optional. */
    default void setStageTimes(StageTimes t) {
    }
}
