package io.myelin.kernels.quant;

import com.aparapi.Kernel;

/**
 * {@link IntegerOps#linearAttention} as an Aparapi kernel in two phases, one program so that both see the same
 * device buffer {@link #m}:
 * <ul>
 *   <li>{@link #KV}: {@code M = K^T V}, one work-item per (sample, head, d1, d2), flat index
 *   {@code ((b * heads + h) * d + d1) * d + d2}, summing over the sample's valid tokens;</li>
 *   <li>{@link #QM}: {@code A[n] = Q[n] M}, one work-item per element of {@code A} (flat index
 *   {@code (n * batch + b) * channels + c}), 0 for padded tokens.</li>
 * </ul>
 * Neighbouring work-items differ in the last index (d2, or the channel), so they read neighbouring values of
 * {@code V} or {@code M} and the same value of {@code K} or {@code Q}. Arrays may be longer than the current shape
 * needs (they are reused across calls); work-items past {@link #items} do nothing.
 */
final class AttentionKernel extends Kernel {
    static final int KV = 0;
    static final int QM = 1;

    int phase;
    int batch;
    int channels;
    int heads;
    /** {@code channels / heads}. */
    int d;
    /** Work-items of this phase that do work; 0 turns a launch into a no-op. */
    int items;

    /** {@code [tokens][batch][channels]}. */
    int[] q = new int[1];
    int[] k = new int[1];
    int[] v = new int[1];
    /** {@code [batch]}. */
    int[] valid = new int[1];
    /** {@code [batch][heads][d][d]}, written by {@link #KV}, read by {@link #QM}. */
    int[] m = new int[1];
    /** {@code [tokens][batch][channels]}. */
    int[] a = new int[1];

    @Override
    public void run() {
        int gid = getGlobalId();
        if (gid < items) {
            if (phase == KV) {
                keyValue(gid);
            } else {
                queryTimesM(gid);
            }
        }
    }

    private void keyValue(int gid) {
        int d2 = gid % d;
        int t = gid / d;
        int d1 = t % d;
        t = t / d;
        int h = t % heads;
        int b = t / heads;
        int offset = b * channels + h * d;
        int stride = batch * channels;
        int n = valid[b];
        int sum = 0;
        for (int token = 0; token < n; token++) {
            int base = token * stride + offset;
            sum += k[base + d1] * v[base + d2];
        }
        m[gid] = sum;
    }

    private void queryTimesM(int gid) {
        int c = gid % channels;
        int t = gid / channels;
        int b = t % batch;
        int token = t / batch;
        int sum = 0;
        if (token < valid[b]) {
            int h = c / d;
            int d2 = c - h * d;
            int qBase = t * channels + h * d;
            int mBase = (b * heads + h) * d * d + d2;
            for (int d1 = 0; d1 < d; d1++) {
                sum += q[qBase + d1] * m[mBase + d1 * d];
            }
        }
        a[gid] = sum;
    }
}
