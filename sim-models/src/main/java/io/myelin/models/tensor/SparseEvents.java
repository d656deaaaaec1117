package io.myelin.models.tensor;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

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
     * The events of {@code x}, with each row's range ({@link #rowStart}): one contiguous block of rows per worker,
     * each worker listing its block's events as it reads them, then the lists copied into place (the same events in
     * the same order as {@link #of(SeqTensor)}). One pass over the dense tensor, not a count and then a fill: a layer's
     * input (a batch of 64 x 96 steps x 256 features is 6 MB) comes from memory, and the second read cost as much as
     * the first.
     */
    public static SparseEvents of(SeqTensor x, Workers workers) {
        final float[] d = x.data;
        final int n = x.features, rows = x.rows(), B = x.batch;
        final int[] start = new int[rows + 1];
        final Queue<Block> blocks = new ConcurrentLinkedQueue<>();
        workers.forRangeEven(rows, (r0, r1) -> {
            int[] fs = new int[Math.max(16, (r1 - r0) * n / 16)];
            float[] vs = new float[fs.length];
            int k = 0;
            for (int r = r0; r < r1; r++) {
                if (fs.length - k < n) {
                    fs = Arrays.copyOf(fs, Math.max(2 * fs.length, k + n));
                    vs = Arrays.copyOf(vs, fs.length);
                }
                int k0 = k;
                for (int i = 0, base = r * n; i < n; i++) {
                    float val = d[base + i];
                    if (val != 0f) {
                        fs[k] = i;
                        vs[k] = val;
                        k++;
                    }
                }
                start[r + 1] = k - k0;
            }
            blocks.add(new Block(r0, r1, fs, vs));
        });
        for (int r = 0; r < rows; r++) {
            start[r + 1] += start[r];
        }
        final int nz = start[rows];
        final int[] t = new int[nz], b = new int[nz], f = new int[nz];
        final float[] v = new float[nz];
        final Block[] parts = blocks.toArray(new Block[0]);
        workers.forRange(parts.length, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                Block part = parts[p];
                int at = start[part.begin], count = start[part.end] - at;
                System.arraycopy(part.feature, 0, f, at, count);
                System.arraycopy(part.value, 0, v, at, count);
                for (int r = part.begin; r < part.end; r++) {
                    Arrays.fill(t, start[r], start[r + 1], r / B);
                    Arrays.fill(b, start[r], start[r + 1], r % B);
                }
            }
        });
        return new SparseEvents(nz, t, b, f, v, start);
    }

    /** One worker's rows {@code [begin, end)}: their events' features and values, in order. */
    private record Block(int begin, int end, int[] feature, float[] value) {
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
