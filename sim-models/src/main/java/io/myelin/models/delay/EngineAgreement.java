package io.myelin.models.delay;

import io.myelin.core.engine.Engines;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;

/**
 * Runs every sample of a data set through the exported network in an engine (clock-driven, or event-driven in its
 * discrete-time mode) and compares the engine's predictions with the trained model's (rounded-delay) predictions.
 */
public final class EngineAgreement {
    private EngineAgreement() {
    }

    /** Per-sample engine predictions and how many equal the model's. */
    public record Result(int[] enginePredictions, int agreeing, int correct, int samples, double seconds) {
        public double agreement() {
            return samples == 0 ? 1 : (double) agreeing / samples;
        }

        public double engineAccuracy() {
            return samples == 0 ? 0 : (double) correct / samples;
        }

        public double samplesPerSecond() {
            return seconds > 0 ? samples / seconds : 0;
        }
    }

    public static Result check(DelaySnn model, BinnedSet data, int[] modelPredictions) {
        return check(model, data, modelPredictions, Engines.CLOCK);
    }

    /** As {@link #check(DelaySnn, BinnedSet, int[])} on engine {@code engine} (one of {@link Engines#names()}). */
    public static Result check(DelaySnn model, BinnedSet data, int[] modelPredictions, String engine) {
        Engines.checkName(engine);
        long t0 = System.nanoTime();
        EngineExport export = new EngineExport(model);
        double frameMs = model.config().data().frameMs();
        int n = data.size();
        int[] pred = new int[n];
        int agree = 0, correct = 0;
        for (int i = 0; i < n; i++) {
            var s = data.sample(i);
            int frames = Math.max(1, s.frames());
            float[] logits = export.engineLogits(EngineExport.inputOf(s, data.channels(), frameMs), frames, engine);
            pred[i] = SumSoftmaxCrossEntropy.argmax(logits);
            if (pred[i] == modelPredictions[i]) {
                agree++;
            }
            if (pred[i] == data.label(i)) {
                correct++;
            }
        }
        return new Result(pred, agree, correct, n, (System.nanoTime() - t0) / 1e9);
    }
}
