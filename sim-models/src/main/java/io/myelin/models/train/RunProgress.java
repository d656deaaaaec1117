package io.myelin.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a training run stands, as its checkpoint header carries it: epochs done, the best model so far (selected by
 * validation accuracy, or test accuracy without a validation split), training time and samples, and every
 * {@code metrics.jsonl} line written, so a resumed phase continues exactly where it stopped.
 */
public final class RunProgress {
    public int epochsDone;
    public double bestSelect = -1;
    public double bestTest;
    public double bestValid = Double.NaN;
    public int bestEpoch = -1;
    public double trainSeconds;
    public long trainSamples;
    public final List<String> metricLines = new ArrayList<>();

    /** The progress stored in a checkpoint header by {@link #writeTo}. */
    public static RunProgress fromHeader(JsonNode h) {
        RunProgress p = new RunProgress();
        p.epochsDone = h.path("epochs_done").asInt();
        p.bestSelect = h.path("best_select").asDouble();
        p.bestTest = h.path("best_test_acc").asDouble();
        p.bestValid = h.path("best_valid_acc").isNumber() ? h.path("best_valid_acc").asDouble() : Double.NaN;
        p.bestEpoch = h.path("best_epoch").asInt();
        p.trainSeconds = h.path("train_seconds").asDouble();
        p.trainSamples = h.path("train_samples").asLong();
        for (JsonNode line : h.path("metrics")) {
            p.metricLines.add(line.asText());
        }
        return p;
    }

    public void writeTo(ObjectNode h) {
        h.put("epochs_done", epochsDone);
        h.put("best_select", bestSelect);
        h.put("best_test_acc", bestTest);
        if (!Double.isNaN(bestValid)) {
            h.put("best_valid_acc", bestValid);
        }
        h.put("best_epoch", bestEpoch);
        h.put("train_seconds", trainSeconds);
        h.put("train_samples", trainSamples);
        ArrayNode lines = h.putArray("metrics");
        metricLines.forEach(lines::add);
    }

    /** Records an epoch's evaluation; true when it is the best so far (its model is then saved). */
    public boolean offer(int epoch, Evaluation.Result valid, Evaluation.Result test) {
        double select = valid != null ? valid.accuracy() : test.accuracy();
        if (!(select > bestSelect)) {
            return false;
        }
        bestSelect = select;
        bestTest = test.accuracy();
        bestValid = valid != null ? valid.accuracy() : Double.NaN;
        bestEpoch = epoch;
        return true;
    }

    /** Test accuracy of the last epoch written (0 before the first). */
    public double lastTestAcc() {
        if (metricLines.isEmpty()) {
            return 0;
        }
        try {
            return Json.reader().readTree(metricLines.get(metricLines.size() - 1)).path("test_acc").asDouble();
        } catch (IOException e) {
            return 0;
        }
    }

    public double trainSamplesPerSecond() {
        return trainSeconds > 0 ? trainSamples / trainSeconds : 0;
    }
}
