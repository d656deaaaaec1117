package io.myelin.core.engine.event;

/**
 * Stable sort of an index array by a {@code double} key per index, without boxing: insertion sort of short runs,
 * then bottom-up merging. Equal keys keep their input order, which is what makes simultaneous events keep their
 * scheduling order and synapses with equal delays keep their CSR order.
 */
public final class StableIndexSort {
    private static final int RUN = 16;

    private StableIndexSort() {
    }

    /**
     * Sorts {@code idx[from..from+n)} so that {@code key[idx[k]]} is non-decreasing.
     *
     * @param tmp scratch space of at least {@code n} entries
     */
    public static void sort(double[] key, int[] idx, int from, int n, int[] tmp) {
        for (int lo = from, end = from + n; lo < end; lo += RUN) {
            int hi = Math.min(end, lo + RUN);
            for (int i = lo + 1; i < hi; i++) {
                int v = idx[i];
                double kv = key[v];
                int j = i - 1;
                while (j >= lo && key[idx[j]] > kv) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
        }
        if (n <= RUN) {
            return;
        }
        // Merge in the [0, n) coordinates of src/dst; src starts as idx shifted by from.
        int[] src = idx, dst = tmp;
        int srcOff = from, dstOff = 0;
        for (int w = RUN; w < n; w *= 2) {
            for (int lo = 0; lo < n; lo += 2 * w) {
                int mid = Math.min(n, lo + w), hi = Math.min(n, lo + 2 * w);
                int i = lo, j = mid, k = lo;
                while (i < mid && j < hi) {
                    int a = src[srcOff + i], b = src[srcOff + j];
                    if (key[b] < key[a]) {
                        dst[dstOff + k++] = b;
                        j++;
                    } else {
                        dst[dstOff + k++] = a;
                        i++;
                    }
                }
                while (i < mid) {
                    dst[dstOff + k++] = src[srcOff + i++];
                }
                while (j < hi) {
                    dst[dstOff + k++] = src[srcOff + j++];
                }
            }
            int[] x = src;
            src = dst;
            dst = x;
            int o = srcOff;
            srcOff = dstOff;
            dstOff = o;
        }
        if (src != idx) {
            System.arraycopy(src, srcOff, idx, from, n);
        }
    }
}
