package io.myelin.models.train;

import java.io.IOException;

/** Saves the model of every epoch that is the best so far ({@code model.json} + {@code model-eE.bin}, E counted from 1). */
public final class BestModelSaver implements TrainingListener {
    @Override
    public void epochDone(PhaseRun run, EpochResult e) throws IOException {
        if (e.best()) {
            run.store().saveModel(run.model(), run.sets().provenance(e.epoch(), run.config().training().seed(),
                    e.valid() == null ? null : e.valid().accuracy(), e.test().accuracy()), run.sets().trainedOn());
        }
    }
}
