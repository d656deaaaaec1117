package io.myelin.kernels.quant;

/**
 * The reference {@link IntegerOps} on the CPU, single-threaded. Loops run over the virtual binary time steps and add
 * weight rows for the inputs that spike on each, as spike-driven hardware would.
 */
public final class JavaIntegerOps implements IntegerOps {
    @Override
    public int[] accumulate(int[] weights, int out, int in, int[] counts, int rows, int levels) {
        IntegerOps.checkAccumulate(weights, out, in, counts, rows, levels);
        if ((long) rows * out > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("accumulate: [" + rows + "][" + out + "] outputs exceed one Java array");
        }
        // [in][out] so one spike adds one contiguous weight column
        int[] wt = new int[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                wt[i * out + o] = weights[o * in + i];
            }
        }
        int[] acc = new int[rows * out];
        for (int r = 0; r < rows; r++) {
            int cb = r * in, ab = r * out;
            for (int i = 0; i < in; i++) {
                int c = counts[cb + i];
                int wb = i * out;
                for (int step = 1; step <= c; step++) {
                    for (int o = 0; o < out; o++) {
                        acc[ab + o] += wt[wb + o];
                    }
                }
            }
        }
        return acc;
    }

    @Override
    public int[] linearAttention(int[] q, int[] k, int[] v, int tokens, int batch, int channels, int heads,
                                 int[] valid) {
        IntegerOps.checkAttention(q, k, v, tokens, batch, channels, heads, valid);
        int d = channels / heads;
        int[] a = new int[q.length];
        int[] m = new int[d * d];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                java.util.Arrays.fill(m, 0);
                int c0 = h * d;
                for (int n = 0; n < valid[b]; n++) {
                    int base = (n * batch + b) * channels + c0;
                    for (int d1 = 0; d1 < d; d1++) {
                        int kc = k[base + d1];
                        if (kc == 0) {
                            continue;
                        }
                        for (int d2 = 0; d2 < d; d2++) {
                            m[d1 * d + d2] += kc * v[base + d2];
                        }
                    }
                }
                for (int n = 0; n < valid[b]; n++) {
                    int base = (n * batch + b) * channels + c0;
                    for (int d1 = 0; d1 < d; d1++) {
                        int qc = q[base + d1];
                        if (qc == 0) {
                            continue;
                        }
                        for (int d2 = 0; d2 < d; d2++) {
                            a[base + d2] += qc * m[d1 * d + d2];
                        }
                    }
                }
            }
        }
        return a;
    }

    @Override
    public String name() {
        return "java";
    }
}
