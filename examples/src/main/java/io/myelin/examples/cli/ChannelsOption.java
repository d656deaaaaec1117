package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --channels}: how many input channels an SHD-format file's unit ids range over. */
final class ChannelsOption {
    @Option(names = "--channels", description = "input channel count (default: what the file records, else SHD's 700)")
    Integer channels;

    /** The file read with the channel count given, or the file's own. */
    Hdf5SpikeDataset open(Path file) {
        if (channels == null) {
            return Hdf5SpikeDataset.open(file);
        }
        if (channels < 1 || channels > 65536) {
            throw new InvalidInputException("--channels must be in [1, 65536], got " + channels);
        }
        return Hdf5SpikeDataset.open(file, channels);
    }
}
