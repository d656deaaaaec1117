package io.myelin.models.delay.inference;

import io.myelin.core.InvalidInputException;
import io.myelin.models.data.BinnedSet;
import io.myelin.core.engine.EngineOptions;
import io.myelin.core.engine.Engines;
import io.myelin.core.engine.ExecutionStrategy;
import io.myelin.models.delay.DelaySnn;
import io.myelin.models.delay.EngineAgreement;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Evaluation;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference throughput of a trained delay SNN on a data set, per path, for benchmarks: every path runs the whole set
 * {@code warmup} times untimed (the JIT compiles the loops) and {@code repeats} times timed; the best run counts.
 * Paths: {@code reference} (the training code's batched evaluation pass), {@code eval} ({@link DelaySnnInference}
 * over groups of {@code batch} samples), {@code eval1} (one sample at a time, its layers split over the threads),
 * {@code clock} and {@code event} (the exported network in each engine, compiled once per thread, samples split over
 * the threads; the engines' default, layered execution) and {@code clock-stepwise}, {@code event-stepwise} (the same
 * on the engines' own step loops). The engine paths put each sample's spikes on the engine's step grid once, in their
 * first pass ({@link io.myelin.core.engine.PreparedSpikes}; its cost is reported apart), as every path's samples were
 * binned once when the file was read: so the timed passes of all paths start from prepared data.
 */
public final class InferenceBenchmark {
    public static final List<String> PATHS = List.of("reference", "eval", "eval1", "clock", "event", "clock-stepwise",
            "event-stepwise");

    private InferenceBenchmark() {
    }

    /**
     * One path's figures.
     *
     * @param samplesPerSecond best of the timed runs
     * @param cpuSeconds       process CPU time of that run (all threads)
     * @param accuracy         of the predictions
     * @param predictions      of the last run
     * @param prepareSeconds   engine paths: thread-seconds spent once putting the data set's samples on the engine's
     *                         step grid ({@link io.myelin.core.engine.PreparedSpikes}), in the first (warm-up) pass, as
     *                         eval's samples were binned once when the file was read; 0 for the other paths
     */
    public record PathResult(String path, double samplesPerSecond, double seconds, double cpuSeconds, double accuracy,
                             int[] predictions, double prepareSeconds) {
        public PathResult(String path, double samplesPerSecond, double seconds, double cpuSeconds, double accuracy,
                          int[] predictions) {
            this(path, samplesPerSecond, seconds, cpuSeconds, accuracy, predictions, 0);
        }
    }

    /**
     * @param eventsPerSample synaptic events per sample (first layer multiply-accumulates, then accumulates)
     * @param paths           by name, in the order run
     */
    public record Result(int samples, int threads, int batch, double[] eventsPerSample, Map<String, PathResult> paths) {
        public double totalEventsPerSample() {
            double s = 0;
            for (double e : eventsPerSample) {
                s += e;
            }
            return s;
        }
    }

    public static Result run(DelaySnn model, BinnedSet data, List<String> paths, int threads, int batch, int warmup,
                             int repeats) {
        if (threads < 1 || batch < 1 || warmup < 0 || repeats < 1) {
            throw new InvalidInputException("threads, batch and repeats must be >= 1 and warm-up >= 0");
        }
        for (String p : paths) {
            if (!PATHS.contains(p)) {
                throw new InvalidInputException("unknown inference path '" + p + "'; choose from " + PATHS);
            }
        }
        Map<String, PathResult> out = new LinkedHashMap<>();
        double[] events = null;
        try (Workers workers = new Workers(threads)) {
            model.setWorkers(workers);
            for (String p : paths) {
                if (p.startsWith("clock") || p.startsWith("event")) {
                    int[] reference = new int[data.size()];   // agreement is computed by the caller
                    out.put(p, engine(model, data, p, workers, warmup, repeats, reference));
                    continue;
                }
                DelaySnnInference inf = p.equals("reference") ? null : DelaySnnInference.of(model, workers);
                int b = p.equals("eval1") ? 1 : batch;
                PathResult best = null;
                for (int r = 0; r < warmup + repeats; r++) {
                    long cpu0 = processCpuNanos();
                    Evaluation.Result e = inf == null
                            ? Evaluation.run(data, b, model.evaluationPadding(), model::predict)
                            : Evaluation.run(data, b, inf::predict);
                    double cpu = (processCpuNanos() - cpu0) / 1e9;
                    if (r >= warmup && (best == null || e.samplesPerSecond() > best.samplesPerSecond())) {
                        best = new PathResult(p, e.samplesPerSecond(), e.seconds(), cpu, e.accuracy(), e.predictions());
                    }
                }
                out.put(p, best);
                if (inf != null && events == null) {
                    long[] ev = inf.synapticEvents();
                    events = new double[ev.length];
                    for (int k = 0; k < ev.length; k++) {
                        events[k] = (double) ev[k] / ((double) (warmup + repeats) * data.size());
                    }
                }
            }
        } finally {
            model.setWorkers(Workers.serial());
        }
        return new Result(data.size(), threads, batch, events == null ? new double[0] : events, out);
    }

    /** The exported network through an engine: one engine (network compiled once) per thread, kept by every pass. */
    private static PathResult engine(DelaySnn model, BinnedSet data, String path, Workers workers, int warmup,
                                     int repeats, int[] reference) {
        String name = path.startsWith("clock") ? Engines.CLOCK : Engines.EVENT;
        EngineOptions options = EngineOptions.defaults().withExecution(path.endsWith("-stepwise")
                ? ExecutionStrategy.STEPWISE : ExecutionStrategy.AUTO);
        PathResult best = null;
        try (EngineAgreement.Session session = new EngineAgreement.Session(model, name, options, workers)) {
            for (int r = 0; r < warmup + repeats; r++) {
                long cpu0 = processCpuNanos();
                EngineAgreement.Result e = session.check(data, reference);
                double cpu = (processCpuNanos() - cpu0) / 1e9;
                if (r >= warmup && (best == null || e.samplesPerSecond() > best.samplesPerSecond())) {
                    best = new PathResult(path, e.samplesPerSecond(), e.seconds(), cpu, e.engineAccuracy(),
                            e.enginePredictions(), session.prepareSeconds());
                }
            }
        }
        return best;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
    }

    /** Path names from a comma-separated list. */
    public static List<String> parsePaths(String list) {
        List<String> p = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                p.add(s.trim());
            }
        }
        return p;
    }
}
