package io.myelin.models.loss;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

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
        float[][] m = new float[v.batch][];
        double[] p = new double[v.features];
        for (int b = 0; b < v.batch; b++) {
            m[b] = logits(v, validSteps, b, p);
        }
        return m;
    }

    public static Result evaluate(SeqTensor v, int[] validSteps, int[] labels) {
        return evaluate(v, validSteps, labels, Workers.serial());
    }

    /**
     * {@link #evaluate(SeqTensor, int[], int[])} with the samples split over {@code workers}: each sample's logits,
     * loss term and gradient rows are its own, and the loss adds the terms in sample order, so the result is the same
     * bits for any thread count.
     */
    public static Result evaluate(SeqTensor v, int[] validSteps, int[] labels, Workers workers) {
        int B = v.batch, C = v.features;
        for (int b = 0; b < B; b++) {
            if (labels[b] < 0 || labels[b] >= C) {
                throw new IllegalArgumentException("label " + labels[b] + " of sample " + b + " is outside 0.."
                        + (C - 1));
            }
        }
        float[][] m = new float[B][];
        double[] terms = new double[B];
        float[] grad = new float[v.data.length];
        workers.forRange(B, (b0, b1) -> {
            double[] q = new double[C], p = new double[C];
            for (int b = b0; b < b1; b++) {
                m[b] = logits(v, validSteps, b, p);
                terms[b] = sampleGradient(v, validSteps[b], b, labels[b], m[b], B, grad, q, p);
            }
        });
        double loss = 0;
        for (int b = 0; b < B; b++) {
            loss += terms[b];
        }
        return new Result(loss / B, m, new SeqTensor(v.steps, B, C, grad));
    }

    /** Sample {@code b}'s logits, {@code p} a scratch row of {@code C}. */
    private static float[] logits(SeqTensor v, int[] validSteps, int b, double[] p) {
        int C = v.features;
        float[] m = new float[C];
        int T = Math.min(v.steps, validSteps[b]);
        double[] acc = new double[C];
        for (int t = 0; t < T; t++) {
            softmax(v.data, v.index(t, b, 0), C, p);
            for (int c = 0; c < C; c++) {
                acc[c] += p[c];
            }
        }
        for (int c = 0; c < C; c++) {
            m[c] = (float) acc[c];
        }
        return m;
    }

    /** Writes sample {@code b}'s rows of the gradient; returns its loss term. */
    private static double sampleGradient(SeqTensor v, int validSteps, int b, int y, float[] mb, int B, float[] grad,
                                         double[] q, double[] p) {
        int C = v.features;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < C; c++) {
            max = Math.max(max, mb[c]);
        }
        double z = 0;
        for (int c = 0; c < C; c++) {
            q[c] = Math.exp(mb[c] - max);
            z += q[c];
        }
        double term = -(mb[y] - max - Math.log(z));
        double[] dm = new double[C];
        for (int c = 0; c < C; c++) {
            dm[c] = (q[c] / z - (c == y ? 1 : 0)) / B;
        }
        int T = Math.min(v.steps, validSteps);
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
        return term;
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
