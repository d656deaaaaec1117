package io.myelin.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Binned samples stacked into one batch, zero-padded at the end to the longest sample's T. Dense form is
 * time-major {@code [T][B][C]} (element {@code (t * B + b) * C + c}); the sparse form lists the non-zero cells
 * time-major, sorted by frame, then sample, then channel, with {@link #stepStart()} giving each frame's range.
 */
public final class BinnedBatch {
    private final int frames;
    private final int batch;
    private final int channels;
    private final int[] lengths;
    private final int[] labels;
    private final int[] stepStart;
    private final int[] eventSample;
    private final int[] eventChannel;
    private final float[] eventCount;

    private BinnedBatch(int frames, int channels, int[] lengths, int[] labels, int[] stepStart, int[] eventSample,
                        int[] eventChannel, float[] eventCount) {
        this.frames = frames;
        this.batch = lengths.length;
        this.channels = channels;
        this.lengths = lengths;
        this.labels = labels;
        this.stepStart = stepStart;
        this.eventSample = eventSample;
        this.eventChannel = eventChannel;
        this.eventCount = eventCount;
    }

    /** Stacks {@code samples} (all with the same channel count); labels are unknown (-1). */
    public static BinnedBatch of(List<BinnedSample> samples) {
        int[] labels = new int[samples.size()];
        java.util.Arrays.fill(labels, -1);
        return of(samples, labels);
    }

    /** Bins samples {@code indices} of {@code ds} with {@code binner} and stacks them, keeping their labels. */
    public static BinnedBatch of(SpikeDataset ds, int[] indices, FrameBinner binner) {
        List<BinnedSample> samples = new ArrayList<>(indices.length);
        int[] labels = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            samples.add(binner.bin(ds, indices[b]));
            labels[b] = ds.label(indices[b]);
        }
        return of(samples, labels);
    }

    private static BinnedBatch of(List<BinnedSample> samples, int[] labels) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sample");
        }
        int channels = samples.get(0).channels();
        int frames = 0;
        int events = 0;
        int[] lengths = new int[samples.size()];
        for (int b = 0; b < lengths.length; b++) {
            BinnedSample s = samples.get(b);
            if (s.channels() != channels) {
                throw new IllegalArgumentException("sample " + b + " has " + s.channels() + " channels, sample 0 has "
                        + channels);
            }
            lengths[b] = s.frames();
            frames = Math.max(frames, s.frames());
            events += s.events();
        }
        // counting sort by frame; visiting samples in order keeps (sample, channel) order within a frame
        int[] stepStart = new int[frames + 1];
        for (BinnedSample s : samples) {
            for (int f : s.eventFrame()) {
                stepStart[f + 1]++;
            }
        }
        for (int t = 0; t < frames; t++) {
            stepStart[t + 1] += stepStart[t];
        }
        int[] cursor = java.util.Arrays.copyOf(stepStart, frames);
        int[] eventSample = new int[events];
        int[] eventChannel = new int[events];
        float[] eventCount = new float[events];
        for (int b = 0; b < lengths.length; b++) {
            BinnedSample s = samples.get(b);
            int[] f = s.eventFrame();
            int[] c = s.eventChannel();
            float[] n = s.eventCount();
            for (int e = 0; e < f.length; e++) {
                int at = cursor[f[e]]++;
                eventSample[at] = b;
                eventChannel[at] = c[e];
                eventCount[at] = n[e];
            }
        }
        return new BinnedBatch(frames, channels, lengths, labels.clone(), stepStart, eventSample, eventChannel,
                eventCount);
    }

    /** T: frames of the longest sample. */
    public int frames() {
        return frames;
    }

    /** B: samples in the batch. */
    public int batchSize() {
        return batch;
    }

    /** C: (pooled) channels. */
    public int channels() {
        return channels;
    }

    /** Frames of each sample before padding. */
    public int[] lengths() {
        return lengths.clone();
    }

    /** Label of each sample (-1 when built from bare binned samples). */
    public int[] labels() {
        return labels.clone();
    }

    /** Number of non-zero cells. */
    public int events() {
        return eventSample.length;
    }

    /** Events of frame t are {@code [stepStart[t], stepStart[t+1])}. Shared array: do not modify. */
    public int[] stepStart() {
        return stepStart;
    }

    /** Sample (batch index) of each event. Shared array: do not modify. */
    public int[] eventSample() {
        return eventSample;
    }

    /** Channel of each event. Shared array: do not modify. */
    public int[] eventChannel() {
        return eventChannel;
    }

    /** Spike count of each event. Shared array: do not modify. */
    public float[] eventCount() {
        return eventCount;
    }

    /** Dense counts, time-major {@code [T][B][C]}, zero-padded. */
    public float[] dense() {
        float[] d = new float[Math.multiplyExact(Math.multiplyExact(frames, batch), channels)];
        for (int t = 0; t < frames; t++) {
            for (int e = stepStart[t]; e < stepStart[t + 1]; e++) {
                d[(t * batch + eventSample[e]) * channels + eventChannel[e]] = eventCount[e];
            }
        }
        return d;
    }
}
