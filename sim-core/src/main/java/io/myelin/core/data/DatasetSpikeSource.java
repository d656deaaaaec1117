package io.myelin.core.data;

import io.myelin.core.InvalidInputException;
import io.myelin.core.model.SourceSpec;

/**
 * Turns one dataset sample into a spike source for the engines: one source neuron per input channel (700 for SHD),
 * spike times converted from seconds to ms. Channel pooling, if the network was trained on pooled input, is a
 * property of the projection (several channels onto one input weight), not of the source; see
 * {@link #pooled(SpikeDataset, int, String, int)} for the pooled form.
 */
public final class DatasetSpikeSource {
    private DatasetSpikeSource() {
    }

    /** Sample {@code index} of {@code ds} as a source named {@code name} with {@code ds.channels()} neurons. */
    public static SourceSpec.SpikeTimes of(SpikeDataset ds, int index, String name) {
        return pooled(ds, index, name, 1);
    }

    /**
     * Sample {@code index} with channels summed in groups of {@code pool} (700 &rarr; 140 for 5): neuron
     * {@code c / pool} fires once for every spike of channel {@code c}, so a pooled neuron may fire several times in one
     * step, exactly like the spike counts the trainer's {@link FrameBinner} produces.
     */
    public static SourceSpec.SpikeTimes pooled(SpikeDataset ds, int index, String name, int pool) {
        if (index < 0 || index >= ds.size()) {
            throw new InvalidInputException(ds.source() + ": sample index " + index + " is outside 0.." + (ds.size() - 1));
        }
        if (pool < 1) {
            throw new InvalidInputException("channel pool must be >= 1, got " + pool);
        }
        float[] t = ds.timesSeconds(index);
        int[] u = ds.units(index);
        int[] neurons = new int[t.length];
        double[] ms = new double[t.length];
        for (int k = 0; k < t.length; k++) {
            neurons[k] = u[k] / pool;
            ms[k] = t[k] * 1000.0;
        }
        int size = (ds.channels() + pool - 1) / pool;
        return new SourceSpec.SpikeTimes(name, size, neurons, ms);
    }
}
