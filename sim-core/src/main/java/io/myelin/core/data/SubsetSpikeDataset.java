package io.myelin.core.data;

import java.util.List;

/** A view of some samples of another dataset, by index; no spike data is copied. */
final class SubsetSpikeDataset implements SpikeDataset {
    private final SpikeDataset parent;
    private final int[] indices;

    SubsetSpikeDataset(SpikeDataset parent, int[] indices) {
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= parent.size()) {
                throw new IndexOutOfBoundsException("subset index " + indices[k] + " at position " + k
                        + " outside [0, " + parent.size() + ")");
            }
        }
        // a subset of a subset points straight at the root, so views never chain
        if (parent instanceof SubsetSpikeDataset s) {
            int[] flat = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                flat[k] = s.indices[indices[k]];
            }
            this.parent = s.parent;
            this.indices = flat;
        } else {
            this.parent = parent;
            this.indices = indices.clone();
        }
    }

    /** Index in the root dataset of sample {@code i} of this view. */
    int rootIndex(int i) {
        return indices[i];
    }

    SpikeDataset root() {
        return parent;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int channels() {
        return parent.channels();
    }

    @Override
    public int classes() {
        return parent.classes();
    }

    @Override
    public List<String> classNames() {
        return parent.classNames();
    }

    @Override
    public int label(int i) {
        return parent.label(indices[i]);
    }

    @Override
    public int speaker(int i) {
        return parent.speaker(indices[i]);
    }

    @Override
    public int spikeCount(int i) {
        return parent.spikeCount(indices[i]);
    }

    @Override
    public float[] timesSeconds(int i) {
        return parent.timesSeconds(indices[i]);
    }

    @Override
    public int[] units(int i) {
        return parent.units(indices[i]);
    }

    @Override
    public double durationSeconds(int i) {
        return parent.durationSeconds(indices[i]);
    }

    @Override
    public String source() {
        return parent.source() + " (subset of " + indices.length + ")";
    }
}
