package io.myelin.models.train;

/**
 * One optimisation step's outcome.
 *
 * @param loss    the batch's mean loss, extra losses included
 * @param correct samples of the batch predicted right
 * @param extras  the extra losses inside {@code loss}, in the order of {@link Learner#extraLosses()}
 * @param firing  the spikes and slots of the step's forward passes per spiking layer when they did not run on the
 *                trainer's model (shards on replicas); null: the model's last forward pass has them
 */
public record StepResult(double loss, int correct, double[] extras, Firing firing) {
    public StepResult(double loss, int correct, double[] extras) {
        this(loss, correct, extras, null);
    }

    public StepResult(double loss, int correct) {
        this(loss, correct, new double[0]);
    }

    /** Spikes per spiking layer and the (neuron, step) slots they fell in ({@link TrainedModel#addFiring}). */
    public record Firing(double[] spikes, double[] slots) implements java.io.Serializable {
        /** Adds these counts to {@code spikes} and {@code slots}. */
        public void addTo(double[] toSpikes, double[] toSlots) {
            for (int k = 0; k < spikes.length; k++) {
                toSpikes[k] += spikes[k];
                toSlots[k] += slots[k];
            }
        }
    }
}
