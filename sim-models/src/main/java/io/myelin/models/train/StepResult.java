package io.myelin.models.train;

/**
 * One optimisation step's outcome.
 *
 * @param loss    the batch's mean loss, extra losses included
 * @param correct samples of the batch predicted right
 * @param extras  the extra losses inside {@code loss}, in the order of {@link Learner#extraLosses()}
 */
public record StepResult(double loss, int correct, double[] extras) {
    public StepResult(double loss, int correct) {
        this(loss, correct, new double[0]);
    }
}
