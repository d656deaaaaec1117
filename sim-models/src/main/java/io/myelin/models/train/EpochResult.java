package io.myelin.models.train;

/**
 * One finished epoch.
 *
 * @param epoch       counted from 1, as users see it
 * @param loss        mean training loss
 * @param accuracy    training accuracy
 * @param samples     training samples
 * @param seconds     training time, s (evaluation excluded)
 * @param valid       evaluation on the validation split or file, or null
 * @param test        evaluation on the test file
 * @param best        whether it is the best so far (its model is saved)
 * @param metricsLine its {@code metrics.jsonl} line
 */
public record EpochResult(int epoch, double loss, double accuracy, long samples, double seconds,
                          Evaluation.Result valid, Evaluation.Result test, boolean best, String metricsLine) {
    public double samplesPerSecond() {
        return samples / seconds;
    }
}
