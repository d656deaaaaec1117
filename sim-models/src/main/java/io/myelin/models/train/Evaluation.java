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

    public static Result run(TrainedModel model, BinnedSet data, int batch) {
        return run(data, batch, model.evaluationPadding(), model::predict);
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
