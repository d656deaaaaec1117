package io.myelin.models.attention;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The spike-driven paths against the dense matrix formulas on random spike tensors. */
class SpikeDrivenAttentionTest {
    static boolean[] spikes(int n, double p, Random r) {
        boolean[] s = new boolean[n];
        for (int k = 0; k < n; k++) {
            s[k] = r.nextDouble() < p;
        }
        return s;
    }

    static double[][] m(boolean[] s, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a[i][j] = s[i * cols + j] ? 1 : 0;
            }
        }
        return a;
    }

    @Test
    void linearFormEqualsDenseQKtV() {
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + r.nextInt(12), d = 1 + r.nextInt(9);
            boolean[] q = spikes(n * d, 0.3, r), k = spikes(n * d, 0.4, r), v = spikes(n * d, 0.5, r);
            double[][] Q = m(q, n, d), K = m(k, n, d), V = m(v, n, d);
            double[][] kv = new double[d][d];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    for (int t = 0; t < n; t++) {
                        kv[a][b] += K[t][a] * V[t][b];
                    }
                }
            }
            int[] expected = new int[n * d];
            for (int t = 0; t < n; t++) {
                for (int b = 0; b < d; b++) {
                    double s = 0;
                    for (int a = 0; a < d; a++) {
                        s += Q[t][a] * kv[a][b];
                    }
                    expected[t * d + b] = (int) s;
                }
            }
            SpikeDrivenAttention.Result res = SpikeDrivenAttention.linear(q, k, v, n, d);
            assertArrayEquals(expected, res.output());
            long qSpikes = 0, pairs = 0;
            for (int t = 0; t < n; t++) {
                long kt = 0, vt = 0;
                for (int c = 0; c < d; c++) {
                    kt += k[t * d + c] ? 1 : 0;
                    vt += v[t * d + c] ? 1 : 0;
                    qSpikes += q[t * d + c] ? 1 : 0;
                }
                pairs += kt * vt;
            }
            assertEquals(pairs + qSpikes * d, res.accumulates(), "one AC per co-active pair and per selected row entry");
        }
    }

    @Test
    void hadamardFormEqualsDenseFormula() {
        Random r = new Random(6);
        int n = 7, d = 5;
        boolean[] q = spikes(n * d, 0.5, r), k = spikes(n * d, 0.5, r), v = spikes(n * d, 0.5, r);
        int[] col = new int[d];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < d; c++) {
                col[c] += (k[t * d + c] && v[t * d + c]) ? 1 : 0;
            }
        }
        int[] expected = new int[n * d];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < d; c++) {
                expected[t * d + c] = q[t * d + c] ? col[c] : 0;
            }
        }
        assertArrayEquals(expected, SpikeDrivenAttention.hadamard(q, k, v, n, d).output());
    }
}
