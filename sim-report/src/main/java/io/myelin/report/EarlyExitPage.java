package io.myelin.report;

import io.myelin.core.inference.EarlyExitReport;
import io.myelin.core.inference.ExitCurves;
import io.myelin.core.inference.ExitHistogram;
import io.myelin.core.inference.OperatingPoint;
import io.myelin.core.inference.Oracle;

import java.util.ArrayList;
import java.util.List;

import static io.myelin.core.energy.QuantityFormat.count;
import static io.myelin.core.energy.QuantityFormat.energy;
import static io.myelin.core.energy.QuantityFormat.num;
import static io.myelin.core.energy.QuantityFormat.percent;
import static io.myelin.report.Xml.esc;

/**
 * {@code early-exit.html}: a Dynamic Confidence evaluation ({@link EarlyExitReport}) as one self-contained XHTML page
 * in the style of {@link HtmlReport}: summary and energy at exit beside full length and the ANN, the three
 * accuracy–latency curves (stop at step t; Dynamic Confidence under a cap; the earliest-correct oracle under a cap)
 * with the oracles' points, the Pareto front of the calibration, the exit-step histogram of every class, and the
 * inference paths with their agreement.
 */
public final class EarlyExitPage {
    private static final String BASELINE = "#9c9c9c";
    private static final String DYNAMIC = HtmlReport.AC;
    private static final String ORACLE = HtmlReport.OTHER;
    private static final String CHOSEN = "#c0392b";

    private EarlyExitPage() {
    }

    public static String render(EarlyExitReport r) {
        HtmlReport.Page p = new HtmlReport.Page("Myelin early exit — " + r.model());
        p.raw("<header><h1>Early exit (Dynamic Confidence)</h1><p class=\"meta\">model <b>" + esc(r.model())
                + "</b> · test " + esc(r.testData()) + " · " + count(r.samples()) + " samples · decoding <b>"
                + esc(r.decoding()) + "</b>, temperature " + num(r.temperature()) + ", threshold "
                + esc(String.format(java.util.Locale.ROOT, "%.6g", r.threshold())) + " (" + esc(r.thresholdSource())
                + (r.validData() == null ? "" : " on " + esc(r.validData())) + ") · schema " + esc(r.schema())
                + "</p></header>\n");
        summary(p, r);
        curves(p, r);
        front(p, r);
        histogram(p, r);
        paths(p, r);
        p.raw("<footer><p>Dynamic Confidence after Li, Jones and Furber (ICCV 2023): the step outputs are summed, "
                + "p_t = softmax(sum_t / temperature), and a sample stops at the first step with max p_t above the "
                + "threshold, else at its last step. Steps are per sample (samples differ in length); step fraction = "
                + "mean exit step / mean full length. Oracles: a sample that is never correct (for the stricter one: "
                + "wrong at its last step) runs to its end and counts as wrong. Docs: docs/dynamic-confidence.md."
                + "</p></footer>\n");
        return p.finish();
    }

    private static String[] row(String... cells) {
        return cells;
    }

    private static void summary(HtmlReport.Page p, EarlyExitReport r) {
        p.section("summary", "Summary", "Accuracy, latency and energy with early exit, against every sample run to its "
                + "last step and the oracles.");
        if (r.energyPerSampleUj() != null) {
            List<String> rows = new ArrayList<>(List.of("early exit", "full length"));
            List<Double> v = new ArrayList<>(List.of(r.energyPerSampleUj() * 1e6, r.fullEnergyPerSampleUj() * 1e6));
            if (r.annEnergyPerSampleUj() != null) {
                rows.add("ANN (dense float)");
                v.add(r.annEnergyPerSampleUj() * 1e6);
            }
            double[][] vals = new double[1][v.size()];
            for (int k = 0; k < v.size(); k++) {
                vals[0][k] = v.get(k);
            }
            p.raw(Charts.logBars("energy per sample", rows.toArray(String[]::new), vals, new String[]{DYNAMIC}, null,
                    "energy per sample (log scale)", Double.NaN, null,
                    io.myelin.core.energy.QuantityFormat::energy));
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(row("accuracy with early exit", percent(r.accuracy())));
        rows.add(row("accuracy at full length", percent(r.fullAccuracy())));
        if (r.modelAccuracy() != null) {
            rows.add(row("model accuracy (standard evaluation)", percent(r.modelAccuracy())));
        }
        rows.add(row("mean exit step", num(r.meanExitStep())));
        rows.add(row("mean full length (steps)", num(r.meanFullSteps())));
        rows.add(row("step fraction", num(r.stepFraction())));
        rows.add(row("oracle (earliest correct): accuracy / step fraction", percent(r.oracleAccuracy()) + " / "
                + num(r.oracleStepFraction())));
        rows.add(row("oracle (stably correct): accuracy / step fraction", percent(r.stableOracleAccuracy()) + " / "
                + num(r.stableOracleStepFraction())));
        if (r.energyPerSampleUj() != null) {
            rows.add(row("energy per sample up to exit", energy(r.energyPerSampleUj() * 1e6)));
            rows.add(row("energy per sample at full length", energy(r.fullEnergyPerSampleUj() * 1e6)));
            rows.add(row("energy saving", percent(r.energySaving())));
        }
        if (r.annEnergyPerSampleUj() != null) {
            rows.add(row("ANN energy per sample", energy(r.annEnergyPerSampleUj() * 1e6)));
        }
        if (r.engine() != null) {
            rows.add(row(r.engine() + " engine: exit steps and predictions equal to the model's",
                    percent(r.engineAgreement())));
        }
        p.table(new String[]{"quantity", "value"}, rows, 1);
        if (r.energyLayers() != null && !r.energyLayers().isEmpty()) {
            List<String[]> lr = new ArrayList<>();
            for (EarlyExitReport.LayerEnergy l : r.energyLayers()) {
                lr.add(row(l.name(), num(l.acs()), num(l.fullAcs()), num(l.macs()), num(l.fullMacs()), num(l.spikes()),
                        num(l.fullSpikes()), energy(l.energyPj()), energy(l.fullEnergyPj()), energy(l.annEnergyPj())));
            }
            p.raw("<p>Per layer and sample, up to exit and at full length:</p>");
            p.table(new String[]{"layer", "ACs", "ACs full", "MACs", "MACs full", "spikes", "spikes full", "energy",
                    "energy full", "ANN energy"}, lr, 1);
        }
        p.end();
    }

    private static void curves(HtmlReport.Page p, EarlyExitReport r) {
        ExitCurves c = r.curves();
        if (c == null) {
            return;
        }
        p.section("curves", "Accuracy against mean exit step", "Stop every sample at step t (baseline); Dynamic "
                + "Confidence at threshold " + String.format(java.util.Locale.ROOT, "%.4g", c.threshold())
                + " with every exit capped at step j (the authors' evaluation); the earliest-correct oracle capped the "
                + "same way (the potential). Points: the two oracles without a cap.");
        List<Charts.Series> s = new ArrayList<>();
        s.add(new Charts.Series("stop at step t", BASELINE, c.baseline().meanExitStep(), c.baseline().accuracy()));
        s.add(new Charts.Series("dynamic confidence, cap j", DYNAMIC, c.dynamic().meanExitStep(), c.dynamic().accuracy()));
        if (c.oracle() != null) {
            s.add(new Charts.Series("oracle, cap j", ORACLE, c.oracle().meanExitStep(), c.oracle().accuracy()));
        }
        double lo = 1;
        for (Charts.Series x : s) {
            for (double y : x.y()) {
                lo = Math.min(lo, y);
            }
        }
        List<String[]> rows = new ArrayList<>();
        String[] oracleColors = {CHOSEN, "#b07aa1"};
        for (int k = 0; k < c.oracles().size(); k++) {
            Oracle o = c.oracles().get(k);
            s.add(new Charts.Series("oracle: " + o.name(), oracleColors[k % 2], new double[]{o.meanExitStep()},
                    new double[]{o.accuracy()}));
            rows.add(row(o.name(), percent(o.accuracy()), num(o.meanExitStep()), num(o.stepFraction())));
        }
        rows.add(row("dynamic confidence (no cap)", percent(r.accuracy()), num(r.meanExitStep()), num(r.stepFraction())));
        rows.add(row("full length", percent(r.fullAccuracy()), num(r.meanFullSteps()), "1"));
        p.raw(Charts.lineChart("accuracy against mean exit step", s, "mean exit step", "accuracy",
                Math.max(0, Math.floor(lo * 10) / 10), 1.0));
        p.table(new String[]{"point", "accuracy", "mean exit step", "step fraction"}, rows, 1);
        p.end();
    }

    private static void front(HtmlReport.Page p, EarlyExitReport r) {
        if (r.calibration() == null) {
            return;
        }
        var cal = r.calibration();
        p.section("pareto", "Pareto front of the calibration", "On the validation split (" + r.validData() + "): every "
                + "threshold's mean exit step and accuracy from one full-length recording, the non-dominated ones "
                + "kept; chosen: the fewest mean steps within " + num(100 * cal.tolerance()) + " accuracy points of the "
                + "full-length accuracy (" + percent(cal.fullAccuracy()) + ").");
        int n = cal.front().size();
        double[] x = new double[n], y = new double[n];
        List<String[]> rows = new ArrayList<>();
        double lo = 1;
        for (int k = 0; k < n; k++) {
            OperatingPoint o = cal.front().get(k);
            x[k] = o.meanExitStep();
            y[k] = o.accuracy();
            lo = Math.min(lo, o.accuracy());
            rows.add(row(String.format(java.util.Locale.ROOT, "%.8g", o.threshold()), num(o.meanExitStep()),
                    num(o.stepFraction()), percent(o.accuracy()), o.equals(cal.chosen()) ? "chosen" : ""));
        }
        List<Charts.Series> s = new ArrayList<>();
        s.add(new Charts.Series("Pareto front (validation)", DYNAMIC, x, y));
        s.add(new Charts.Series("chosen", CHOSEN, new double[]{cal.chosen().meanExitStep()},
                new double[]{cal.chosen().accuracy()}));
        p.raw(Charts.lineChart("Pareto front of the threshold sweep", s, "mean exit step", "validation accuracy",
                Math.max(0, Math.floor(lo * 10) / 10), 1.0));
        p.table(new String[]{"threshold", "mean exit step", "step fraction", "accuracy", ""}, rows, 1);
        p.end();
    }

    private static void histogram(HtmlReport.Page p, EarlyExitReport r) {
        ExitHistogram h = r.histogram();
        if (h == null) {
            return;
        }
        p.section("exit-steps", "Exit steps per class", "Samples of each class by the step they exit at, in bins of "
                + h.binWidth() + " steps, with the class's mean exit step and mean full length.");
        int bins = h.counts().length == 0 ? 0 : h.counts()[0].length;
        String[] head = new String[bins + 3];
        head[0] = "class";
        for (int b = 0; b < bins; b++) {
            head[b + 1] = (b * h.binWidth() + 1) + "–" + ((b + 1) * h.binWidth());
        }
        head[bins + 1] = "mean exit";
        head[bins + 2] = "mean full";
        List<String[]> rows = new ArrayList<>();
        for (int c = 0; c < h.counts().length; c++) {
            String[] row = new String[bins + 3];
            row[0] = h.classNames().get(c);
            for (int b = 0; b < bins; b++) {
                row[b + 1] = Integer.toString(h.counts()[c][b]);
            }
            row[bins + 1] = h.meanExit()[c] == null ? "–" : num(h.meanExit()[c]);
            row[bins + 2] = h.meanLength()[c] == null ? "–" : num(h.meanLength()[c]);
            rows.add(row);
        }
        p.table(head, rows, 1);
        p.end();
    }

    private static void paths(HtmlReport.Page p, EarlyExitReport r) {
        p.section("paths", "Inference paths", "Every path that ran the test file under the same policy, against the "
                + "model's own path: the same exit step and prediction are expected of each. Wall times per sample "
                + "(network construction included; the run column is the stepping loop alone).");
        List<String[]> rows = new ArrayList<>();
        for (EarlyExitReport.PathResult x : r.paths()) {
            rows.add(row(x.name(), percent(x.accuracy()), num(x.meanExitStep()), num(x.stepFraction()),
                    percent(x.exitAgreement()), percent(x.predictionAgreement()),
                    x.energyPerSampleUj() == null ? "–" : energy(x.energyPerSampleUj() * 1e6),
                    x.fullEnergyPerSampleUj() == null ? "–" : energy(x.fullEnergyPerSampleUj() * 1e6),
                    String.format(java.util.Locale.ROOT, "%.4g", x.secondsPerSample()),
                    x.fullSecondsPerSample() == null ? "–" : String.format(java.util.Locale.ROOT, "%.4g",
                            x.fullSecondsPerSample()),
                    x.runSecondsPerSample() == null ? "–" : String.format(java.util.Locale.ROOT, "%.4g / %.4g",
                            x.runSecondsPerSample(), x.fullRunSecondsPerSample())));
        }
        p.table(new String[]{"path", "accuracy", "mean exit step", "step fraction", "same exit", "same prediction",
                "energy / sample", "full length", "s / sample", "full length", "run s (exit / full)"}, rows, 1);
        p.end();
    }
}
