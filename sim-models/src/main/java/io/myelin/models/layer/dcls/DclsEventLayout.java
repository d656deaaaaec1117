package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.SparseEvents;
import io.myelin.models.tensor.Workers;

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
    final int[] inputRow;
    final float[] inputValue;

    private DclsEventLayout(SeqTensor input, int taps) {
        this.input = input;
        this.events = SparseEvents.of(input);
        this.steps = input.steps;
        this.batch = input.batch;
        this.outSteps = input.steps + (taps - 1) / 2;
        this.pitch = input.steps + taps - 1;
        final int B = batch, in = input.features;
        SparseEvents ev = events;
        // by sample: a stable counting sort on (sample, input)
        int[] count = new int[B * in + 1];
        for (int e = 0; e < ev.count; e++) {
            count[ev.sample[e] * in + ev.feature[e] + 1]++;
        }
        for (int k = 1; k < count.length; k++) {
            count[k] += count[k - 1];
        }
        sampleStart = new int[B + 1];
        for (int b = 0; b <= B; b++) {
            sampleStart[b] = count[b * in];
        }
        bySample = new int[ev.count];
        for (int e = 0; e < ev.count; e++) {
            bySample[count[ev.sample[e] * in + ev.feature[e]]++] = e;
        }
        // by input: a stable counting sort of the by-sample order
        inputStart = new int[in + 1];
        for (int e = 0; e < ev.count; e++) {
            inputStart[ev.feature[e] + 1]++;
        }
        for (int i = 0; i < in; i++) {
            inputStart[i + 1] += inputStart[i];
        }
        int[] fill = java.util.Arrays.copyOf(inputStart, in);
        inputRow = new int[ev.count];
        inputValue = new float[ev.count];
        for (int e : bySample) {
            int q = fill[ev.feature[e]]++;
            inputRow[q] = ev.sample[e] * pitch + ev.step[e];
            inputValue[q] = ev.value[e];
        }
    }

    /** The layout of {@code input} for a layer with {@code taps} delay taps. */
    public static DclsEventLayout of(SeqTensor input, int taps) {
        return new DclsEventLayout(input, taps);
    }

    /** The number of non-zero inputs. */
    public int eventCount() {
        return events.count;
    }

    /** Output steps: {@code steps + (taps - 1) / 2}. */
    public int outSteps() {
        return outSteps;
    }

    /** The batch size. */
    public int batch() {
        return batch;
    }

    /**
     * The output gradient by output feature in sample-major rows {@code b * pitch + t}, zero past each sample's
     * output steps, so that every tap of every input event can read its delayed row.
     */
    float[][] sampleMajorColumns(SeqTensor g, Workers workers) {
        final int T2 = g.steps, B = g.batch, O = g.features, P = pitch;
        final float[] flat = g.data;
        final float[][] cols = new float[O][B * P];
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                for (int t = 0; t < T2; t++) {
                    int base = (t * B + b) * O, r = b * P + t;
                    for (int o = 0; o < O; o++) {
                        cols[o][r] = flat[base + o];
                    }
                }
            }
        });
        return cols;
    }
}
