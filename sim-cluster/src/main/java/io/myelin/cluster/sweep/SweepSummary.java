package io.myelin.cluster.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.report.SweepPage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What a sweep reports: a JSON line per run, the groups of runs that differ only in their seed (mean and sample
 * standard deviation of their results), the summary line, and the data of {@code sweep.html}.
 */
public final class SweepSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> keys;
    private final List<SweepResult> results;

    /**
     * @param keys    the varied keys, in order
     * @param results the finished runs, in grid order
     */
    public SweepSummary(List<String> keys, List<SweepResult> results) {
        this.keys = List.copyOf(keys);
        this.results = List.copyOf(results);
    }

    /** A run's line. */
    public static ObjectNode line(SweepResult r) {
        ObjectNode n = JSON.createObjectNode();
        n.set("overrides", JSON.valueToTree(r.overrides()));
        n.put("seed", r.seed());
        n.put("best_test_acc", r.bestTestAcc());
        n.put("final_test_acc", r.finalTestAcc());
        if (!Double.isNaN(r.bestValidAcc())) {
            n.put("best_valid_acc", r.bestValidAcc());
        }
        n.put("best_epoch", r.bestEpoch());
        n.put("epochs", r.epochs());
        n.put("train_samples_per_s", r.trainSamplesPerS());
        if (r.energyUj() != null) {
            n.put("energy_per_sample_uj", r.energyUj());
        }
        n.put("run_dir", r.runDir());
        n.put("resumed_from_epoch", r.resumedFromEpoch());
        n.put("attempt", r.attempt());
        n.put("executor", r.executor());
        n.put("seconds", r.seconds());
        return n;
    }

    /** A run that failed on every attempt. */
    public static ObjectNode failure(SweepRun r, String error) {
        ObjectNode n = JSON.createObjectNode();
        n.set("overrides", JSON.valueToTree(r.overrides()));
        n.put("seed", r.seed());
        n.put("run_dir", r.runDir());
        n.put("error", error);
        return n;
    }

    /** Runs of the same overrides, in grid order. */
    public List<List<SweepResult>> groups() {
        Map<Map<String, String>, List<SweepResult>> g = new LinkedHashMap<>();
        for (SweepResult r : results) {
            g.computeIfAbsent(r.overrides(), k -> new ArrayList<>()).add(r);
        }
        return new ArrayList<>(g.values());
    }

    /** The summary line. */
    public ObjectNode summaryLine(String sweep, int runs, int failed) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sweep", sweep);
        n.put("runs", runs);
        n.put("failed", failed);
        ArrayNode groups = n.putArray("groups");
        for (List<SweepResult> g : groups()) {
            ObjectNode o = groups.addObject();
            o.set("overrides", JSON.valueToTree(g.get(0).overrides()));
            o.put("n", g.size());
            put(o, "best_test_acc", g, SweepResult::bestTestAcc);
            put(o, "final_test_acc", g, SweepResult::finalTestAcc);
            o.put("train_samples_per_s_mean", mean(g, SweepResult::trainSamplesPerS));
            if (g.stream().allMatch(r -> r.energyUj() != null)) {
                put(o, "energy_per_sample_uj", g, r -> r.energyUj());
            }
        }
        return n;
    }

    private static void put(ObjectNode o, String name, List<SweepResult> g, ToDoubleFunction<SweepResult> f) {
        o.put(name + "_mean", mean(g, f));
        o.put(name + "_std", std(g, f));
    }

    static double mean(List<SweepResult> g, ToDoubleFunction<SweepResult> f) {
        double s = 0;
        for (SweepResult r : g) {
            s += f.applyAsDouble(r);
        }
        return s / g.size();
    }

    /** Sample standard deviation (n - 1); 0 for one value. */
    static double std(List<SweepResult> g, ToDoubleFunction<SweepResult> f) {
        if (g.size() < 2) {
            return 0;
        }
        double m = mean(g, f), s = 0;
        for (SweepResult r : g) {
            double d = f.applyAsDouble(r) - m;
            s += d * d;
        }
        return Math.sqrt(s / (g.size() - 1));
    }

    /** {@code sweep.html}. */
    public String page(String title, String detail) {
        List<SweepPage.KeyPlot> plots = new ArrayList<>();
        for (String key : keys) {
            Map<String, List<SweepResult>> byValue = new LinkedHashMap<>();
            for (SweepResult r : results) {
                byValue.computeIfAbsent(r.overrides().get(key), k -> new ArrayList<>()).add(r);
            }
            String[] values = byValue.keySet().toArray(new String[0]);
            double[] mean = new double[values.length], std = new double[values.length];
            int[] n = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                List<SweepResult> g = byValue.get(values[i]);
                mean[i] = mean(g, SweepResult::bestTestAcc);
                std[i] = std(g, SweepResult::bestTestAcc);
                n[i] = g.size();
            }
            plots.add(new SweepPage.KeyPlot(key, values, mean, std, n));
        }
        List<SweepPage.Group> groups = new ArrayList<>();
        for (List<SweepResult> g : groups()) {
            boolean energy = g.stream().allMatch(r -> r.energyUj() != null);
            groups.add(new SweepPage.Group(g.get(0).overrides(), g.size(), mean(g, SweepResult::bestTestAcc),
                    std(g, SweepResult::bestTestAcc), mean(g, SweepResult::finalTestAcc),
                    std(g, SweepResult::finalTestAcc), energy ? mean(g, r -> r.energyUj()) : null));
        }
        List<SweepPage.Run> runs = new ArrayList<>();
        for (SweepResult r : results) {
            runs.add(new SweepPage.Run(r.overrides(), r.seed(), r.bestTestAcc(), r.finalTestAcc(), r.trainSamplesPerS(),
                    r.energyUj(), SweepOutput.RUNS + "/" + r.name()));
        }
        return SweepPage.render(title, detail, plots, groups, runs);
    }
}
