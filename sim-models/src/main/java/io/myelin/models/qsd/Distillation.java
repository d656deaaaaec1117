package io.myelin.models.qsd;

import io.myelin.models.attention.SpikeDrivenSelfAttention;
import io.myelin.models.loss.MaskedMeanSquaredError;
import io.myelin.models.tensor.SeqTensor;

/**
 * Fine-grained distillation of the QSD-Transformer's upper level (docs/references.md §4): after a forward pass of the
 * student and of its float-weight teacher on the same batch, align each block's Q, K and V spike representations,
 * <pre>
 *   L_d = weight * sum over blocks and X in {Q, K, V} of  mean over valid tokens and channels (X_student - X_teacher)^2
 * </pre>
 * and hand {@code dL_d / dX_student} to the student's attention layers for the next backward pass.
 */
public final class Distillation {
    private Distillation() {
    }

    /** Adds the alignment gradients to {@code student}'s attention layers; returns {@code L_d}. */
    public static double addGradients(QsdTransformer student, QsdTransformer teacher, double weight) {
        if (student.blocks().size() != teacher.blocks().size()) {
            throw new IllegalArgumentException("teacher and student need the same architecture");
        }
        int[] valid = student.validTokens();
        double loss = 0;
        for (int k = 0; k < student.blocks().size(); k++) {
            SpikeDrivenSelfAttention s = student.blocks().get(k).attention(), t = teacher.blocks().get(k).attention();
            SeqTensor[] g = new SeqTensor[3];
            SeqTensor[] xs = {s.queries(), s.keys(), s.values()}, xt = {t.queries(), t.keys(), t.values()};
            for (int j = 0; j < 3; j++) {
                MaskedMeanSquaredError.Result r = MaskedMeanSquaredError.evaluate(xs[j], xt[j], valid, weight);
                g[j] = r.gradient();
                loss += r.loss();
            }
            s.addRepresentationGradients(g[0], g[1], g[2]);
        }
        return loss;
    }
}
