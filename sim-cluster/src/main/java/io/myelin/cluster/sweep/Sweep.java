package io.myelin.cluster.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.cluster.ClusterSession;
import io.myelin.cluster.SharedPaths;
import io.myelin.cluster.SparkFailures;
import io.myelin.core.InvalidInputException;
import io.myelin.models.train.RunConfig;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.TaskFailedReason;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A seed and ablation sweep on Spark: the grid of {@code --vary} settings times the seeds, one Spark job of one task
 * per run (so a run that fails on every attempt fails alone), each task the ordinary trainer writing its run directory
 * under {@code OUT/runs}. Results come back as the runs finish; a lost or failed task is retried by Spark and resumes
 * from its checkpoint.
 */
public final class Sweep {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_PROPERTY = "myelin.run";

    /** What to sweep. */
    public record Spec(Path config, Path train, Path valid, Path test, Integer epochs, Integer batch, List<Long> seeds,
                       List<String> vary, Path out, Integer threads, boolean report, String energyModel) {
    }

    /** A planned sweep: its grid, its runs and its record. */
    public record Plan(SweepGrid grid, List<SweepRun> runs, JsonNode definition, Path out) {
    }

    /** A finished sweep. */
    public record Outcome(List<SweepResult> results, int failed, ObjectNode summary) {
    }

    private Sweep() {
    }

    /** Checks the spec and lists its runs, every run's config validated (nothing runs yet). */
    public static Plan plan(Spec s) {
        return plan(s, -1);
    }

    /** As {@link #plan(Spec)}; {@code failAfterEpochs} makes every run's first attempt fail (tests of retries). */
    public static Plan plan(Spec s, int failAfterEpochs) {
        if (s.seeds().isEmpty()) {
            throw new InvalidInputException("empty grid: --seeds lists no seed");
        }
        if (s.seeds().stream().distinct().count() != s.seeds().size()) {
            throw new InvalidInputException("--seeds lists a seed twice: " + s.seeds());
        }
        if (s.epochs() != null && s.epochs() < 1) {
            throw new InvalidInputException("--epochs must be >= 1, got " + s.epochs());
        }
        if (s.batch() != null && s.batch() < 1) {
            throw new InvalidInputException("--batch must be >= 1, got " + s.batch());
        }
        if (s.threads() != null && s.threads() < 1) {
            throw new InvalidInputException("--threads must be >= 1, got " + s.threads());
        }
        Path train = existing("--train", s.train()), test = existing("--test", s.test());
        Path valid = s.valid() == null ? null : existing("--valid", s.valid());
        Path out = SharedPaths.of("--out", s.out());
        RunConfig base = RunConfig.read(s.config());
        JsonNode baseJson = tree(base.toJson());
        SweepGrid grid = SweepGrid.of(s.vary(), baseJson);
        List<SweepRun> runs = new ArrayList<>();
        for (LinkedHashMap<String, String> point : grid.points()) {
            RunConfig varied = RunConfig.fromJson(SweepGrid.apply(baseJson, point).toString(), s.config() + " with "
                    + label(point));
            for (long seed : s.seeds()) {
                RunConfig c = varied.withSeed(seed);
                if (s.epochs() != null) {
                    c = c.withEpochs(s.epochs());
                }
                if (s.batch() != null) {
                    c = c.withBatch(s.batch());
                }
                int index = runs.size();
                String name = name(index, point, seed);
                runs.add(new SweepRun(index, name, point, seed, c.toJson(), train.toString(),
                        valid == null ? null : valid.toString(), test.toString(),
                        out.resolve(SweepOutput.RUNS).resolve(name).toString(),
                        s.threads() != null ? s.threads() : c.training().threads(), s.report(), s.energyModel(),
                        failAfterEpochs));
            }
        }
        ObjectNode def = JSON.createObjectNode();
        def.set("config", baseJson);
        ArrayNode vary = def.putArray("vary");
        for (SweepGrid.Vary v : grid.varies()) {
            vary.addObject().put("key", v.key()).set("values", JSON.valueToTree(v.values()));
        }
        def.set("seeds", JSON.valueToTree(s.seeds()));
        if (s.epochs() != null) {
            def.put("epochs", s.epochs());
        }
        if (s.batch() != null) {
            def.put("batch", s.batch());
        }
        def.put("train", train.toString());
        if (valid != null) {
            def.put("valid", valid.toString());
        }
        def.put("test", test.toString());
        def.put("report", s.report());
        if (s.report()) {
            def.put("energy_model", s.energyModel());
        }
        // as read back from sweep.json (numbers of the narrowest type), so that the same sweep compares equal
        return new Plan(grid, runs, tree(def.toString()), out);
    }

    /**
     * Runs a planned sweep on {@code session} into its claimed output: each finished run's line goes to
     * {@code lines} as it finishes, progress and retries to {@code progress} (null: none); then {@code sweep.jsonl}
     * and {@code sweep.html}.
     */
    public static Outcome execute(ClusterSession session, Plan plan, SweepOutput out, Consumer<SweepResult> onRun,
                                  Consumer<ObjectNode> onFailure, PrintStream progress) throws IOException {
        JavaSparkContext sc = session.context();
        List<SweepRun> runs = plan.runs();
        probeExecutors(sc, session.slots(), out.dir().resolve(SweepOutput.RUNS));
        Map<Integer, String> jobRuns = new ConcurrentHashMap<>();
        RetryReporter reporter = new RetryReporter(jobRuns, progress);
        sc.sc().addSparkListener(reporter);
        if (progress != null) {
            progress.printf("sweep: %d runs (%d settings x %d seeds) on %s, %d task slots; output in %s%n",
                    runs.size(), plan.grid().points().size(), runs.size() / Math.max(1, plan.grid().points().size()),
                    session.master(), session.slots(), out.dir());
        }
        List<JavaFutureAction<List<SweepResult>>> jobs = new ArrayList<>();
        for (SweepRun r : runs) {
            sc.setLocalProperty(RUN_PROPERTY, r.name());
            sc.setJobDescription("myelin sweep run " + r.name());
            jobs.add(sc.parallelize(List.of(r), 1).map(SweepTask::run).collectAsync());
        }
        sc.setLocalProperty(RUN_PROPERTY, null);
        List<SweepResult> results = new ArrayList<>();
        List<ObjectNode> failures = new ArrayList<>();
        boolean[] done = new boolean[runs.size()];
        int left = runs.size();
        try {
            while (left > 0) {
                boolean any = false;
                for (int i = 0; i < jobs.size(); i++) {
                    if (done[i] || !jobs.get(i).isDone()) {
                        continue;
                    }
                    done[i] = true;
                    left--;
                    any = true;
                    try {
                        SweepResult r = jobs.get(i).get().get(0);
                        results.add(r);
                        onRun.accept(r);
                    } catch (ExecutionException e) {
                        ObjectNode f = SweepSummary.failure(runs.get(i), SparkFailures.message(e));
                        failures.add(f);
                        onFailure.accept(f);
                    }
                }
                if (!any) {
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jobs.forEach(j -> j.cancel(true));
            throw new InvalidInputException("sweep interrupted");
        } finally {
            sc.sc().removeSparkListener(reporter);
        }
        results.sort(Comparator.comparingInt(SweepResult::index));
        SweepSummary summary = new SweepSummary(plan.grid().keys(), results);
        ObjectNode line = summary.summaryLine(out.dir().toString(), runs.size(), failures.size());
        StringBuilder all = new StringBuilder();
        for (SweepResult r : results) {
            all.append(SweepSummary.line(r)).append('\n');
        }
        for (ObjectNode f : failures) {
            all.append(f).append('\n');
        }
        all.append(line).append('\n');
        Files.writeString(out.dir().resolve(SweepOutput.RESULTS), all);
        Files.writeString(out.dir().resolve(SweepOutput.PAGE), summary.page(out.dir().getFileName().toString(),
                describe(plan)));
        return new Outcome(results, failures.size(), line);
    }

    /** One line a person reads for a finished run. */
    public static String human(SweepResult r, int runs) {
        String settings = label(r.overrides());
        return String.format(Locale.ROOT, "run %d/%d %sseed=%d: best %.2f%% (epoch %d of %d), final %.2f%%, %.1f "
                        + "samples/s%s%s [%.1f s on %s] -> %s", r.index() + 1, runs,
                settings.isEmpty() ? "" : settings + " ", r.seed(), 100 * r.bestTestAcc(), r.bestEpoch() + 1,
                r.epochs(), 100 * r.finalTestAcc(), r.trainSamplesPerS(),
                r.energyUj() == null ? "" : String.format(Locale.ROOT, ", %.4g µJ/sample", r.energyUj()),
                r.resumedFromEpoch() > 0 || r.attempt() > 0 ? ", attempt " + (r.attempt() + 1) + " resumed from epoch "
                        + r.resumedFromEpoch() : "", r.seconds(), r.executor(), r.runDir());
    }

    private static void probeExecutors(JavaSparkContext sc, int slots, Path runs) {
        String dir = runs.toString();
        List<Integer> probes = IntStream.range(0, slots).boxed().toList();
        try {
            sc.setJobDescription("myelin sweep: can every executor write --out?");
            sc.parallelize(probes, slots).map(i -> SweepTask.probe(dir)).collect();
        } catch (RuntimeException e) {
            throw new InvalidInputException(SparkFailures.message(e));
        }
    }

    private static String describe(Plan plan) {
        JsonNode d = plan.definition();
        return "config " + d.path("config").path("name").asText() + ", seeds " + d.path("seeds") + ", "
                + (d.has("epochs") ? d.path("epochs").asInt() + " epochs" : "the config's epochs") + ", train "
                + Path.of(d.path("train").asText()).getFileName() + ", test " + Path.of(d.path("test").asText()).getFileName();
    }

    static String label(Map<String, String> overrides) {
        StringBuilder b = new StringBuilder();
        overrides.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    /** {@code 003_model.delays=none,seed=1}: the index keeps names unique and in grid order. */
    static String name(int index, Map<String, String> overrides, long seed) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%03d_", index));
        overrides.forEach((k, v) -> b.append(k).append('=').append(v).append(','));
        b.append("seed=").append(seed);
        return b.toString().replaceAll("[^A-Za-z0-9._=,+-]", "_");
    }

    private static Path existing(String option, Path p) {
        Path a = SharedPaths.of(option, p);
        if (!Files.isRegularFile(a)) {
            throw new InvalidInputException(option + " " + p + " does not exist");
        }
        return a;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Says when a run's task is lost or fails and Spark runs it again. */
    private static final class RetryReporter extends SparkListener {
        private final Map<Integer, String> stageRuns;
        private final PrintStream out;

        RetryReporter(Map<Integer, String> stageRuns, PrintStream out) {
            this.stageRuns = stageRuns;
            this.out = out;
        }

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            String run = start.properties() == null ? null : start.properties().getProperty(RUN_PROPERTY);
            if (run != null) {
                for (StageInfo s : scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos())) {
                    stageRuns.put(s.stageId(), run);
                }
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            String run = stageRuns.get(end.stageId());
            if (out != null && run != null && end.reason() instanceof TaskFailedReason f) {
                String why = f.toErrorString();
                int nl = why.indexOf('\n');
                out.printf("sweep: run %s: attempt %d on executor %s ended (%s); Spark retries it and it resumes from"
                                + " its checkpoint%n", run, end.taskInfo().attemptNumber() + 1,
                        end.taskInfo().executorId(), nl < 0 ? why : why.substring(0, nl));
            }
        }
    }
}
