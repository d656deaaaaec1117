package io.myelin.models.qsd;

import io.myelin.models.delay.BinnedSet;
import io.myelin.models.delay.Evaluation;
import io.myelin.models.layer.SumSoftmaxCrossEntropy;

/** Accuracy of a {@link QsdTransformer} (evaluation mode: integer-level sums, running BatchNorm statistics). */
public final class QsdEvaluation {
    private QsdEvaluation() {
    }

    public static Evaluation.Result run(QsdTransformer model, BinnedSet data, int batch) {
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
            BinnedSet.Batch b = data.batch(idx, 0);
            float[][] logits = model.forward(b.x(), b.lengths(), false);
            for (int k = 0; k < idx.length; k++) {
                pred[s + k] = SumSoftmaxCrossEntropy.argmax(logits[k]);
                if (pred[s + k] == b.labels()[k]) {
                    correct++;
                }
            }
        }
        return new Evaluation.Result(pred, correct, n, (System.nanoTime() - t0) / 1e9);
    }
}
