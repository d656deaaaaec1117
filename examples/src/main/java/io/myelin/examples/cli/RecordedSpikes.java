package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.FlatSpikeDataset;
import io.myelin.core.data.SpikeDatasetWriter;
import io.myelin.core.data.hdf5.Hdf5Type;
import io.myelin.report.SpikeRasterPlot;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recorded spikes of several groups (populations or sources) of a simulation and their file forms: a CSV table
 * ({@code group,neuron,time_ms}, one row per spike), the SHD layout in HDF5, and a raster plot ({@link SpikeRasterPlot},
 * one panel per group).
 */
record RecordedSpikes(List<Group> groups, double durationMs) {

    /** One group's spikes: parallel arrays of local neuron index and time (ms). */
    record Group(String name, int size, int[] neurons, double[] timesMs) {
    }

    long totalSpikes() {
        long n = 0;
        for (Group g : groups) {
            n += g.neurons().length;
        }
        return n;
    }

    void writeCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("group,neuron,time_ms\n");
            StringBuilder sb = new StringBuilder(64);
            for (Group g : groups) {
                for (int k = 0; k < g.neurons().length; k++) {
                    sb.setLength(0);
                    // Full double precision: exact event-driven times must survive the round trip.
                    sb.append(g.name()).append(',').append(g.neurons()[k]).append(',').append(g.timesMs()[k]).append('\n');
                    w.write(sb.toString());
                }
            }
        }
    }

    /**
     * Writes the spikes in the SHD layout ({@code /spikes/times} in seconds, {@code /spikes/units}, {@code /labels},
     * {@code /extra/keys}) so the data tools read them: one sample per group, labelled by the group's position,
     * with the group names as class names. Times are float32 seconds (about 60 ns resolution at 1 s; SHD itself
     * stores float16), units uint16, so groups may have at most 65,536 neurons.
     */
    void writeShdHdf5(Path file) throws IOException {
        List<float[]> times = new ArrayList<>();
        List<int[]> units = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int[] labels = new int[groups.size()];
        int channels = 1;
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            if (group.size() > 65536) {
                throw new InvalidInputException("group '" + group.name() + "' has " + group.size()
                        + " neurons; the SHD layout's uint16 units hold at most 65536");
            }
            float[] t = new float[group.timesMs().length];
            for (int k = 0; k < t.length; k++) {
                t[k] = (float) (group.timesMs()[k] / 1000.0);
            }
            times.add(t);
            units.add(group.neurons());
            names.add(group.name());
            labels[g] = g;
            channels = Math.max(channels, group.size());
        }
        FlatSpikeDataset ds = FlatSpikeDataset.of(times, units, labels, null, names, channels, file.toString());
        new SpikeDatasetWriter(Hdf5Type.FLOAT32, Hdf5Type.UINT16, Hdf5Type.UINT16).write(ds, file);
    }

    /** Writes the raster plot: one panel per group, exact times in ms over the run's duration. */
    void writeSvg(Path file, String title) throws IOException {
        List<SpikeRasterPlot.Panel> panels = new ArrayList<>();
        for (Group g : groups) {
            panels.add(new SpikeRasterPlot.Panel(g.name(), g.size(), g.timesMs(), g.neurons(), null));
        }
        String svg = SpikeRasterPlot.builder().title(title).timeAxis(durationMs > 0 ? durationMs : 1, "time (ms)", 1)
                .maxPanelHeight(400).build().render(panels);
        Files.writeString(file, svg + "\n", StandardCharsets.UTF_8);
    }
}
