package io.myelin.models.train;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.layer.DelayKernels;
import io.myelin.models.tensor.Workers;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of a config on real data, for benchmarks: warm-up batches, then timed optimisation steps
 * (evaluation excluded), at a chosen delay-kernel SIG (the recipe anneals it from taps/2 to 0.23, and the cost of the
 * Gaussian window follows it). Reports the heap pools' peak usage over the timed part as well.
 *
 * <p>The warm-up lasts at least the batches asked for and, up to a cap, until the JIT compiler has settled: until it
 * compiled for at most {@value #SETTLED_SHARE} of the last warm-up batch's wall time. Until the Vector API kernels
 * are compiled by C2 they run as slow Java on boxed vectors, and the compiler threads share the cores with the
 * workers; a fixed two batches left part of that in the timed steps, more of it with two threads than with one (the
 * second core then compiles for free), which made the two-thread speed-up vary from run to run.
 *
 * <p>Asked for a second thread count ({@code pairThreads}), it times every batch of the warm-up and the timed part on
 * both, one right after the other on the same samples (which goes first alternates), so that the speed-up from one
 * thread count to the other is measured batch by batch in the same minutes, the same process and the same JIT state:
 * two processes run one after the other on a shared machine drift apart by more than the speed-up's margin. Results
 * do not depend on the thread count, so the extra steps change only the state the next batch starts from (one more
 * optimisation step), not what a batch costs.
 */
public final class TrainingBenchmark {
    private TrainingBenchmark() {
    }

    /**
     * Throughput and memory of one measurement.
     *
     * @param cpuSeconds    the process's CPU time over the timed steps (all threads, the JVM's own included, and the
     *                      paired steps' too where there are any): on a machine shared with other work, a steadier
     *                      measure of the work done than the wall time
     * @param warmupBatches the untimed batches run first (at least the warm-up asked for; more while the JIT compiler
     *                      was still busy)
     * @param warmupSeconds their wall time, s
     * @param pair          the same batches timed on another thread count, each right beside its main step; null
     *                      when not asked for
     */
    public record Result(int batches, int batch, double seconds, double samplesPerSecond, double sigma,
                         long peakHeapBytes, long maxHeapBytes, Map<String, Double> stageSeconds, double cpuSeconds,
                         int warmupBatches, double warmupSeconds, Pair pair) {
    }

    /**
     * The timed batches on the paired thread count.
     *
     * @param threads          the paired thread count
     * @param seconds          wall time of its steps, s
     * @param samplesPerSecond samples over that time
     * @param speedups         per batch: the paired step's wall time over the main step's (the main thread count's
     *                         speed-up over the paired one), in batch order
     */
    public record Pair(int threads, double seconds, double samplesPerSecond, double[] speedups) {
        /** The paired steps' total time over the main steps' total time. */
        public double speedup(Result main) {
            return seconds / main.seconds();
        }

        /** The smallest per-batch speed-up. */
        public double minSpeedup() {
            return Arrays.stream(speedups).min().orElse(Double.NaN);
        }

        /** The median per-batch speed-up. */
        public double medianSpeedup() {
            double[] s = speedups.clone();
            Arrays.sort(s);
            int n = s.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }
    }

    /** The JIT has settled when it compiled for at most this share of a warm-up batch's wall time. */
    static final double SETTLED_SHARE = 0.02;

    public static Result run(RunConfig cfg, Path train, int batches, int warmup, Double sig) {
        return run(cfg, train, batches, warmup, sig, false);
    }

    /** {@link #run(RunConfig, Path, int, int, int, Double, boolean, Path)} with a fixed warm-up. */
    public static Result run(RunConfig cfg, Path train, int batches, int warmup, Double sig, boolean profile,
                             Path from) {
        return run(cfg, train, batches, warmup, warmup, sig, profile, from);
    }

    /**
     * @param profile also time every layer's forward and backward pass and the optimizer over the timed batches
     *                (an empty map otherwise)
     */
    public static Result run(RunConfig cfg, Path train, int batches, int warmup, Double sig, boolean profile) {
        return run(cfg, train, batches, warmup, sig, profile, null);
    }

    /**
     * @param warmup    untimed batches first, at least
     * @param maxWarmup untimed batches at most: beyond {@code warmup}, batches run untimed while the JIT compiler
     *                  compiled for more than {@value #SETTLED_SHARE} of the last one's wall time ({@code warmup}: a
     *                  fixed warm-up)
     * @param from a run directory whose saved model (weights, BatchNorm statistics, SIG) the timed steps start from,
     *             so that a profile sees a trained network's spike densities; null: the config's initialisation
     */
    public static Result run(RunConfig cfg, Path train, int batches, int warmup, int maxWarmup, Double sig,
                             boolean profile, Path from) {
        return run(cfg, train, batches, warmup, maxWarmup, sig, profile, from, 0);
    }

    /**
     * @param pairThreads time every batch on this many threads as well, right beside its step on the config's
     *                    threads (0: not)
     */
    public static Result run(RunConfig cfg, Path train, int batches, int warmup, int maxWarmup, Double sig,
                             boolean profile, Path from, int pairThreads) {
        checkBounds(batches, warmup, maxWarmup);
        if (pairThreads < 0) {
            throw new InvalidInputException("the paired thread count must be >= 1 (0: none), got " + pairThreads);
        }
        return measure(Recipes.of(cfg), cfg, train, batches, warmup, maxWarmup, sig, profile, from, pairThreads);
    }

    private static void checkBounds(int batches, int warmup, int maxWarmup) {
        if (batches < 1 || warmup < 0 || maxWarmup < warmup) {
            throw new InvalidInputException("batches must be >= 1, warm-up >= 0 and the most warm-up batches >= the"
                    + " warm-up (" + batches + ", " + warmup + ", " + maxWarmup + ")");
        }
    }

    /**
     * One epoch group of {@link #runSchedule}: the SIG its epochs train at, how many they are, and the measurement.
     */
    public record SchedulePoint(double sig, int epochs, Result result) {
    }

    /**
     * A whole run's training speed from its SIG schedule, which sets what a batch costs.
     *
     * @param points           per group of consecutive epochs at one SIG (the annealing epochs one by one, then the
     *                         epochs at the final SIG together), in epoch order
     * @param samplesPerSecond the run's mean: every epoch has the same samples, so the epochs over the sum of each
     *                         group's epochs divided by its samples/s
     */
    public record Schedule(int epochs, List<SchedulePoint> points, double samplesPerSecond) {
    }

    /**
     * Times {@code batches} steps at every SIG the config's run trains at (the recipe's own end-of-epoch schedule,
     * played on a fresh model), each point from the config's initialisation (or {@code from}) with its own warm-up,
     * and weighs them by their epochs. One command for a full run's training speed, where a run takes hours.
     */
    public static Schedule runSchedule(RunConfig cfg, Path train, int batches, int warmup, int maxWarmup, Path from) {
        checkBounds(batches, warmup, maxWarmup);
        return schedule(Recipes.of(cfg), cfg, train, batches, warmup, maxWarmup, from);
    }

    private static <C extends RunConfig, M extends TrainedModel> Schedule schedule(Recipe<C, M> recipe,
                                                                                  RunConfig config, Path train,
                                                                                  int batches, int warmup,
                                                                                  int maxWarmup, Path from) {
        C cfg = recipe.configType().cast(config);
        int epochs = cfg.training().epochs();
        SpikeDataset ds = Hdf5SpikeDataset.open(train);
        BinnedSet set = new BinnedSet(ds, cfg.data().binner());
        M model = recipe.build(cfg, set.channels(), set.source().classes());
        DelayKernels kernels = DelayKernels.of(model);
        if (Double.isNaN(kernels.sig())) {
            throw new InvalidInputException(cfg.name() + ": a SIG schedule needs learned delays, and this model has"
                    + " none");
        }
        Learner learner = recipe.learner(cfg, model, Phase.only(cfg), null);
        double[] sig = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            sig[e] = kernels.sig();
            learner.endEpoch(e, epochs);
        }
        List<SchedulePoint> points = new ArrayList<>();
        double time = 0;
        for (int e = 0; e < epochs; ) {
            int n = 1;
            while (e + n < epochs && sig[e + n] == sig[e]) {
                n++;
            }
            Result r = measure(recipe, cfg, set, batches, warmup, maxWarmup, sig[e], false, from, 0);
            points.add(new SchedulePoint(sig[e], n, r));
            time += n / r.samplesPerSecond();
            e += n;
        }
        return new Schedule(epochs, List.copyOf(points), epochs / time);
    }

    private static <C extends RunConfig> Result measure(Recipe<C, ?> recipe, RunConfig config, Path train, int batches,
                                                        int warmup, int maxWarmup, Double sig, boolean profile,
                                                        Path from, int pairThreads) {
        C cfg = recipe.configType().cast(config);
        SpikeDataset ds = Hdf5SpikeDataset.open(train);
        BinnedSet set = new BinnedSet(ds, cfg.data().binner());
        return measure(recipe, cfg, set, batches, warmup, maxWarmup, sig, profile, from, pairThreads);
    }

    private static <C extends RunConfig, M extends TrainedModel> Result measure(Recipe<C, M> recipe, C cfg,
                                                                                BinnedSet set, int batches, int warmup,
                                                                                int maxWarmup, Double sig,
                                                                                boolean profile, Path from,
                                                                                int pairThreads) {
        M model = recipe.build(cfg, set.channels(), set.source().classes());
        if (from != null) {
            RunStore store = RunStore.of(from);
            M saved = store.loadModel(recipe.modelType());
            if (saved.inputs() != model.inputs() || saved.classes() != model.classes()) {
                throw new InvalidInputException(from + " holds a model of " + saved.inputs() + " inputs and "
                        + saved.classes() + " classes; the config and data give " + model.inputs() + " and "
                        + model.classes());
            }
            Map<String, float[]> state = saved.state();
            model.loadState((name, length) -> {
                float[] v = state.get(name);
                if (v == null || v.length != length) {
                    throw new InvalidInputException(from + " holds a model of another shape than the config's ("
                            + name + ")");
                }
                return v;
            });
        }
        DelayKernels kernels = DelayKernels.of(model);
        if (sig != null) {
            kernels.setSig(sig);
        }
        // the config trained alone: no earlier phase (a distillation teacher) to learn from
        Learner learner = recipe.learner(cfg, model, Phase.only(cfg), null);
        int batch = cfg.training().batch();
        int[] order = SpikeDataset.Shuffle.permutation(set.size(), cfg.training().seed());
        try (Workers workers = new Workers(cfg.training().threads());
             Workers paired = pairThreads > 0 ? new Workers(pairThreads) : null) {
            Runner main = new Runner(model, learner, workers), other = paired != null
                    ? new Runner(model, learner, paired) : null;
            // warm-up: the first batches, then (while the JIT is busy) the first batches again, so that the timed
            // steps always take the same samples
            JitClock jit = new JitClock();
            long w0 = System.nanoTime();
            int warmed = 0;
            boolean settled = false;
            while (warmed < warmup || (warmed < maxWarmup && !settled)) {
                long b0 = System.nanoTime(), c0 = jit.millis();
                int slice = warmup == 0 ? 0 : warmed % warmup;
                main.step(set, order, batch, slice, warmed, null, kernels, sig);
                if (other != null) {
                    other.step(set, order, batch, slice, warmed, null, kernels, sig);
                }
                warmed++;
                settled = jit.settled(c0, b0);
            }
            double warmupSec = (System.nanoTime() - w0) / 1e9;
            resetPeaks();
            StageTimes times = new StageTimes();
            long mainNanos = 0, otherNanos = 0;
            double[] speedups = new double[other == null ? 0 : batches];
            long cpu0 = processCpuNanos(), loop0 = System.nanoTime();
            for (int j = 0; j < batches; j++) {
                int slice = warmup + j;
                StageTimes t = profile ? times : null;
                if (other == null) {
                    mainNanos += main.step(set, order, batch, slice, slice, t, kernels, sig);
                    continue;
                }
                // which thread count goes first alternates, so that neither always meets the other's leftovers
                long a, b;
                if (j % 2 == 0) {
                    a = main.step(set, order, batch, slice, slice, t, kernels, sig);
                    b = other.step(set, order, batch, slice, slice, null, kernels, sig);
                } else {
                    b = other.step(set, order, batch, slice, slice, null, kernels, sig);
                    a = main.step(set, order, batch, slice, slice, t, kernels, sig);
                }
                mainNanos += a;
                otherNanos += b;
                speedups[j] = (double) b / a;
            }
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            // alone, the loop's wall time as before; paired, the main steps' own
            double sec = (other == null ? System.nanoTime() - loop0 : mainNanos) / 1e9;
            Pair pair = other == null ? null : new Pair(pairThreads, otherNanos / 1e9,
                    batches * (double) batch / (otherNanos / 1e9), speedups);
            return new Result(batches, batch, sec, batches * (double) batch / sec, kernels.sigma(), peakHeap(),
                    Runtime.getRuntime().maxMemory(), times.seconds(), cpu, warmed, warmupSec, pair);
        }
    }

    /** Optimisation steps of one model and learner on one set of workers, timed. */
    private record Runner(TrainedModel model, Learner learner, Workers workers) {
        /** One step on these workers (the SIG held where asked), its stage times into {@code times}; wall ns. */
        long step(BinnedSet set, int[] order, int batch, int slice, long stepIndex, StageTimes times,
                  DelayKernels kernels, Double sig) {
            model.setWorkers(workers);
            learner.setWorkers(workers);
            model.setStageTimes(times);
            long t0 = System.nanoTime();
            TrainingBenchmark.step(learner, set, order, batch, slice, stepIndex, times);
            long dt = System.nanoTime() - t0;
            if (sig != null) {
                kernels.setSig(sig);
            }
            return dt;
        }
    }

    /** One optimisation step on the {@code slice}-th batch of the shuffled order (wrapping round the set). */
    private static void step(Learner learner, BinnedSet set, int[] order, int batch, int slice, long stepIndex,
                             StageTimes times) {
        int s = (slice * batch) % Math.max(1, set.size() - batch + 1);
        int[] idx = java.util.Arrays.copyOfRange(order, s, Math.min(set.size(), s + batch));
        learner.step(set.batch(idx, 0), stepIndex, times);
    }

    /** The JIT compilers' accumulated time, where the JVM reports it. */
    private static final class JitClock {
        private final CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        private final boolean known = bean != null && bean.isCompilationTimeMonitoringSupported();

        long millis() {
            return known ? bean.getTotalCompilationTime() : 0;
        }

        /**
         * Whether the compilers worked for at most {@link #SETTLED_SHARE} of the wall time since {@code wall0} (ns),
         * given their time {@code jit0} (ms) then; true where the JVM does not report it (a fixed warm-up).
         */
        boolean settled(long jit0, long wall0) {
            return !known || TrainingBenchmark.settled(millis() - jit0, (System.nanoTime() - wall0) / 1e6);
        }
    }

    /** Whether {@code jitMs} of compilation over {@code wallMs} of a warm-up batch means the JIT has settled. */
    static boolean settled(double jitMs, double wallMs) {
        return jitMs <= SETTLED_SHARE * wallMs;
    }

    /** The process's CPU time in ns (-1 where the platform does not tell). */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
