package io.myelin.models.delay;

import io.myelin.core.engine.Engines;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.layer.SumSoftmaxCrossEntropy;
import io.myelin.models.tensor.Workers;

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
        return check(model, data, modelPredictions, engine, Workers.serial());
    }

    /**
     * As {@link #check(DelaySnn, BinnedSet, int[], String)}, the samples split over {@code workers}, each thread
     * with its own engine holding the network compiled once ({@link EngineExport#runner}); the predictions do not
     * depend on the split.
     */
    public static Result check(DelaySnn model, BinnedSet data, int[] modelPredictions, String engine, Workers workers) {
        Engines.checkName(engine);
        long t0 = System.nanoTime();
        EngineExport export = new EngineExport(model);
        int n = data.size();
        int[] pred = new int[n];
        java.util.concurrent.ConcurrentLinkedDeque<EngineExport.Runner> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();
        try {
            workers.forRange(n, (i0, i1) -> {
                EngineExport.Runner r = idle.poll();
                if (r == null) {
                    r = export.runner(engine);
                }
                try {
                    for (int i = i0; i < i1; i++) {
                        pred[i] = SumSoftmaxCrossEntropy.argmax(r.logits(data.sample(i), data.channels()));
                    }
                } finally {
                    idle.push(r);
                }
            });
        } finally {
            for (EngineExport.Runner r : idle) {
                r.close();
            }
        }
        int agree = 0, correct = 0;
        for (int i = 0; i < n; i++) {
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
