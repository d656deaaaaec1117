package io.myelin.models.loss;

import io.myelin.models.tensor.SeqTensor;

/**
 * {@code L = weight * mean (a - b)^2} over the valid steps of each sample and all features, and its gradient in
 * {@code a} (padded steps take no part and get 0): the distance the QSD-Transformer's distillation minimises
 * between a student's and a teacher's spike representations (docs/references.md §4).
 */
public final class MaskedMeanSquaredError {
    private MaskedMeanSquaredError() {
    }

    /** The loss and {@code dL/da}. */
    public record Result(double loss, SeqTensor gradient) {
    }

    /** {@code a} and {@code b} are {@code [steps][batch][features]}; {@code valid[b]} steps of sample b count. */
    public static Result evaluate(SeqTensor a, SeqTensor b, int[] valid, double weight) {
        int B = a.batch, C = a.features;
        long n = 0;
        for (int v : valid) {
            n += (long) v * C;
        }
        float[] g = new float[a.data.length];
        if (n == 0) {
            return new Result(0, new SeqTensor(a.steps, B, C, g));
        }
        double sum = 0;
        float f = (float) (2 * weight / n);
        for (int bb = 0; bb < B; bb++) {
            for (int t = 0; t < valid[bb]; t++) {
                int base = (t * B + bb) * C;
                for (int c = 0; c < C; c++) {
                    float d = a.data[base + c] - b.data[base + c];
                    sum += (double) d * d;
                    g[base + c] = f * d;
                }
            }
        }
        return new Result(weight * sum / n, new SeqTensor(a.steps, B, C, g));
    }
}
