package io.myelin.report;

import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.EpochMetrics;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.energy.ParameterGroup;
import io.myelin.core.energy.ParameterKind;
import io.myelin.core.energy.QuantityFormat;
import io.myelin.core.energy.SpikeRaster;
import io.myelin.core.store.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.myelin.core.energy.QuantityFormat.count;
import static io.myelin.core.energy.QuantityFormat.energy;
import static io.myelin.core.energy.QuantityFormat.num;
import static io.myelin.core.energy.QuantityFormat.percent;
import static io.myelin.report.Xml.esc;

/**
 * {@code report.html}: one self-contained XHTML page (inline CSS and SVG, no script, no network) rendered from an
 * {@link EnergyReport} alone. Sections, each with exactly one SVG plot and the table of its numbers: summary (SNN
 * vs ANN energy per sample), spike raster of one sample per layer, firing rate per layer, ACs/MACs per layer,
 * energy per layer (stacked by operation, and the SNN/ANN ratio), model size by parameter kind, bit budget per layer,
 * and accuracy per epoch when the report carries a training run's metrics. The page is well-formed XML, so tools
 * (and tests) can parse it with any XML parser.
 */
public final class HtmlReport {
    static final String AC = "#4e79a7";
    static final String MAC = "#f28e2b";
    static final String OTHER = "#59a14f";
    static final String ANN = "#9c9c9c";
    private static final String[] KIND_COLORS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
            "#b07aa1"};
    /** Raster dots drawn per layer at most; more are thinned evenly (the table keeps the true count). */
    public static final int MAX_RASTER_DOTS = 20_000;

    private HtmlReport() {
    }

    /** Writes the page atomically: a kill leaves the old page or the new one, never half of one. */
    public static void write(EnergyReport r, Path file) throws IOException {
        AtomicFiles.writeString(file, render(r));
    }

    /** The page as a string (UTF-8 XHTML). */
    public static String render(EnergyReport r) {
        Page p = new Page("Myelin energy report — " + r.source().name());
        p.raw("<header><h1>Energy report</h1><p class=\"meta\">" + esc(r.source().kind()) + " <b>" + esc(r.source().name())
                + "</b>" + (r.source().detail() == null ? "" : " · " + esc(r.source().detail())) + " · " + count(r.samples())
                + (r.samples() == 1 ? " sample" : " samples") + " · energy model <b>" + esc(r.energyModel().name())
                + "</b> (E_AC " + num(r.energyModel().eAcPj()) + " pJ, E_MAC " + num(r.energyModel().eMacPj()) + " pJ at "
                + r.energyModel().referenceBits() + " bit) · " + esc(r.source().created()) + " · schema "
                + esc(r.schema()) + "</p></header>\n");
        summary(p, r);
        raster(p, r);
        firingRate(p, r);
        operations(p, r);
        energySection(p, r);
        modelSize(p, r);
        bitBudget(p, r);
        accuracy(p, r);
        p.raw("<footer><p>Energy model: " + esc(r.energyModel().description()) + "</p><p>Counts are exact, taken from the run "
                + "(ACs: one per binary spike event per synapse used; MACs: multi-bit or real inputs). The ANN is the same "
                + "architecture with dense float activations: every synapse every step costs one MAC at "
                + r.energyModel().referenceBits() + " bit. Bit budget after Shen et al. 2023: weight bits × activation "
                + "bits × time steps. Schema: docs/energy-report.md.</p></footer>\n");
        return p.finish();
    }

    private static String[] names(EnergyReport r) {
        return r.layers().stream().map(EnergyReport.Layer::name).toArray(String[]::new);
    }

    private static void summary(Page p, EnergyReport r) {
        EnergyReport.Total t = r.total();
        double ac = 0, mac = 0, other = 0;
        for (EnergyReport.Layer l : r.layers()) {
            ac += l.acEnergyPj();
            mac += l.macEnergyPj();
            other += l.otherEnergyPj();
        }
        double n = r.samples();
        p.section("summary", "Summary", "Energy per sample of the spiking network, by operation, next to the same "
                + "architecture run as a dense float ANN.");
        p.raw(Charts.logBars("energy per sample, SNN vs ANN", new String[]{"SNN (this run)", "ANN (dense float)"},
                new double[][]{{(ac + mac + other) / n, t.annEnergyPerSamplePj()}}, new String[]{AC}, null,
                "energy per sample (log scale)", Double.NaN, null, QuantityFormat::energy));
        p.table(new String[]{"quantity", "value"}, List.of(
                row("samples", count(r.samples())),
                row("accumulates (ACs)", count(t.acs())),
                row("multiply-accumulates (MACs)", count(t.macs())),
                row("spikes", count(t.spikes())),
                row("neuron updates", count(t.neuronUpdates())),
                row("energy", energy(t.energyPj())),
                row("energy per sample", energy(t.energyPerSamplePj())),
                row("ANN energy per sample", energy(t.annEnergyPerSamplePj())),
                row("SNN energy / ANN energy", t.snnAnnRatio() == null ? "n/a" : num(t.snnAnnRatio())),
                row("model size", QuantityFormat.bits(t.modelBits()) + " (float32: " + QuantityFormat.bits(t.float32ModelBits()) + ")"),
                row("bit budget (synapse-weighted mean of b_w × b_a × T)", num(t.bitBudget())),
                row("accuracy", r.accuracy() == null ? "labels unknown"
                        : percent(r.accuracy().accuracy()) + " (" + count(r.accuracy().correct()) + " of "
                        + count(r.accuracy().samples()) + ")")), 1);
        p.end();
    }

    private static String[] row(String... cells) {
        return cells;
    }

    private static void raster(Page p, EnergyReport r) {
        if (r.rasters() == null || r.rasters().isEmpty()) {
            return;
        }
        p.section("raster", "Spike raster", "Spikes of one sample, one panel per layer (neuron index downwards).");
        List<SpikeRasterPlot.Panel> panels = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        long steps = 1;
        for (SpikeRaster s : r.rasters()) {
            panels.add(SpikeRasterPlot.Panel.of(s));
            steps = Math.max(steps, s.timeSteps());
            rows.add(row(s.layer(), count(s.neurons()), count(s.timeSteps()), count(s.spikeCount()) + (s.truncated() ? "+" : "")));
        }
        p.raw(SpikeRasterPlot.builder().timeAxis(steps, r.dtMs() > 0 ? "time (ms)" : "time step", r.dtMs() > 0 ? r.dtMs() : 1)
                .binWidth(1).maxDots(MAX_RASTER_DOTS).build().render(panels));
        p.table(new String[]{"layer", "neurons", "time steps", "spikes shown"}, rows, 1);
        p.end();
    }

    private static void firingRate(Page p, EnergyReport r) {
        p.section("firing-rate", "Firing rate per layer", "Spikes per neuron per time step"
                + (r.dtMs() > 0 ? " (and in Hz: divided by dt = " + num(r.dtMs()) + " ms)" : "") + ", averaged over "
                + "neurons, steps and samples.");
        String[] names = names(r);
        double[][] v = new double[names.length][1];
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            EnergyReport.Layer l = r.layers().get(i);
            v[i][0] = l.firingRate();
            rows.add(row(l.name(), l.kind(), count(l.neurons()), count(l.timeSteps()), count(l.spikes()), num(l.firingRate()),
                    r.dtMs() > 0 ? num(l.firingRate() * 1000 / r.dtMs()) : "–"));
        }
        p.raw(Charts.stackedBars("firing rate per layer", names, new String[]{"rate"}, new String[]{AC}, v,
                "spikes per neuron per step", QuantityFormat::num));
        p.table(new String[]{"layer", "kind", "neurons", "steps / sample", "spikes", "spikes / neuron / step", "rate (Hz)"},
                rows, 2);
        p.end();
    }

    private static void operations(Page p, EnergyReport r) {
        p.section("operations", "Synaptic operations per layer", "Operations into each layer, summed over the samples: "
                + "ACs from binary spikes, MACs from multi-bit inputs; the dense ANN's MACs for comparison.");
        String[] names = names(r);
        double[][] v = new double[names.length][2];
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            EnergyReport.Layer l = r.layers().get(i);
            v[i][0] = l.acs();
            v[i][1] = l.macs();
            rows.add(row(l.name(), count(l.synapses()), count(l.acs()), count(l.macs()), count(l.neuronUpdates()),
                    count(l.annMacs())));
        }
        p.raw(Charts.stackedBars("operations per layer", names, new String[]{"ACs", "MACs"}, new String[]{AC, MAC}, v,
                "operations", QuantityFormat::num));
        p.table(new String[]{"layer", "synapses", "ACs", "MACs", "neuron updates", "ANN MACs"}, rows, 1);
        p.end();
    }

    private static void energySection(Page p, EnergyReport r) {
        p.section("energy", "Energy per layer", "Stacked by operation (left), and as a fraction of the dense float ANN's "
                + "energy on a log scale (right of the dashed line the SNN costs more).");
        String[] names = names(r);
        double[][] v = new double[names.length][3];
        double[] ratio = new double[names.length];
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            EnergyReport.Layer l = r.layers().get(i);
            v[i][0] = l.acEnergyPj();
            v[i][1] = l.macEnergyPj();
            v[i][2] = l.otherEnergyPj();
            ratio[i] = l.snnAnnRatio() == null ? 0 : l.snnAnnRatio();
            rows.add(row(l.name(), energy(l.acEnergyPj()), energy(l.macEnergyPj()), energy(l.otherEnergyPj()),
                    energy(l.energyPj()), energy(l.annEnergyPj()), l.snnAnnRatio() == null ? "n/a" : num(l.snnAnnRatio())));
        }
        String stacked = Charts.stackedBars("energy per layer", names, new String[]{"AC", "MAC", "memory / neuron updates"},
                new String[]{AC, MAC, OTHER}, v, "energy over all samples", QuantityFormat::energy);
        String log = Charts.logBars("SNN energy / ANN energy", names, ratio, "#76b7b2", "SNN energy / ANN energy (log scale)",
                1.0, "ANN = 1");
        p.raw(combine("energy per layer and SNN/ANN ratio", stacked, log));
        EnergyReport.Total t = r.total();
        rows.add(row("total", "", "", "", energy(t.energyPj()), energy(t.annEnergyPj()),
                t.snnAnnRatio() == null ? "n/a" : num(t.snnAnnRatio())));
        p.table(new String[]{"layer", "AC energy", "MAC energy", "memory / updates", "SNN energy", "ANN energy", "SNN / ANN"},
                rows, 1);
        p.end();
    }

    /** Two charts stacked in one SVG, so the section keeps a single plot element. */
    private static String combine(String label, String a, String b) {
        int ha = height(a);
        int hb = height(b);
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Charts.WIDTH + "\" height=\"" + (ha + hb + 10)
                + "\" viewBox=\"0 0 " + Charts.WIDTH + " " + (ha + hb + 10) + "\" role=\"img\" aria-label=\"" + esc(label)
                + "\">\n" + a.replaceFirst("<svg ", "<svg x=\"0\" y=\"0\" ") + "\n"
                + b.replaceFirst("<svg ", "<svg x=\"0\" y=\"" + (ha + 10) + "\" ") + "\n</svg>";
    }

    private static int height(String svg) {
        int i = svg.indexOf("height=\"") + 8;
        return Integer.parseInt(svg.substring(i, svg.indexOf('"', i)));
    }

    private static void modelSize(Page p, EnergyReport r) {
        ModelSize m = r.modelSize();
        p.section("model-size", "Model size", "Stored parameters by kind at their stored bit widths, against the same "
                + "parameters as float32.");
        ParameterKind[] kinds = ParameterKind.values();
        Map<ParameterKind, Long> byKind = m.bitsByKind();
        double[][] v = new double[2][kinds.length];
        String[] series = new String[kinds.length];
        String[] colors = new String[kinds.length];
        for (int k = 0; k < kinds.length; k++) {
            series[k] = kinds[k].json().replace('_', ' ');
            colors[k] = KIND_COLORS[k % KIND_COLORS.length];
            v[0][k] = byKind.getOrDefault(kinds[k], 0L) / 8.0 / 1024;
        }
        // only the kinds this model has, so the legend does not list empty ones
        List<Integer> present = new ArrayList<>();
        for (ParameterGroup g : m.parameters()) {
            if (!present.contains(g.kind().ordinal())) {
                present.add(g.kind().ordinal());
            }
        }
        present.sort(null);
        for (ParameterGroup g : m.parameters()) {
            v[1][g.kind().ordinal()] += g.count() * 32 / 8.0 / 1024;
        }
        double[][] f32 = new double[2][present.size()];
        String[] ps = new String[present.size()];
        String[] pc = new String[present.size()];
        for (int j = 0; j < present.size(); j++) {
            int k = present.get(j);
            ps[j] = series[k];
            pc[j] = colors[k];
            f32[0][j] = v[0][k];
            f32[1][j] = v[1][k];
        }
        p.raw(Charts.stackedBars("model size by parameter kind", new String[]{"as stored", "as float32"}, ps, pc, f32,
                "KiB", d -> num(d) + " KiB"));
        List<String[]> rows = new ArrayList<>();
        for (ParameterGroup g : m.parameters()) {
            rows.add(row(g.layer(), g.kind().json(), count(g.count()), Integer.toString(g.bits()), count(g.totalBits()),
                    count(g.count() * 32)));
        }
        rows.add(row("total", "", count(m.parameterCount()), "", count(m.totalBits()), count(m.float32Bits())));
        p.table(new String[]{"layer", "kind", "count", "bits each", "stored bits", "float32 bits"}, rows, 2);
        p.raw("<p>Stored " + QuantityFormat.bits(m.totalBits()) + " vs " + QuantityFormat.bits(m.float32Bits()) + " as float32 (×"
                + num(m.compression()) + " smaller).</p>\n");
        p.end();
    }

    private static void bitBudget(Page p, EnergyReport r) {
        p.section("bit-budget", "Bit budget", "After Shen et al. 2023 (\"Is Conventional SNN Really Efficient? A Perspective "
                + "from Network Quantization\"): weight bits × bits per input activation × time steps, per layer; time steps, "
                + "spike rate and activation bits side by side. A float ANN layer evaluated once has 32 × 32 × 1 = 1024.");
        List<String> names = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        for (EnergyReport.Layer l : r.layers()) {
            if (l.weightBits() == 0) {
                continue;
            }
            names.add(l.name());
            vals.add(new double[]{l.bitBudget()});
            rows.add(row(l.name(), Integer.toString(l.weightBits()), Integer.toString(l.inputBits()), count(l.timeSteps()),
                    num(l.firingRate()), count(l.bitBudget())));
        }
        if (names.isEmpty()) {
            names.add("(no layer with weights)");
            vals.add(new double[]{0});
        }
        p.raw(Charts.stackedBars("bit budget per layer", names.toArray(String[]::new), new String[]{"bit budget"},
                new String[]{"#b07aa1"}, vals.toArray(double[][]::new), "b_w × b_a × T", d -> count((long) d)));
        rows.add(row("network (synapse-weighted mean)", "", "", "", "", num(r.total().bitBudget())));
        p.table(new String[]{"layer", "weight bits b_w", "activation bits b_a", "time steps T", "spikes / neuron / step",
                "bit budget"}, rows, 1);
        p.end();
    }

    private static void accuracy(Page p, EnergyReport r) {
        List<EpochMetrics> ep = r.epochs();
        if (ep == null || ep.isEmpty()) {
            return;
        }
        p.section("accuracy", "Accuracy per epoch", "From the training run's metrics.jsonl.");
        double[] x = new double[ep.size()];
        double[][] y = new double[3][ep.size()];
        boolean[] has = new boolean[3];
        double lo = 1;
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < ep.size(); i++) {
            EpochMetrics m = ep.get(i);
            x[i] = m.epoch();
            Double[] v = {m.trainAcc(), m.validAcc(), m.testAcc()};
            for (int s = 0; s < 3; s++) {
                y[s][i] = v[s] == null ? Double.NaN : v[s];
                if (v[s] != null) {
                    has[s] = true;
                    lo = Math.min(lo, v[s]);
                }
            }
            rows.add(row(Integer.toString(m.epoch()), fmt(m.trainAcc()), fmt(m.validAcc()), fmt(m.testAcc())));
        }
        String[] names = {"train", "valid", "test"};
        String[] colors = {AC, OTHER, MAC};
        List<Charts.Series> series = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            if (has[s]) {
                series.add(new Charts.Series(names[s], colors[s], x, y[s]));
            }
        }
        double yMin = Math.max(0, Math.floor(lo * 10) / 10);
        p.raw(Charts.lineChart("accuracy per epoch", series, "epoch", "accuracy", yMin, 1.0));
        p.table(new String[]{"epoch", "train", "valid", "test"}, rows, 1);
        p.end();
    }

    private static String fmt(Double a) {
        return a == null ? "–" : percent(a);
    }

    /** Minimal XHTML page writer: sections, tables, raw SVG. */
    static final class Page {
        private final StringBuilder b = new StringBuilder();

        Page(String title) {
            b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n")
                    .append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                    .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        }

        void raw(String s) {
            b.append(s).append('\n');
        }

        void section(String id, String title, String intro) {
            b.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(title)).append("</h2>\n<p>")
                    .append(esc(intro)).append("</p>\n");
        }

        void end() {
            b.append("</section>\n");
        }

        /** A table; columns from {@code firstNumeric} on are right-aligned. */
        void table(String[] head, List<String[]> rows, int firstNumeric) {
            b.append("<table>\n<thead><tr>");
            for (int i = 0; i < head.length; i++) {
                b.append(i >= firstNumeric ? "<th class=\"n\">" : "<th>").append(esc(head[i])).append("</th>");
            }
            b.append("</tr></thead>\n<tbody>\n");
            for (String[] r : rows) {
                b.append("<tr>");
                for (int i = 0; i < r.length; i++) {
                    b.append(i >= firstNumeric ? "<td class=\"n\">" : "<td>").append(esc(r[i])).append("</td>");
                }
                b.append("</tr>\n");
            }
            b.append("</tbody>\n</table>\n");
        }

        String finish() {
            b.append("</body>\n</html>\n");
            return b.toString();
        }
    }

    static final String CSS = """
            body { font-family: Helvetica, Arial, sans-serif; color: #222; max-width: 1000px; margin: 24px auto; padding: 0 12px; }
            h1 { font-size: 26px; margin: 0 0 4px 0; }
            h2 { font-size: 19px; margin: 28px 0 6px 0; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            p { line-height: 1.4; }
            .meta { color: #555; font-size: 13px; }
            section { margin-bottom: 18px; }
            svg { display: block; margin: 8px 0; }
            table { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px 0; }
            th, td { padding: 3px 10px; border-bottom: 1px solid #e5e5e5; text-align: left; }
            th { background: #f3f3f3; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
            tbody tr:last-child td { border-bottom: 1px solid #bbb; }
            footer { color: #666; font-size: 12px; margin-top: 30px; border-top: 1px solid #ddd; }
            """;
}
