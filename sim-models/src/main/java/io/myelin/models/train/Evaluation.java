package io.myelin.models.train;

import io.myelin.models.data.BinnedSet;

/**
 * The evaluation loop of every model kind: test-time inference ({@link TrainedModel#predict}: rounded delays,
 * BatchNorm running statistics, no dropout) in batches, each padded by the model's {@link
 * TrainedModel#evaluationPadding}, so a sample's prediction does not depend on the batch it is evaluated in.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** Predictions and their accuracy. */
    public record Result(int[] predictions, int correct, int samples, double seconds) {
        public double accuracy() {
            return samples == 0 ? 0 : (double) correct / samples;
        }

        public double samplesPerSecond() {
            return seconds > 0 ? samples / seconds : 0;
        }
    }

    /**
     * Evaluates {@code model} on {@code data}: through its {@link TrainedModel#samplePredictor()} when it has one
     * (in groups of {@code batch} samples: a group of one is one sample at a time), else in padded batches.
     */
    public static Result run(TrainedModel model, BinnedSet data, int batch) {
        SamplePredictor fast = model.samplePredictor();
        if (fast != null) {
            return run(data, batch, fast);
        }
        return run(data, batch, model.evaluationPadding(), model::predict);
    }

    /**
     * Runs {@code predict} over {@code data} and counts its hits: one sample at a time when {@code batch} is 1 (a
     * stream), else all samples in one call, since the predictor's results do not depend on how samples are grouped
     * and one call lets its threads share the work to the end.
     */
    public static Result run(BinnedSet data, int batch, SamplePredictor predict) {
        long t0 = System.nanoTime();
        int n = data.size();
        int[] pred = new int[n];
        int correct = 0;
        int group = batch == 1 ? 1 : Math.max(1, n);
        int[] idx = new int[Math.min(group, n)], p = new int[idx.length];
        for (int s = 0; s < n; s += group) {
            int m = Math.min(n, s + group) - s;
            if (m != idx.length) {
                idx = new int[m];
                p = new int[m];
            }
            for (int k = 0; k < m; k++) {
                idx[k] = s + k;
            }
            predict.predict(data, idx, p);
            for (int k = 0; k < m; k++) {
                pred[s + k] = p[k];
                if (p[k] == data.label(s + k)) {
                    correct++;
                }
            }
        }
        return new Result(pred, correct, n, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Runs {@code predict} over {@code data} in batches of {@code batch} samples, each padded by {@code extraFrames}
     * frames, and counts its hits.
     */
    public static Result run(BinnedSet data, int batch, int extraFrames,
                             java.util.function.Function<BinnedSet.Batch, int[]> predict) {
        long t0 = System.nanoTime();
        int n = data.size();
        int[] pred = new int[n];
        int correct = 0;
        for (int s = 0; s < n; s += batch) {
            int e = Math.min(n, s + batch);
            int[] idx = new int[e - s];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = s + k;
            }
            BinnedSet.Batch b = data.batch(idx, extraFrames);
            int[] p = predict.apply(b);
            for (int k = 0; k < idx.length; k++) {
                pred[s + k] = p[k];
                if (p[k] == b.labels()[k]) {
                    correct++;
                }
            }
        }
        return new Result(pred, correct, n, (System.nanoTime() - t0) / 1e9);
    }
}
