package io.myelin.models.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rewrites {@code checkpoint.bin} after every epoch (atomically: a kill loses at most the current epoch): a header with
 * the format, the optimizers' step counts, where the run stands ({@link RunProgress}) and the config; the model's
 * state, then the optimizers' moments.
 */
public final class CheckpointWriter implements TrainingListener {
    @Override
    public void epochDone(PhaseRun run, EpochResult e) throws IOException {
        ObjectNode h = Json.object();
        h.put("format", run.checkpointFormat());
        run.learner().optimization().writeSteps(h);
        run.progress().writeTo(h);
        h.set("config", Json.reader().readTree(run.config().toJson()));
        Map<String, float[]> t = new LinkedHashMap<>(run.model().state());
        run.learner().optimization().putMoments(t);
        run.store().writeCheckpoint(h, t);
    }
}
