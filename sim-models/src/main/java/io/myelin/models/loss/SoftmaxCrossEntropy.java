package io.myelin.models.loss;

/**
 * Cross-entropy of softmax(logits) against integer labels, averaged over the batch (double accumulation), with the
 * gradient {@code (softmax - onehot) / B} with respect to the logits.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** Loss, and the logit gradient {@code [B][classes]}. */
    public record Result(double loss, float[][] gradLogits) {
    }

    public static Result evaluate(float[][] logits, int[] labels) {
        int B = logits.length;
        double loss = 0;
        float[][] g = new float[B][];
        for (int b = 0; b < B; b++) {
            float[] z = logits[b];
            int C = z.length, y = labels[b];
            if (y < 0 || y >= C) {
                throw new IllegalArgumentException("label " + y + " of sample " + b + " is outside 0.." + (C - 1));
            }
            double max = Double.NEGATIVE_INFINITY;
            for (float v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            double[] e = new double[C];
            for (int c = 0; c < C; c++) {
                e[c] = Math.exp(z[c] - max);
                sum += e[c];
            }
            loss += -(z[y] - max - Math.log(sum));
            g[b] = new float[C];
            for (int c = 0; c < C; c++) {
                g[b][c] = (float) ((e[c] / sum - (c == y ? 1 : 0)) / B);
            }
        }
        return new Result(loss / B, g);
    }
}
