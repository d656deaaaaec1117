package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.FlatSpikeDataset;
import io.myelin.core.data.SpikeDatasetWriter;
import io.myelin.core.data.SyntheticSpikeData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code myelin synth --out DIR --classes C --train N --test M --seed S}: a deterministic synthetic SHD-format
 * dataset whose classes differ only in the temporal order of channel-band bursts (see {@link SyntheticSpikeData}).
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a synthetic SHD-format dataset (DIR/synth_train.h5, DIR/synth_test.h5) whose classes"
                + " differ in temporal order only.")
public final class SynthCommand implements Callable<Integer> {
    @Mixin
    SeedOption seedOption;

    @Option(names = "--out", required = true, description = "output directory (created if absent)")
    Path out;

    @Option(names = "--classes", defaultValue = "10", description = "number of classes (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--train", defaultValue = "400", description = "training samples (default: ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--test", defaultValue = "100", description = "test samples (default: ${DEFAULT-VALUE})")
    int test;

    @Option(names = "--channels", defaultValue = "700", description = "input channels (default: ${DEFAULT-VALUE})")
    int channels;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (classes < 2 || classes > 1000) {
            throw new InvalidInputException("--classes must be in [2, 1000], got " + classes);
        }
        if (train < 0 || test < 0) {
            throw new InvalidInputException("--train and --test must be >= 0");
        }
        if (channels < SyntheticSpikeData.GROUPS * SyntheticSpikeData.BAND_WIDTH || channels > 65536) {
            throw new InvalidInputException("--channels must be in [" + SyntheticSpikeData.GROUPS
                    * SyntheticSpikeData.BAND_WIDTH + ", 65536], got " + channels);
        }
        Files.createDirectories(out);
        SyntheticSpikeData gen = new SyntheticSpikeData(classes, channels, seedOption.seed);
        SpikeDatasetWriter writer = new SpikeDatasetWriter();
        write(gen, writer, "synth_train.h5", train, 1);
        write(gen, writer, "synth_test.h5", test, 2);
        return 0;
    }

    private void write(SyntheticSpikeData gen, SpikeDatasetWriter writer, String name, int n, long salt)
            throws java.io.IOException {
        Path file = out.resolve(name);
        FlatSpikeDataset ds = gen.generate(n, salt, file.toString());
        writer.write(ds, file);
        spec.commandLine().getOut().printf("wrote %s (%d samples, %d classes, %d spikes, seed %d)%n", file, n,
                ds.classes(), ds.totalSpikes(), seedOption.seed);
        spec.commandLine().getOut().flush();
    }
}
