package io.myelin.models.attention;

/**
 * The core of spike-driven self-attention (Q-SDSA, docs/references.md §4) on binary spike matrices, computed with
 * additions only. For one head with N tokens and D channels, {@code Q, K, V} in {0,1}^{N x D}:
 * <pre>
 *   linear form:   A = Q (K^T V)            K^T V[d1][d2] = #tokens n with K[n][d1] = V[n][d2] = 1
 *   SDT-v1 form:   A = Q o colsum(K o V)    (Hadamard products, a column sum over tokens)
 * </pre>
 * Both results are integer counts; the caller applies the scale and the spiking neuron. Every addition is counted
 * as one accumulate (AC), so the energy report sees what the spike-driven path really did.
 */
public final class SpikeDrivenAttention {
    private SpikeDrivenAttention() {
    }

    /** Integer attention output {@code [N][D]} (row-major) and the accumulates it took. */
    public record Result(int[] output, long accumulates) {
    }

    /** {@code Q (K^T V)}: K^T V by adding 1 for every co-active (k, v) pair, then each query sums the rows it selects. */
    public static Result linear(boolean[] q, boolean[] k, boolean[] v, int tokens, int channels) {
        check(q, k, v, tokens, channels);
        int[] kv = new int[channels * channels];
        long acs = 0;
        int[] activeV = new int[channels];
        for (int n = 0; n < tokens; n++) {
            int nv = 0;
            for (int d = 0; d < channels; d++) {
                if (v[n * channels + d]) {
                    activeV[nv++] = d;
                }
            }
            for (int d1 = 0; d1 < channels; d1++) {
                if (k[n * channels + d1]) {
                    int row = d1 * channels;
                    for (int j = 0; j < nv; j++) {
                        kv[row + activeV[j]]++;
                    }
                    acs += nv;
                }
            }
        }
        int[] out = new int[tokens * channels];
        for (int n = 0; n < tokens; n++) {
            int base = n * channels;
            for (int d1 = 0; d1 < channels; d1++) {
                if (q[base + d1]) {
                    int row = d1 * channels;
                    for (int d2 = 0; d2 < channels; d2++) {
                        out[base + d2] += kv[row + d2];
                    }
                    acs += channels;
                }
            }
        }
        return new Result(out, acs);
    }

    /** {@code Q o colsum(K o V)}: the cheaper form of the first Spike-driven Transformer. */
    public static Result hadamard(boolean[] q, boolean[] k, boolean[] v, int tokens, int channels) {
        check(q, k, v, tokens, channels);
        int[] col = new int[channels];
        long acs = 0;
        for (int n = 0; n < tokens; n++) {
            for (int d = 0; d < channels; d++) {
                if (k[n * channels + d] && v[n * channels + d]) {
                    col[d]++;
                    acs++;
                }
            }
        }
        int[] out = new int[tokens * channels];
        for (int n = 0; n < tokens; n++) {
            for (int d = 0; d < channels; d++) {
                if (q[n * channels + d]) {
                    out[n * channels + d] = col[d];   // a mask: no arithmetic
                }
            }
        }
        return new Result(out, acs);
    }

    private static void check(boolean[] q, boolean[] k, boolean[] v, int tokens, int channels) {
        int n = tokens * channels;
        if (q.length != n || k.length != n || v.length != n) {
            throw new IllegalArgumentException("Q, K and V must each hold tokens x channels = " + n + " spikes");
        }
    }
}
