package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.report.SpikeRasterPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code myelin data raster FILE --index I --out x.svg}: spike raster of one sample as SVG. */
@Command(name = "raster", mixinStandardHelpOptions = true,
        description = "Plot one sample's spikes (time vs channel) as an SVG file.")
public final class DataRasterCommand implements Callable<Integer> {
    @Mixin
    ChannelsOption channelsOption;

    @Parameters(index = "0", paramLabel = "FILE", description = "SHD/SSC-format HDF5 file")
    Path file;

    @Option(names = "--index", required = true, description = "sample index (0-based)")
    int index;

    @Option(names = "--out", required = true, description = "SVG file to write")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Hdf5SpikeDataset ds = Hdf5SpikeDataset.open(file, channelsOption.channels);
        if (index < 0 || index >= ds.size()) {
            throw new InvalidInputException(file + ": --index " + index + " outside [0, " + ds.size() + ")");
        }
        String title = file.getFileName() + " sample " + index + ": class " + ds.label(index) + " ("
                + ds.classNames().get(ds.label(index)) + ")"
                + (ds.speaker(index) >= 0 ? ", speaker " + ds.speaker(index) : "")
                + ", " + ds.spikeCount(index) + " spikes";
        float[] seconds = ds.timesSeconds(index);
        double[] t = new double[seconds.length];
        double last = 0.01;
        for (int k = 0; k < t.length; k++) {
            t[k] = seconds[k];
            last = Math.max(last, t[k]);
        }
        String svg = SpikeRasterPlot.builder().title(title).timeAxis(last, "time (s)", 1).maxPanelHeight(420)
                .colouring(SpikeRasterPlot.Colouring.BY_NEURON).neuronTicks(true).build()
                .render(List.of(new SpikeRasterPlot.Panel("channels", ds.channels(), t, ds.units(index), null))) + "\n";
        Files.writeString(out, svg, StandardCharsets.UTF_8);
        spec.commandLine().getOut().println("wrote " + out + " (" + ds.spikeCount(index) + " spikes)");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
