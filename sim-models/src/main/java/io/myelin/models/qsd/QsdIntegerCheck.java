package io.myelin.models.qsd;

import io.myelin.kernels.quant.IntegerOps;
import io.myelin.models.data.BinnedSet;

import java.util.Arrays;

/**
 * Runs every sample of a data set through the integer inference path and compares it with the model's own
 * (float-simulated, evaluation-mode) predictions and logits: {@code myelin eval --integer}.
 */
public final class QsdIntegerCheck {
    private QsdIntegerCheck() {
    }

    /**
     * @param agreeing       samples whose integer prediction equals the float-simulated one
     * @param identicalLogits samples whose logits are bit-for-bit identical
     */
    public record Result(int samples, int agreeing, int identicalLogits, int correct, double seconds, String backend,
                         QsdIntegerInference.Activity activity) {
        public double agreement() {
            return samples == 0 ? 1 : (double) agreeing / samples;
        }

        public double accuracy() {
            return samples == 0 ? 0 : (double) correct / samples;
        }

        public double samplesPerSecond() {
            return seconds > 0 ? samples / seconds : 0;
        }
    }

    public static Result run(QsdTransformer model, BinnedSet data, int batch, IntegerOps ops) {
        QsdIntegerInference inf = new QsdIntegerInference(QsdIntegerModel.export(model), ops);
        int n = data.size(), agree = 0, same = 0, correct = 0;
        double seconds = 0;
        for (int s = 0; s < n; s += batch) {
            int e = Math.min(n, s + batch);
            int[] idx = new int[e - s];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = s + k;
            }
            BinnedSet.Batch b = data.batch(idx, 0);
            float[][] ref = model.forward(b.x(), b.lengths(), false);
            long t0 = System.nanoTime();
            int[] p = inf.predict(b.x(), b.lengths());
            seconds += (System.nanoTime() - t0) / 1e9;
            float[][] got = inf.lastLogits();
            for (int k = 0; k < idx.length; k++) {
                if (p[k] == io.myelin.models.loss.SumSoftmaxCrossEntropy.argmax(ref[k])) {
                    agree++;
                }
                if (Arrays.equals(got[k], ref[k])) {
                    same++;
                }
                if (p[k] == b.labels()[k]) {
                    correct++;
                }
            }
        }
        return new Result(n, agree, same, correct, seconds, ops.name(), inf.activity());
    }
}
