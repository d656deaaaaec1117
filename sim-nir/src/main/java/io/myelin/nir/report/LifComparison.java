package io.myelin.nir.report;

import io.myelin.core.InvalidInputException;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.Npy;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.run.Integration;
import io.myelin.nir.run.NirRunner;
import io.myelin.nir.run.NirTrace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The NIR paper's single-neuron comparison: the {@code lif_norse} graph run by Myelin (forward Euler and exact
 * integration) next to every framework's own trace of it. Each trace is compared, after dividing by its own
 * largest |v| (the frameworks use different units), with the exact solution's trace ({@code lif_exact.csv}):
 * spike steps and the RMS difference of the normalised voltages.
 */
public final class LifComparison {
    /** Name of the reference trace every other is measured against. */
    public static final String REFERENCE = "exact";

    private final List<NeuronTrace> traces;
    private final double dt;

    private LifComparison(List<NeuronTrace> traces, double dt) {
        this.traces = traces;
        this.dt = dt;
    }

    /**
     * @param caseDir the {@code lif_norse} case (graph.nir, input.npy, peer-traces/*.csv)
     * @param dt      step (s) of the case (1e-4)
     */
    public static LifComparison of(Path caseDir, double dt) throws IOException {
        NirGraph g = NirGraph.read(caseDir.resolve("graph.nir"));
        NpyArray input = Npy.read(caseDir.resolve("input.npy"));
        List<NeuronTrace> traces = new ArrayList<>();
        for (Integration mode : Integration.values()) {
            try (NirRunner r = NirRunner.compile(g, dt, mode, 1)) {
                NirTrace t = r.run(input, null);
                if (t.states().size() != 1) {
                    throw new InvalidInputException(caseDir + ": expected a single-neuron graph, found "
                            + t.states().keySet());
                }
                double[] v = t.states().values().iterator().next();
                boolean[] s = new boolean[t.steps()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = t.output()[i] != 0;
                }
                traces.add(new NeuronTrace("myelin-" + mode.name().toLowerCase(Locale.ROOT), v, s));
            }
        }
        Path peers = caseDir.resolve("peer-traces");
        if (Files.isDirectory(peers)) {
            try (var files = Files.list(peers)) {
                files.filter(p -> p.toString().endsWith(".csv")).sorted(Comparator.comparing(Path::toString))
                        .forEach(p -> traces.add(NeuronTrace.readCsv(p)));
            }
        }
        return new LifComparison(traces, dt);
    }

    public List<NeuronTrace> traces() {
        return traces;
    }

    public NeuronTrace trace(String name) {
        return traces.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidInputException("no trace '" + name + "'"));
    }

    /** RMS difference of the normalised voltages of {@code t} and the exact solution's trace, over their common steps. */
    public double rmsToReference(NeuronTrace t) {
        double[] a = t.normalized(), b = trace(REFERENCE).normalized();
        int n = Math.min(a.length, b.length);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / n);
    }

    /** Largest shift (steps) between this trace's spikes and the exact solution's, or -1 when the counts differ. */
    public int spikeShift(NeuronTrace t) {
        int[] a = t.spikeSteps(), b = trace(REFERENCE).spikeSteps();
        if (a.length != b.length) {
            return -1;
        }
        int m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** A text table: trace, spike steps, largest spike shift vs exact, RMS of normalised voltage vs exact. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-20s %-24s %10s %12s%n", "trace", "spike steps", "shift", "rms vs exact"));
        for (NeuronTrace t : traces) {
            b.append(String.format(Locale.ROOT, "%-20s %-24s %10s %12.4f%n", t.name(),
                    java.util.Arrays.toString(t.spikeSteps()), spikeShift(t) < 0 ? "count" : spikeShift(t) + " steps",
                    rmsToReference(t)));
        }
        return b.toString();
    }

    /** An SVG: one panel per trace (normalised voltage, spikes as ticks), Myelin's first, on a shared time axis. */
    public String svg() {
        int w = 980, left = 150, right = 20, panel = 56, gap = 8, top = 40;
        int h = top + traces.size() * (panel + gap) + 40;
        int steps = traces.stream().mapToInt(t -> t.voltage().length).max().orElse(1);
        double plotW = w - left - right;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", w, h));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">lif_norse: membrane (each divided "
                + "by its largest |v|) and spikes; Myelin (Euler, exact) vs the NIR paper's traces; dt = %s s</text>%n",
                left, dt));
        for (int k = 0; k < traces.size(); k++) {
            NeuronTrace t = traces.get(k);
            double y0 = top + k * (panel + gap);
            boolean mine = t.name().startsWith("myelin");
            String color = mine ? "#c0392b" : t.name().equals(REFERENCE) ? "#000000" : "#2c6fbb";
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
                    + "stroke=\"#ccc\"/>%n", left, y0, plotW, panel, mine ? "#fdf2f0" : "#f7f9fc"));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\"%s>%s</text>%n", left - 8,
                    y0 + panel / 2.0 + 4, mine ? " font-weight=\"bold\"" : "", t.name()));
            double[] v = t.normalized();
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                double x = left + plotW * i / Math.max(1, steps - 1);
                double y = y0 + panel - 4 - (panel - 12) * Math.max(-0.2, Math.min(1.0, v[i]));
                path.append(i == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
            s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color)
                    .append("\" stroke-width=\"1.2\"/>\n");
            for (int i : t.spikeSteps()) {
                double x = left + plotW * i / Math.max(1, steps - 1);
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"%s\" stroke-width=\"2\"/>%n", x, x, y0 + 2, y0 + 10, color));
            }
        }
        double yAxis = top + traces.size() * (panel + gap) + 4;
        for (int i = 0; i <= 10; i++) {
            double x = left + plotW * i / 10;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", x,
                    yAxis + 14, trim(i * (steps - 1) * dt / 10 * 1000) + (i == 10 ? " ms" : "")));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String trim(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
