package io.myelin.examples.cli;

import io.myelin.core.data.DatasetStats;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code myelin data info FILE [--json]}: sizes, classes, spike and duration statistics, storage format. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Summarise an SHD-format file: samples, classes, channels, spikes, durations, format.")
public final class DataInfoCommand implements Callable<Integer> {
    @Mixin
    ChannelsOption channelsOption;

    @Parameters(index = "0", paramLabel = "FILE", description = "SHD/SSC-format HDF5 file")
    Path file;

    @Option(names = "--json", description = "print one JSON object (keys: samples, classes, channels, spikes_total,"
            + " label_counts, spikes_per_sample, duration_s)")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Hdf5SpikeDataset ds = Hdf5SpikeDataset.open(file, channelsOption.channels);
        DatasetStats s = DatasetStats.of(ds);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.compact().writeValueAsString(toJson(s)));
        } else {
            printText(out, ds, s);
        }
        out.flush();
        return 0;
    }

    /** The JSON document: exactly the keys the issue specifies. */
    static Map<String, Object> toJson(DatasetStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", s.samples());
        m.put("classes", s.classes());
        m.put("channels", s.channels());
        m.put("spikes_total", s.spikesTotal());
        Map<String, Integer> counts = new LinkedHashMap<>();
        s.labelCounts().forEach((label, count) -> counts.put(Integer.toString(label), count));
        m.put("label_counts", counts);
        m.put("spikes_per_sample", summary(s.spikesPerSample()));
        m.put("duration_s", summary(s.durationSeconds()));
        return m;
    }

    private static Map<String, Double> summary(DatasetStats.Summary x) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("min", x.min());
        m.put("median", x.median());
        m.put("mean", x.mean());
        m.put("max", x.max());
        return m;
    }

    private static void printText(PrintWriter out, Hdf5SpikeDataset ds, DatasetStats s) {
        Hdf5SpikeDataset.FileFormat f = ds.format();
        out.printf(Locale.ROOT, "file            %s (%,d bytes, HDF5 superblock v%d)%n", ds.source(), f.fileBytes(),
                f.superblockVersion());
        out.printf(Locale.ROOT, "format          times vlen %s s, units vlen %s, labels %s, speaker %s, keys %s,"
                        + " %d heap collections%n", f.timesType(), f.unitsType(), f.labelsType(),
                f.speakerType() == null ? "absent" : f.speakerType(), f.hasKeys() ? "yes" : "absent",
                f.heapCollections());
        out.printf(Locale.ROOT, "samples         %d%n", s.samples());
        out.printf(Locale.ROOT, "channels        %d%n", s.channels());
        out.printf(Locale.ROOT, "classes         %d%n", s.classes());
        out.printf(Locale.ROOT, "speakers        %s%n", ds.hasSpeakers() ? Integer.toString(ds.speakers().length)
                : "absent");
        out.printf(Locale.ROOT, "spikes total    %,d (%.1f MB in memory, %d bytes/spike)%n", s.spikesTotal(),
                ds.memoryBytes() / 1e6, ds.bytesPerSpike());
        DatasetStats.Summary sp = s.spikesPerSample();
        out.printf(Locale.ROOT, "spikes/sample   min %.0f  median %.1f  mean %.1f  max %.0f%n", sp.min(), sp.median(),
                sp.mean(), sp.max());
        DatasetStats.Summary d = s.durationSeconds();
        out.printf(Locale.ROOT, "duration (s)    min %.3f  median %.3f  mean %.3f  max %.3f%n", d.min(), d.median(),
                d.mean(), d.max());
        out.println("label counts");
        s.labelCounts().forEach((label, count) -> out.printf(Locale.ROOT, "  %3d %-16s %d%n", label,
                ds.classNames().get(label), count));
        for (String w : ds.warnings()) {
            out.println("warning: " + w);
        }
    }
}
