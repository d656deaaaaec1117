package io.myelin.models.data;

import io.myelin.core.data.BinnedBatch;
import io.myelin.core.data.BinnedSample;
import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.SpikeDataset;
import io.myelin.models.tensor.SeqTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A dataset binned once into frames (10 ms, pooled channels), with batches cut from it on demand: binning costs
 * more than one might think on large files, and every epoch reuses it.
 */
public final class BinnedSet {
    private final SpikeDataset source;
    private final List<BinnedSample> samples;
    private final int[] labels;
    private final int channels;

    public BinnedSet(SpikeDataset ds, FrameBinner binner) {
        this.source = ds;
        this.samples = new ArrayList<>(ds.size());
        this.labels = new int[ds.size()];
        for (int i = 0; i < ds.size(); i++) {
            samples.add(binner.bin(ds, i));
            labels[i] = ds.label(i);
        }
        this.channels = binner.pooledChannels(ds.channels());
    }

    /**
     * The first {@code samples} samples of an SHD/SSC file (all when {@code samples <= 0}), binned by {@code d} as a model
     * of {@code inputs} inputs was trained; a clear error when the file's channels do not fit the model.
     */
    public static BinnedSet forModel(DataConfig d, int inputs, java.nio.file.Path file, int samples) {
        return forModel(d, inputs, null, file, samples);
    }

    /**
     * As {@link #forModel(DataConfig, int, java.nio.file.Path, int)}, the file also checked against what the model
     * was trained on ({@code trainedOn}, null for a model that does not record it): its channels and classes.
     */
    public static BinnedSet forModel(DataConfig d, int inputs, TrainedOn trainedOn, java.nio.file.Path file,
                                     int samples) {
        SpikeDataset ds = io.myelin.core.data.Hdf5SpikeDataset.open(file);
        if (trainedOn != null) {
            trainedOn.check(TrainedOn.of(ds), file.toString(), "the model");
        }
        if (samples > 0 && samples < ds.size()) {
            int[] idx = new int[samples];
            for (int i = 0; i < samples; i++) {
                idx[i] = i;
            }
            ds = ds.subset(idx);
        }
        FrameBinner binner = d.binner();
        if (binner.pooledChannels(ds.channels()) != inputs) {
            throw new io.myelin.core.InvalidInputException(file + " has " + ds.channels() + " channels ("
                    + binner.pooledChannels(ds.channels()) + " after pooling by " + d.channelPool() + "), the model takes "
                    + inputs);
        }
        return new BinnedSet(ds, binner);
    }

    private BinnedSet(SpikeDataset source, List<BinnedSample> samples, int[] labels, int channels) {
        this.source = source;
        this.samples = samples;
        this.labels = labels;
        this.channels = channels;
    }

    /** The first {@code n} samples (all when there are fewer), sharing this set's binned samples. */
    public BinnedSet head(int n) {
        int m = Math.min(n, size());
        return new BinnedSet(source, samples.subList(0, m), java.util.Arrays.copyOf(labels, m), channels);
    }

    /**
     * At most {@code n} samples spread over the range of sample lengths (evenly spaced in the order of their frame
     * counts), sharing this set's binned samples: a warm-up that meets the short and the long samples alike.
     */
    public BinnedSet spreadByLength(int n) {
        int m = Math.min(n, size());
        Integer[] order = new Integer[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt((Integer i) -> samples.get(i).frames())
                .thenComparingInt(i -> i));
        List<BinnedSample> picked = new ArrayList<>(m);
        int[] y = new int[m];
        for (int k = 0; k < m; k++) {
            int i = order[m == 1 ? 0 : (int) ((long) k * (order.length - 1) / (m - 1))];
            picked.add(samples.get(i));
            y[k] = labels[i];
        }
        return new BinnedSet(source, picked, y, channels);
    }

    public SpikeDataset source() {
        return source;
    }

    public int size() {
        return samples.size();
    }

    public int channels() {
        return channels;
    }

    public int label(int i) {
        return labels[i];
    }

    public BinnedSample sample(int i) {
        return samples.get(i);
    }

    /**
     * A batch of the samples at {@code indices}: dense input {@code [T][B][C]} zero-padded to the longest sample plus
     * {@code extraFrames}, lengths and labels. With {@code extraFrames} equal to the delay layers' total extension, every
     * sample's readout steps see only its own input followed by silence, as if run alone (and as the engine runs it).
     */
    public Batch batch(int[] indices, int extraFrames) {
        List<BinnedSample> list = new ArrayList<>(indices.length);
        int[] y = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            list.add(samples.get(indices[k]));
            y[k] = labels[indices[k]];
        }
        BinnedBatch b = BinnedBatch.of(list);
        int frames = Math.max(1, b.frames()) + extraFrames;
        int size = frames * indices.length * channels;
        float[] dense = b.frames() == 0 ? new float[size] : b.dense();
        if (dense.length != size) {   // padded beyond the longest sample: one copy (training pads to it, no copy)
            dense = java.util.Arrays.copyOf(dense, size);
        }
        int[] lengths = b.lengths().clone();
        for (int k = 0; k < lengths.length; k++) {
            lengths[k] = Math.max(1, lengths[k]);
        }
        return new Batch(new SeqTensor(frames, indices.length, channels, dense), lengths, y, indices.clone());
    }

    /**
     * One batch of model input.
     *
     * @param indices the samples' indices in the set they were cut from
     */
    public record Batch(SeqTensor x, int[] lengths, int[] labels, int[] indices) {
    }
}
