package io.myelin.models.tensor;

/**
 * The non-zero entries of a time-major tensor, in storage order (time, then sample, then feature): for binary spikes
 * or binned spike counts this is the short list the spike-driven layers scatter from.
 */
public final class SparseEvents {
    public final int count;
    public final int[] step;
    public final int[] sample;
    public final int[] feature;
    public final float[] value;
    /** The events of row {@code r = t * batch + b} are {@code [rowStart[r], rowStart[r + 1])}; null if not built. */
    public final int[] rowStart;

    private SparseEvents(int count, int[] step, int[] sample, int[] feature, float[] value, int[] rowStart) {
        this.count = count;
        this.step = step;
        this.sample = sample;
        this.feature = feature;
        this.value = value;
        this.rowStart = rowStart;
    }

    /**
     * The events of {@code x}, with each row's range ({@link #rowStart}), the rows counted and then filled by the
     * workers (the same events in the same order as {@link #of(SeqTensor)}).
     */
    public static SparseEvents of(SeqTensor x, Workers workers) {
        final float[] d = x.data;
        final int n = x.features, rows = x.rows(), B = x.batch;
        final int[] start = new int[rows + 1];
        workers.forRange(rows, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int c = 0;
                for (int i = r * n, end = i + n; i < end; i++) {
                    if (d[i] != 0f) {
                        c++;
                    }
                }
                start[r + 1] = c;
            }
        });
        for (int r = 0; r < rows; r++) {
            start[r + 1] += start[r];
        }
        final int nz = start[rows];
        final int[] t = new int[nz], b = new int[nz], f = new int[nz];
        final float[] v = new float[nz];
        workers.forRange(rows, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int k = start[r], base = r * n, step = r / B, smp = r % B;
                for (int i = 0; i < n; i++) {
                    float val = d[base + i];
                    if (val != 0f) {
                        t[k] = step;
                        b[k] = smp;
                        f[k] = i;
                        v[k] = val;
                        k++;
                    }
                }
            }
        });
        return new SparseEvents(nz, t, b, f, v, start);
    }

    public static SparseEvents of(SeqTensor x) {
        float[] d = x.data;
        int nz = 0;
        for (float v : d) {
            if (v != 0f) {
                nz++;
            }
        }
        int[] t = new int[nz], b = new int[nz], f = new int[nz];
        float[] v = new float[nz];
        int k = 0;
        int n = x.features;
        for (int row = 0, rows = x.rows(); row < rows; row++) {
            int base = row * n;
            for (int i = 0; i < n; i++) {
                float val = d[base + i];
                if (val != 0f) {
                    t[k] = row / x.batch;
                    b[k] = row % x.batch;
                    f[k] = i;
                    v[k] = val;
                    k++;
                }
            }
        }
        return new SparseEvents(nz, t, b, f, v, null);
    }
}
