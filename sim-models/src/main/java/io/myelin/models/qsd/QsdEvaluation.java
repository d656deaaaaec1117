package io.myelin.models.qsd;

import io.myelin.models.delay.BinnedSet;
import io.myelin.models.delay.Evaluation;
import io.myelin.models.layer.SumSoftmaxCrossEntropy;

/** Accuracy of a {@link QsdTransformer} (evaluation mode: integer-level sums, running BatchNorm statistics). */
public final class QsdEvaluation {
    private QsdEvaluation() {
    }

    public static Evaluation.Result run(QsdTransformer model, BinnedSet data, int batch) {
        return Evaluation.run(data, batch, 0, b -> {
            float[][] logits = model.forward(b.x(), b.lengths(), false);
            int[] p = new int[logits.length];
            for (int k = 0; k < p.length; k++) {
                p[k] = SumSoftmaxCrossEntropy.argmax(logits[k]);
            }
            return p;
        });
    }
}
