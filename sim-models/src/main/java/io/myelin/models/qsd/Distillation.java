package io.myelin.models.qsd;

import io.myelin.models.tensor.SeqTensor;

/**
 * Fine-grained distillation of the QSD-Transformer's upper level (REFERENCES §4): after a forward pass of the student
 * and of its float-weight teacher on the same batch, align each block's Q, K and V spike representations,
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
                double[] l = new double[1];
                g[j] = gradient(xs[j], xt[j], valid, weight, l);
                loss += l[0];
            }
            s.addRepresentationGradients(g[0], g[1], g[2]);
        }
        return loss;
    }

    /** {@code weight * mean (a - b)^2} over valid positions and its gradient in {@code a}. */
    static SeqTensor gradient(SeqTensor a, SeqTensor b, int[] valid, double weight, double[] loss) {
        int B = a.batch, C = a.features;
        long n = 0;
        for (int v : valid) {
            n += (long) v * C;
        }
        float[] g = new float[a.data.length];
        if (n == 0) {
            return new SeqTensor(a.steps, B, C, g);
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
        loss[0] = weight * sum / n;
        return new SeqTensor(a.steps, B, C, g);
    }
}
