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

    private SparseEvents(int count, int[] step, int[] sample, int[] feature, float[] value) {
        this.count = count;
        this.step = step;
        this.sample = sample;
        this.feature = feature;
        this.value = value;
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
        return new SparseEvents(nz, t, b, f, v);
    }
}
