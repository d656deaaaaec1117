package io.myelin.core.data;

import io.myelin.core.data.hdf5.Hdf5Type;
import io.myelin.core.data.hdf5.Hdf5Writer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link SpikeDataset} in the SHD layout (docs/references.md §1), by default exactly as SHD is stored: float16
 * seconds in {@code /spikes/times}, uint16 in {@code /spikes/units}, {@code /labels} and {@code /extra/speaker},
 * class names as byte strings in {@code /extra/keys}. Other element types can be chosen (for tests of readers).
 * Float16 rounding (about 0.5 ms resolution near 1 s) keeps times ascending because rounding is monotonic.
 */
public final class SpikeDatasetWriter {
    private final Hdf5Type timesType;
    private final Hdf5Type unitsType;
    private final Hdf5Type labelsType;

    /** The SHD layout: float16 times, uint16 units and labels. */
    public SpikeDatasetWriter() {
        this(Hdf5Type.FLOAT16, Hdf5Type.UINT16, Hdf5Type.UINT16);
    }

    /**
     * @param timesType  float type of spike times (float16, float32 or float64)
     * @param unitsType  integer type of units
     * @param labelsType integer type of labels and speakers
     */
    public SpikeDatasetWriter(Hdf5Type timesType, Hdf5Type unitsType, Hdf5Type labelsType) {
        if (timesType.kind() != Hdf5Type.Kind.FLOAT) {
            throw new IllegalArgumentException("times must be a float type, got " + timesType);
        }
        if (unitsType.kind() != Hdf5Type.Kind.INTEGER || labelsType.kind() != Hdf5Type.Kind.INTEGER) {
            throw new IllegalArgumentException("units and labels must be integer types");
        }
        this.timesType = timesType;
        this.unitsType = unitsType;
        this.labelsType = labelsType;
    }

    /** Writes {@code ds} to {@code file} (replacing it). {@code /extra/speaker} is written when any sample has one. */
    public void write(SpikeDataset ds, Path file) throws IOException {
        int n = ds.size();
        List<double[]> times = new ArrayList<>(n);
        List<double[]> units = new ArrayList<>(n);
        double[] labels = new double[n];
        double[] speakers = new double[n];
        boolean anySpeaker = false;
        for (int i = 0; i < n; i++) {
            float[] t = ds.timesSeconds(i);
            int[] u = ds.units(i);
            double[] td = new double[t.length];
            double[] ud = new double[u.length];
            for (int k = 0; k < t.length; k++) {
                td[k] = t[k];
                ud[k] = u[k];
            }
            times.add(td);
            units.add(ud);
            labels[i] = ds.label(i);
            speakers[i] = ds.speaker(i);
            anySpeaker |= ds.speaker(i) >= 0;
        }
        Hdf5Writer w = new Hdf5Writer()
                .vlen("/spikes/times", timesType, times)
                .vlen("/spikes/units", unitsType, units)
                .dataset("/labels", labelsType, labels);
        if (anySpeaker) {
            for (int i = 0; i < n; i++) {
                if (speakers[i] < 0) {
                    throw new IllegalArgumentException("sample " + i + " has no speaker while others have one");
                }
            }
            w.dataset("/extra/speaker", labelsType, speakers);
        }
        w.strings("/extra/keys", ds.classNames().toArray(new String[0]));
        w.write(file);
    }
}
