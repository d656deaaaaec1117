package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.core.data.SpikeDatasetWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code myelin data subset IN --out OUT --per-class N --seed S}: a small class-balanced copy in SHD layout. */
@Command(name = "subset", mixinStandardHelpOptions = true,
        description = "Write a class-balanced random subset of a file in the SHD layout (float16 times, uint16).")
public final class DataSubsetCommand implements Callable<Integer> {
    @Mixin
    SeedOption seedOption;

    @Parameters(index = "0", paramLabel = "IN", description = "SHD/SSC-format HDF5 file")
    Path in;

    @Option(names = "--out", required = true, description = "file to write")
    Path out;

    @Option(names = "--per-class", required = true, description = "samples to keep per class")
    int perClass;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (perClass < 1) {
            throw new InvalidInputException("--per-class must be >= 1, got " + perClass);
        }
        SpikeDataset ds = Hdf5SpikeDataset.open(in);
        int[] order = ds.shuffledOrder(seedOption.seed);
        int[] taken = new int[ds.classes()];
        int[] keep = new int[ds.size()];
        int n = 0;
        for (int i : order) {
            if (taken[ds.label(i)]++ < perClass) {
                keep[n++] = i;
            }
        }
        keep = Arrays.copyOf(keep, n);
        Arrays.sort(keep);
        new SpikeDatasetWriter().write(ds.subset(keep), out);
        spec.commandLine().getOut().println("wrote " + out + " (" + n + " samples from " + in + ", seed " + seedOption.seed + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
