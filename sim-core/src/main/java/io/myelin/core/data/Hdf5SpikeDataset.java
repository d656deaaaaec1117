package io.myelin.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A spike dataset read from an SHD/SSC-layout HDF5 file (docs/references.md §1): {@code /spikes/times} (variable-length
 * float16 or float32/64 seconds), {@code /spikes/units} (variable-length integers of any width), {@code /labels}
 * (integers), and optionally {@code /extra/speaker} and {@code /extra/keys} (class names).
 *
 * <p>The whole file is loaded into memory (see {@link FlatSpikeDataset} for the layout: 4 bytes per spike for
 * float16 times). Reading uses jHDF's object model to locate datasets and global-heap collections and decodes the
 * heap objects' bytes directly into the flat arrays.
 *
 * <p>Every problem is reported as an {@link io.myelin.core.InvalidInputException} naming the file, the problem and,
 * where there is one, the sample index. Samples whose times are not ascending are sorted (with one warning for the
 * file, see {@link #warnings()}); nothing is dropped.
 */
public final class Hdf5SpikeDataset extends FlatSpikeDataset {
    /** Input channels of SHD and SSC (the cochlea model's 700 hair-cell channels). */
    public static final int SHD_CHANNELS = 700;

    private final FileFormat format;
    private final List<String> warnings;

    Hdf5SpikeDataset(FlatSpikeDataset data, FileFormat format, List<String> warnings) {
        super(data.offsets, data.halfTimes, data.floatTimes, data.units, data.labels, data.speakers, data.classNames,
                data.channels, data.source);
        this.format = format;
        this.warnings = List.copyOf(warnings);
    }

    /** Opens an SHD/SSC file with 700 channels (units must be in [0, 700)). */
    public static Hdf5SpikeDataset open(Path file) {
        return open(file, SHD_CHANNELS);
    }

    /** Opens a file in the SHD layout whose units are in {@code [0, channels)}. */
    public static Hdf5SpikeDataset open(Path file, int channels) {
        return new Hdf5SpikeReader(file, channels).read();
    }

    /** How the file stores its data (types, sizes), for {@code myelin data info}. */
    public FileFormat format() {
        return format;
    }

    /** Warnings raised while reading (e.g. unsorted times that were sorted); empty for a clean file. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Storage details of a spike-dataset file.
     *
     * @param fileBytes         size of the file in bytes
     * @param superblockVersion HDF5 superblock version (0 for h5py's default, 2/3 for libver=latest)
     * @param timesType         element type of {@code /spikes/times} (e.g. {@code float16})
     * @param unitsType         element type of {@code /spikes/units} (e.g. {@code uint16})
     * @param labelsType        type of {@code /labels}
     * @param speakerType       type of {@code /extra/speaker}, or null when absent
     * @param hasKeys           whether {@code /extra/keys} gives class names
     * @param heapCollections   number of global-heap collections holding the spike data
     */
    public record FileFormat(long fileBytes, int superblockVersion, String timesType, String unitsType,
                             String labelsType, String speakerType, boolean hasKeys, int heapCollections) {
    }
}
