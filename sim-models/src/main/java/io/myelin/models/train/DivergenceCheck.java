package io.myelin.models.train;

import io.myelin.core.InvalidInputException;
import io.myelin.models.module.Param;

import java.util.List;

/**
 * Stops a run whose loss or parameters are no longer finite, with one line naming the learning rate to lower, rather
 * than let it finish and save a model of NaNs. Parameters are checked too: a NaN membrane emits no spikes, so a
 * diverged model can keep a finite loss.
 */
public final class DivergenceCheck implements TrainingListener {
    private List<Param> params = List.of();

    @Override
    public void phaseStarted(PhaseRun run) {
        params = run.model().params();
    }

    @Override
    public void stepDone(PhaseRun run, int epoch, int batch, StepResult step) {
        String lr = run.config().learningRateField();
        if (!Double.isFinite(step.loss())) {
            throw new InvalidInputException("training diverged: the loss is " + step.loss() + " in epoch " + epoch
                    + ", batch " + batch + " (lower " + lr + " or check the input data)");
        }
        for (Param p : params) {
            for (float v : p.value) {
                if (!Float.isFinite(v)) {
                    throw new InvalidInputException("training diverged: parameter " + p.name + " holds " + v
                            + " in epoch " + epoch + ", batch " + batch + " (lower " + lr + ")");
                }
            }
        }
    }
}
