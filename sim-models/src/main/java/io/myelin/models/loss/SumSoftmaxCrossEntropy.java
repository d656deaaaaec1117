package io.myelin.models.loss;

import io.myelin.models.tensor.SeqTensor;

/**
 * The SNN-delays loss on a readout's membrane trace {@code V[t][b][c]}: logits {@code m[b] = sum_t softmax(V[t][b])}
 * over the sample's valid steps, loss = mean over the batch of cross-entropy(m, y) (softmax applied again inside
 * the cross-entropy), prediction = argmax m. Summing only over each sample's own steps (its length plus the delay
 * layers' extension) makes a sample's logits independent of what it is batched with; the engine run of an exported
 * network sees exactly these steps.
 */
public final class SumSoftmaxCrossEntropy {
    private SumSoftmaxCrossEntropy() {
    }

    /** Loss, logits and the gradient with respect to V. */
    public record Result(double loss, float[][] logits, SeqTensor gradV) {
        public int predicted(int b) {
            return argmax(logits[b]);
        }
    }

    /** Logits only (no labels needed). */
    public static float[][] logits(SeqTensor v, int[] validSteps) {
        int B = v.batch, C = v.features;
        float[][] m = new float[B][C];
        double[] p = new double[C];
        for (int b = 0; b < B; b++) {
            int T = Math.min(v.steps, validSteps[b]);
            double[] acc = new double[C];
            for (int t = 0; t < T; t++) {
                softmax(v.data, v.index(t, b, 0), C, p);
                for (int c = 0; c < C; c++) {
                    acc[c] += p[c];
                }
            }
            for (int c = 0; c < C; c++) {
                m[b][c] = (float) acc[c];
            }
        }
        return m;
    }

    public static Result evaluate(SeqTensor v, int[] validSteps, int[] labels) {
        int B = v.batch, C = v.features;
        float[][] m = logits(v, validSteps);
        double loss = 0;
        float[] grad = new float[v.data.length];
        double[] q = new double[C], p = new double[C];
        for (int b = 0; b < B; b++) {
            int y = labels[b];
            if (y < 0 || y >= C) {
                throw new IllegalArgumentException("label " + y + " of sample " + b + " is outside 0.." + (C - 1));
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < C; c++) {
                max = Math.max(max, m[b][c]);
            }
            double z = 0;
            for (int c = 0; c < C; c++) {
                q[c] = Math.exp(m[b][c] - max);
                z += q[c];
            }
            loss += -(m[b][y] - max - Math.log(z));
            double[] dm = new double[C];
            for (int c = 0; c < C; c++) {
                dm[c] = (q[c] / z - (c == y ? 1 : 0)) / B;
            }
            int T = Math.min(v.steps, validSteps[b]);
            for (int t = 0; t < T; t++) {
                int base = v.index(t, b, 0);
                softmax(v.data, base, C, p);
                double dot = 0;
                for (int c = 0; c < C; c++) {
                    dot += p[c] * dm[c];
                }
                for (int c = 0; c < C; c++) {
                    grad[base + c] = (float) (p[c] * (dm[c] - dot));
                }
            }
        }
        return new Result(loss / B, m, new SeqTensor(v.steps, B, C, grad));
    }

    static void softmax(float[] d, int base, int C, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < C; c++) {
            max = Math.max(max, d[base + c]);
        }
        double z = 0;
        for (int c = 0; c < C; c++) {
            out[c] = Math.exp(d[base + c] - max);
            z += out[c];
        }
        for (int c = 0; c < C; c++) {
            out[c] /= z;
        }
    }

    /** Index of the largest value (the first on ties). */
    public static int argmax(float[] m) {
        int best = 0;
        for (int c = 1; c < m.length; c++) {
            if (m[c] > m[best]) {
                best = c;
            }
        }
        return best;
    }
}
