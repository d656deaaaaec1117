package io.myelin.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.myelin.core.energy.QuantityFormat.num;
import static io.myelin.core.energy.QuantityFormat.percent;
import static io.myelin.report.Xml.esc;

/**
 * {@code sweep.html}: a seed and ablation sweep at a glance: per varied key, the best test accuracy of each of its
 * values (mean ± standard deviation over the runs with that value), the groups of runs that differ only in their seed,
 * and every run.
 */
public final class SweepPage {
    private SweepPage() {
    }

    /** One run: its overrides of the config, seed and results ({@code energyUj} null without a report). */
    public record Run(Map<String, String> overrides, long seed, double bestTestAcc, double finalTestAcc,
                      double trainSamplesPerS, Double energyUj, String runDir) {
    }

    /** Runs that differ only in their seed. */
    public record Group(Map<String, String> overrides, int n, double bestMean, double bestStd, double finalMean,
                        double finalStd, Double energyMean) {
    }

    /** The best test accuracy per value of one varied key, over every run with that value. */
    public record KeyPlot(String key, String[] values, double[] mean, double[] std, int[] n) {
    }

    /**
     * @param title  the sweep's name
     * @param detail what it ran (config, epochs, seeds, master)
     */
    public static String render(String title, String detail, List<KeyPlot> plots, List<Group> groups, List<Run> runs) {
        HtmlReport.Page p = new HtmlReport.Page("Myelin sweep — " + title);
        p.raw("<header><h1>Sweep " + esc(title) + "</h1><p class=\"meta\">" + esc(detail) + " · " + runs.size()
                + (runs.size() == 1 ? " run" : " runs") + " in " + groups.size()
                + (groups.size() == 1 ? " group" : " groups") + "</p></header>");
        for (KeyPlot k : plots) {
            p.section("key-" + k.key().replaceAll("[^A-Za-z0-9]", "-"), k.key(), "Best test accuracy per value of "
                    + k.key() + ": mean ± standard deviation over every run with that value (all seeds and other"
                    + " settings).");
            p.raw(Charts.meanStdBars("best test accuracy by " + k.key(), k.values(), k.mean(), k.std(), k.n(),
                    HtmlReport.AC, "best test accuracy", v -> percent(v)));
            p.end();
        }
        p.section("groups", "Groups", "Runs of the same settings over the seeds: mean ± standard deviation (sample).");
        List<String[]> rows = new ArrayList<>();
        for (Group g : groups) {
            rows.add(new String[]{label(g.overrides()), Integer.toString(g.n()),
                    percent(g.bestMean()) + " ± " + percent(g.bestStd()),
                    percent(g.finalMean()) + " ± " + percent(g.finalStd()),
                    g.energyMean() == null ? "–" : num(g.energyMean()) + " µJ"});
        }
        p.table(new String[]{"settings", "runs", "best test accuracy", "final test accuracy", "energy / sample"}, rows, 1);
        p.end();
        p.section("runs", "Runs", "Every run, its directory under the sweep's output.");
        rows = new ArrayList<>();
        for (Run r : runs) {
            rows.add(new String[]{label(r.overrides()), r.runDir(), Long.toString(r.seed()), percent(r.bestTestAcc()),
                    percent(r.finalTestAcc()), num(r.trainSamplesPerS()),
                    r.energyUj() == null ? "–" : num(r.energyUj()) + " µJ"});
        }
        p.table(new String[]{"settings", "directory", "seed", "best test accuracy", "final test accuracy",
                "training samples/s", "energy / sample"}, rows, 2);
        p.end();
        return p.finish();
    }

    private static String label(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return "(the config)";
        }
        StringBuilder b = new StringBuilder();
        overrides.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }
}
