package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.ThreeTapGathers;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * The input of one pass of a DCLS layer as the spike-driven sums read it: its non-zero entries (events) in two
 * orders, and the geometry of the output. Events by sample: {@link #bySample} ordered by (sample, input, time) with
 * each sample's range in {@link #sampleStart}. Events by input: each input's events as rows
 * {@code b * pitch + t} and values, in (sample, time) order; the pitch {@code steps + taps - 1} leaves room for
 * every delayed row of a sample, so the per-synapse loops shift a row by whole steps and never reach the next sample.
 */
public final class DclsEventLayout {
    final SeqTensor input;
    final SparseEvents events;
    final int steps;
    final int batch;
    /** Output steps: {@code steps + (taps - 1) / 2}. */
    final int outSteps;
    final int pitch;
    final int[] bySample;
    final int[] sampleStart;
    final int[] inputStart;
    /** The (sample, input) pairs with at least one event. */
    final int firedPairs;
    final int[] inputRow;
    final float[] inputValue;

    private DclsEventLayout(SeqTensor input, int taps, Workers workers) {
        this.input = input;
        this.events = SparseEvents.of(input, workers);
        this.steps = input.steps;
        this.batch = input.batch;
        this.outSteps = input.steps + (taps - 1) / 2;
        this.pitch = input.steps + taps - 1;
        final int B = batch, I = input.features, T = steps, P = pitch;
        final SparseEvents ev = events;
        final int[] rowStart = ev.rowStart;
        // per (sample, input): its events
        final int[] count = new int[B * I];
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                for (int t = 0; t < T; t++) {
                    for (int e = rowStart[t * B + b]; e < rowStart[t * B + b + 1]; e++) {
                        count[b * I + ev.feature[e]]++;
                    }
                }
            }
        });
        sampleStart = new int[B + 1];
        inputStart = new int[I + 1];
        int fired = 0;
        for (int b = 0; b < B; b++) {
            int c = 0;
            for (int i = 0; i < I; i++) {
                fired += count[b * I + i] > 0 ? 1 : 0;
                c += count[b * I + i];
                inputStart[i + 1] += count[b * I + i];
            }
            sampleStart[b + 1] = sampleStart[b] + c;
        }
        for (int i = 0; i < I; i++) {
            inputStart[i + 1] += inputStart[i];
        }
        firedPairs = fired;

        // where each (sample, input)'s events go in the by-input lists: after the input's earlier samples
        final int[] inputFrom = new int[B * I];
        workers.forRange(I, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int q = inputStart[i];
                for (int b = 0; b < B; b++) {
                    inputFrom[b * I + i] = q;
                    q += count[b * I + i];
                }
            }
        });
        bySample = new int[ev.count];
        inputRow = new int[ev.count];
        inputValue = new float[ev.count];
        // per sample: its events by (input, time), and each into its input's list
        workers.forRange(B, (b0, b1) -> {
            int[] fill = new int[I];
            for (int b = b0; b < b1; b++) {
                int q = sampleStart[b];
                for (int i = 0; i < I; i++) {
                    fill[i] = q;
                    q += count[b * I + i];
                }
                for (int t = 0; t < T; t++) {
                    for (int e = rowStart[t * B + b]; e < rowStart[t * B + b + 1]; e++) {
                        bySample[fill[ev.feature[e]]++] = e;
                    }
                }
                for (int k = sampleStart[b]; k < sampleStart[b + 1]; k++) {
                    int e = bySample[k], at = inputFrom[b * I + ev.feature[e]]++;
                    inputRow[at] = b * P + ev.step[e];
                    inputValue[at] = ev.value[e];
                }
            }
        });
    }

    /** The layout of {@code input} for a layer with {@code taps} delay taps. */
    public static DclsEventLayout of(SeqTensor input, int taps) {
        return of(input, taps, Workers.serial());
    }

    /** The layout of {@code input} for a layer with {@code taps} delay taps, built by the workers (samples apart). */
    public static DclsEventLayout of(SeqTensor input, int taps, Workers workers) {
        return new DclsEventLayout(input, taps, workers);
    }

    /** The number of non-zero inputs. */
    public int eventCount() {
        return events.count;
    }

    /** The (sample, input) pairs with at least one event. */
    public int firedPairs() {
        return firedPairs;
    }

    /** Output steps: {@code steps + (taps - 1) / 2}. */
    public int outSteps() {
        return outSteps;
    }

    /** Input steps. */
    public int steps() {
        return steps;
    }

    /** The batch size. */
    public int batch() {
        return batch;
    }

    /**
     * The output gradient by output feature in sample-major rows {@code b * pitch + t}, zero past each sample's
     * output steps, so that every tap of every input event can read its delayed row, and at least
     * {@link ThreeTapGathers#columnSlack()} floats past the last row.
     */
    float[][] sampleMajorColumns(SeqTensor g, Workers workers) {
        return sampleMajorColumns(g, null, workers);
    }

    /**
     * {@link #sampleMajorColumns(SeqTensor, Workers)} written into {@code reuse}'s arrays where there are as many as
     * outputs and they are long enough (else into new ones, which the caller may pass next time): a layer's columns at
     * batch 256 are 32 MB, and allocating them afresh every batch had the kernel clearing pages for a quarter of a
     * `bench train` run in one run of four. Every element a kernel reads is written, zeros included; past the
     * slack, an array longer than needed holds what it held.
     */
    float[][] sampleMajorColumns(SeqTensor g, float[][] reuse, Workers workers) {
        final int T2 = g.steps, B = g.batch, O = g.features, P = pitch;
        final float[] flat = g.data;
        // zeros past the last row, which the three-tap gathers' vector loads read and drop
        final int n = B * P + ThreeTapGathers.columnSlack();
        final boolean fresh = reuse == null || reuse.length != O || (O > 0 && reuse[0].length < n);
        final float[][] cols = fresh ? new float[O][n] : reuse;
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                for (int t = 0; t < T2; t++) {
                    int base = (t * B + b) * O, r = b * P + t;
                    for (int o = 0; o < O; o++) {
                        cols[o][r] = flat[base + o];
                    }
                }
                if (!fresh) {
                    for (float[] c : cols) {
                        Arrays.fill(c, b * P + T2, (b + 1) * P, 0f);
                    }
                }
            }
        });
        return cols;
    }
}
