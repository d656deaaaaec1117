package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.FlatSpikeDataset;
import io.myelin.core.data.SpikeDatasetWriter;
import io.myelin.core.data.hdf5.Hdf5Type;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recorded spikes of several groups (populations or sources) and their two file forms: a CSV table
 * ({@code group,neuron,time_ms}, one row per spike) and an SVG raster plot (time on x, neurons of each group stacked
 * on y, one band per group).
 */
record SpikeRaster(List<Group> groups, double durationMs) {

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

    void writeSvg(Path file, String title) throws IOException {
        final double width = 900, left = 110, right = 20, top = 40, bottom = 45, bandGap = 12;
        double plotW = width - left - right;
        int rows = 0;
        for (Group g : groups) {
            rows += g.size();
        }
        // A row is at least 0.25 px and at most 4 px; bands share ~520 px.
        double rowH = Math.max(0.25, Math.min(4, 520.0 / Math.max(1, rows)));
        double plotH = rows * rowH + bandGap * Math.max(0, groups.size() - 1);
        double height = top + plotH + bottom;
        double span = durationMs > 0 ? durationMs : 1;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                    + "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height));
            w.write("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
            w.write("<text x=\"" + left + "\" y=\"22\" font-size=\"14\">" + escape(title) + "</text>\n");
            double y0 = top;
            String[] colours = {"#1f4e9c", "#b23a48", "#2a7f3f", "#8a5a00", "#6b3fa0", "#00727a"};
            for (int gi = 0; gi < groups.size(); gi++) {
                Group g = groups.get(gi);
                double bandH = g.size() * rowH;
                w.write(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#ccc\"/>\n",
                        left, y0, plotW, bandH));
                w.write(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s (%d)</text>\n",
                        left - 6, y0 + bandH / 2 + 4, escape(g.name()), g.size()));
                double dot = Math.max(1.0, Math.min(2, rowH));
                StringBuilder d = new StringBuilder();
                for (int k = 0; k < g.neurons().length; k++) {
                    double x = left + plotW * Math.min(1, Math.max(0, g.timesMs()[k] / span));
                    double y = y0 + g.neurons()[k] * rowH;
                    d.append(String.format(Locale.ROOT, "M%.2f %.2fh%.2fv%.2fh-%.2fz", x, y, dot, dot, dot));
                }
                if (d.length() > 0) {
                    w.write("<path fill=\"" + colours[gi % colours.length] + "\" d=\"" + d + "\"/>\n");
                }
                y0 += bandH + bandGap;
            }
            double axisY = top + plotH;
            for (int t = 0; t <= 5; t++) {
                double x = left + plotW * t / 5;
                w.write(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>"
                        + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                        x, axisY, x, axisY + 5, x, axisY + 19, trim(span * t / 5)));
            }
            w.write(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">time (ms)</text>\n",
                    left + plotW / 2, axisY + 37));
            w.write("</svg>\n");
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
