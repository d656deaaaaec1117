package io.myelin.models.attention;

import io.myelin.models.module.Module;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

/**
 * The linear spike-driven attention of Q-SDSA over the tokens of each sample, per head, in float for training:
 * <pre>
 *   M = K^T V   (d x d, over the sample's valid tokens)        A[n] = c_b Q[n] M,   c_b = scale / L_b
 * </pre>
 * {@code L_b} is the sample's number of valid tokens: the mean over tokens, rather than the sum, keeps the scale
 * independent of the utterance length; padded tokens take no part and get 0. With Q, K, V spike counts over a power
 * of two every product and sum before {@code c_b} is exact, so the result equals the integer path's
 * ({@link io.myelin.kernels.quant.IntegerOps#linearAttention}) times {@code c_b / D^3} bit for bit.
 *
 * <p>Tensors are {@code [tokens][batch][channels]}; head {@code h} owns channels {@code [h d, (h+1) d)}.
 */
public final class LinearSpikeAttention implements Module {
    private final int heads;
    private final double scale;
    private Workers workers = Workers.serial();
    private SeqTensor q, k, v;
    private int[] valid;
    private float[][] m;   // [b * heads + h][d * d]

    public LinearSpikeAttention(int heads, double scale) {
        if (heads < 1) {
            throw new IllegalArgumentException("attention needs >= 1 head, got " + heads);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("attention scale must be > 0, got " + scale);
        }
        this.heads = heads;
        this.scale = scale;
    }

    @Override
    public void setWorkers(Workers w) {
        this.workers = w;
    }

    public int heads() {
        return heads;
    }

    public double scale() {
        return scale;
    }

    /** The per-sample factor {@code c_b}, computed the one way both inference paths use. */
    public static float factor(double scale, int validTokens) {
        return validTokens == 0 ? 0f : (float) (scale / validTokens);
    }

    public SeqTensor forward(SeqTensor q, SeqTensor k, SeqTensor v, int[] valid) {
        int T = q.steps, B = q.batch, C = q.features;
        if (C % heads != 0) {
            throw new IllegalArgumentException(C + " channels do not split into " + heads + " heads");
        }
        if (valid.length != B) {
            throw new IllegalArgumentException("valid lengths for " + valid.length + " samples, batch of " + B);
        }
        this.q = q;
        this.k = k;
        this.v = v;
        this.valid = valid;
        int d = C / heads;
        float[] a = new float[q.data.length];
        m = new float[B * heads][];
        float[] qd = q.data, kd = k.data, vd = v.data;
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int L = Math.min(valid[b], T);
                float c = factor(scale, L);
                for (int h = 0; h < heads; h++) {
                    float[] mm = new float[d * d];
                    int c0 = h * d;
                    for (int n = 0; n < L; n++) {
                        int base = (n * B + b) * C + c0;
                        for (int d1 = 0; d1 < d; d1++) {
                            float kv = kd[base + d1];
                            if (kv != 0f) {
                                int row = d1 * d;
                                for (int d2 = 0; d2 < d; d2++) {
                                    mm[row + d2] += kv * vd[base + d2];
                                }
                            }
                        }
                    }
                    m[b * heads + h] = mm;
                    for (int n = 0; n < L; n++) {
                        int base = (n * B + b) * C + c0;
                        float[] acc = new float[d];
                        for (int d1 = 0; d1 < d; d1++) {
                            float qv = qd[base + d1];
                            if (qv != 0f) {
                                int row = d1 * d;
                                for (int d2 = 0; d2 < d; d2++) {
                                    acc[d2] += qv * mm[row + d2];
                                }
                            }
                        }
                        for (int d2 = 0; d2 < d; d2++) {
                            a[base + d2] = acc[d2] * c;
                        }
                    }
                }
            }
        });
        return new SeqTensor(T, B, C, a);
    }

    /** Gradients {@code {dQ, dK, dV}} for the output gradient {@code dA} of the last forward pass. */
    public SeqTensor[] backward(SeqTensor dA) {
        int T = q.steps, B = q.batch, C = q.features, d = C / heads;
        float[] qd = q.data, kd = k.data, vd = v.data, g = dA.data;
        float[] dq = new float[qd.length], dk = new float[kd.length], dv = new float[vd.length];
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int L = Math.min(valid[b], T);
                float c = factor(scale, L);
                for (int h = 0; h < heads; h++) {
                    float[] mm = m[b * heads + h];
                    float[] gm = new float[d * d];
                    int c0 = h * d;
                    for (int n = 0; n < L; n++) {
                        int base = (n * B + b) * C + c0;
                        for (int d1 = 0; d1 < d; d1++) {
                            int row = d1 * d;
                            float s = 0f;
                            for (int d2 = 0; d2 < d; d2++) {
                                s += g[base + d2] * mm[row + d2];
                            }
                            dq[base + d1] = s * c;
                            float qv = qd[base + d1];
                            if (qv != 0f) {
                                float f = qv * c;
                                for (int d2 = 0; d2 < d; d2++) {
                                    gm[row + d2] += f * g[base + d2];
                                }
                            }
                        }
                    }
                    for (int n = 0; n < L; n++) {
                        int base = (n * B + b) * C + c0;
                        for (int d1 = 0; d1 < d; d1++) {
                            int row = d1 * d;
                            float s = 0f;
                            for (int d2 = 0; d2 < d; d2++) {
                                s += gm[row + d2] * vd[base + d2];
                            }
                            dk[base + d1] = s;
                            float kv = kd[base + d1];
                            if (kv != 0f) {
                                for (int d2 = 0; d2 < d; d2++) {
                                    dv[base + d2] += kv * gm[row + d2];
                                }
                            }
                        }
                    }
                }
            }
        });
        return new SeqTensor[]{new SeqTensor(T, B, C, dq), new SeqTensor(T, B, C, dk), new SeqTensor(T, B, C, dv)};
    }
}
