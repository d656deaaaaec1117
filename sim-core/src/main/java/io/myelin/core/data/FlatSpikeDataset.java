package io.myelin.core.data;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.hdf5.Float16;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A spike dataset held in memory in flat primitive arrays: all samples' spikes back to back, with per-sample
 * offsets. Times are kept as the file's float16 bit patterns when the file stores float16 (2 bytes/spike, exact),
 * otherwise as float32 seconds (4 bytes/spike); units as unsigned 16-bit channel ids (2 bytes/spike). So a spike
 * costs 4 bytes (SHD/SSC files) or 6 bytes (float32/float64 files), plus 4 bytes of offset per sample.
 */
public class FlatSpikeDataset implements SpikeDataset {
    /** Spike k of sample i is at flat position {@code offsets[i] + k}; {@code offsets[size()]} = total spikes. */
    final int[] offsets;
    /** Spike times as float16 bit patterns (seconds), or null when {@link #floatTimes} is used. */
    final short[] halfTimes;
    /** Spike times in seconds, or null when {@link #halfTimes} is used. */
    final float[] floatTimes;
    /** Channel ids, read as unsigned ({@code & 0xffff}). */
    final short[] units;
    final int[] labels;
    /** Speaker ids, or null when absent. */
    final int[] speakers;
    final List<String> classNames;
    final int channels;
    final String source;

    FlatSpikeDataset(int[] offsets, short[] halfTimes, float[] floatTimes, short[] units, int[] labels,
                     int[] speakers, List<String> classNames, int channels, String source) {
        if ((halfTimes == null) == (floatTimes == null)) {
            throw new IllegalArgumentException("exactly one of halfTimes and floatTimes must be given");
        }
        this.offsets = offsets;
        this.halfTimes = halfTimes;
        this.floatTimes = floatTimes;
        this.units = units;
        this.labels = labels;
        this.speakers = speakers;
        this.classNames = Collections.unmodifiableList(new ArrayList<>(classNames));
        this.channels = channels;
        this.source = source;
    }

    /**
     * Builds a dataset from per-sample arrays (float32 times), checking the same rules as the HDF5 reader:
     * equal lengths, finite non-negative ascending times, units in {@code [0, channels)}, labels in
     * {@code [0, classNames.size())}.
     *
     * @param speakers speaker per sample, or null
     */
    public static FlatSpikeDataset of(List<float[]> times, List<int[]> units, int[] labels, int[] speakers,
                                      List<String> classNames, int channels, String source) {
        int n = times.size();
        if (units.size() != n || labels.length != n || (speakers != null && speakers.length != n)) {
            throw new InvalidInputException(source + ": times, units, labels and speakers differ in length");
        }
        if (channels < 1 || channels > 65536) {
            throw new InvalidInputException(source + ": channel count " + channels + " outside [1, 65536]");
        }
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            if (times.get(i).length != units.get(i).length) {
                throw new InvalidInputException(source + ": sample " + i + " has " + times.get(i).length
                        + " times but " + units.get(i).length + " units");
            }
            offsets[i + 1] = Math.addExact(offsets[i], times.get(i).length);
        }
        float[] t = new float[offsets[n]];
        short[] u = new short[offsets[n]];
        for (int i = 0; i < n; i++) {
            float[] ti = times.get(i);
            int[] ui = units.get(i);
            for (int k = 0; k < ti.length; k++) {
                float v = ti[k];
                if (!(v >= 0) || Float.isInfinite(v)) {
                    throw new InvalidInputException(source + ": sample " + i + ", spike " + k + ": time " + v
                            + " s is not a finite non-negative number");
                }
                if (k > 0 && v < ti[k - 1]) {
                    throw new InvalidInputException(source + ": sample " + i + ": times not ascending at spike " + k);
                }
                if (ui[k] < 0 || ui[k] >= channels) {
                    throw new InvalidInputException(source + ": sample " + i + ", spike " + k + ": unit " + ui[k]
                            + " outside [0, " + channels + ")");
                }
                t[offsets[i] + k] = v;
                u[offsets[i] + k] = (short) ui[k];
            }
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new InvalidInputException(source + ": sample " + i + ": label " + labels[i] + " outside [0, "
                        + classNames.size() + ")");
            }
        }
        return new FlatSpikeDataset(offsets, null, t, u, labels.clone(), speakers == null ? null : speakers.clone(),
                classNames, channels, source);
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int classes() {
        return classNames.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public int speaker(int i) {
        return speakers == null ? -1 : speakers[i];
    }

    /** Whether the dataset carries speaker ids. */
    public boolean hasSpeakers() {
        return speakers != null;
    }

    @Override
    public int spikeCount(int i) {
        return offsets[i + 1] - offsets[i];
    }

    /** Total number of spikes over all samples. */
    public long totalSpikes() {
        return offsets[offsets.length - 1];
    }

    @Override
    public float[] timesSeconds(int i) {
        int from = offsets[i];
        int n = offsets[i + 1] - from;
        float[] t = new float[n];
        if (halfTimes != null) {
            for (int k = 0; k < n; k++) {
                t[k] = Float16.toFloat(halfTimes[from + k]);
            }
        } else {
            System.arraycopy(floatTimes, from, t, 0, n);
        }
        return t;
    }

    /** Time of flat spike {@code k} (see {@link #offset(int)}) in seconds; for hot loops without allocation. */
    public float timeAt(int k) {
        return halfTimes != null ? Float16.toFloat(halfTimes[k]) : floatTimes[k];
    }

    /** Channel of flat spike {@code k}. */
    public int unitAt(int k) {
        return units[k] & 0xffff;
    }

    /** Flat position of the first spike of sample {@code i}; sample i spans {@code [offset(i), offset(i+1))}. */
    public int offset(int i) {
        return offsets[i];
    }

    @Override
    public int[] units(int i) {
        int from = offsets[i];
        int n = offsets[i + 1] - from;
        int[] u = new int[n];
        for (int k = 0; k < n; k++) {
            u[k] = units[from + k] & 0xffff;
        }
        return u;
    }

    @Override
    public double durationSeconds(int i) {
        int end = offsets[i + 1];
        return end == offsets[i] ? 0.0 : timeAt(end - 1);
    }

    @Override
    public String source() {
        return source;
    }

    /** Bytes of spike storage per spike: 4 for float16 times, 6 for float32 times. */
    public int bytesPerSpike() {
        return halfTimes != null ? 4 : 6;
    }

    /** Approximate heap bytes held by this dataset's arrays. */
    public long memoryBytes() {
        long spikes = totalSpikes();
        return spikes * bytesPerSpike() + 4L * offsets.length + 4L * labels.length
                + (speakers == null ? 0 : 4L * speakers.length);
    }
}
