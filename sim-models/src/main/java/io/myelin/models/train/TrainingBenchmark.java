package io.myelin.models.train;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.layer.DelayKernels;
import io.myelin.models.tensor.Workers;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Map;

/**
 * Training throughput of a config on real data, for benchmarks: warm-up batches, then timed optimisation steps
 * (evaluation excluded), at a chosen delay-kernel SIG (the recipe anneals it from taps/2 to 0.23, and the cost of the
 * Gaussian window follows it). Reports the heap pools' peak usage over the timed part as well.
 */
public final class TrainingBenchmark {
    private TrainingBenchmark() {
    }

    /** Throughput and memory of one measurement. */
    /**
     * @param cpuSeconds the process's CPU time over the timed steps (all threads, the JVM's own included): on a
     *                   machine shared with other work, a steadier measure of the work done than the wall time
     */
    public record Result(int batches, int batch, double seconds, double samplesPerSecond, double sigma,
                         long peakHeapBytes, long maxHeapBytes, Map<String, Double> stageSeconds, double cpuSeconds) {
    }

    public static Result run(RunConfig cfg, Path train, int batches, int warmup, Double sig) {
        return run(cfg, train, batches, warmup, sig, false);
    }

    /**
     * @param profile also time every layer's forward and backward pass and the optimizer over the timed batches
     *                (an empty map otherwise)
     */
    public static Result run(RunConfig cfg, Path train, int batches, int warmup, Double sig, boolean profile) {
        return run(cfg, train, batches, warmup, sig, profile, null);
    }

    /**
     * @param from a run directory whose saved model (weights, BatchNorm statistics, SIG) the timed steps start from,
     *             so that a profile sees a trained network's spike densities; null: the config's initialisation
     */
    public static Result run(RunConfig cfg, Path train, int batches, int warmup, Double sig, boolean profile,
                             Path from) {
        if (batches < 1 || warmup < 0) {
            throw new InvalidInputException("batches must be >= 1 and warm-up >= 0");
        }
        return measure(Recipes.of(cfg), cfg, train, batches, warmup, sig, profile, from);
    }

    private static <C extends RunConfig> Result measure(Recipe<C, ?> recipe, RunConfig config, Path train, int batches,
                                                        int warmup, Double sig, boolean profile, Path from) {
        C cfg = recipe.configType().cast(config);
        SpikeDataset ds = Hdf5SpikeDataset.open(train);
        BinnedSet set = new BinnedSet(ds, cfg.data().binner());
        return measure(recipe, cfg, set, batches, warmup, sig, profile, from);
    }

    private static <C extends RunConfig, M extends TrainedModel> Result measure(Recipe<C, M> recipe, C cfg,
                                                                                BinnedSet set, int batches, int warmup,
                                                                                Double sig, boolean profile, Path from) {
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
        try (Workers workers = new Workers(cfg.training().threads())) {
            model.setWorkers(workers);
            learner.setWorkers(workers);
            long t0 = 0, cpu0 = 0;
            StageTimes times = new StageTimes();
            for (int k = 0; k < warmup + batches; k++) {
                if (k == warmup) {
                    resetPeaks();
                    if (profile) {
                        model.setStageTimes(times);
                    }
                    t0 = System.nanoTime();
                    cpu0 = processCpuNanos();
                }
                int s = (k * batch) % Math.max(1, set.size() - batch + 1);
                int[] idx = java.util.Arrays.copyOfRange(order, s, Math.min(set.size(), s + batch));
                learner.step(set.batch(idx, 0), k, k >= warmup && profile ? times : null);
                if (sig != null) {
                    kernels.setSig(sig);
                }
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            return new Result(batches, batch, sec, batches * (double) batch / sec, kernels.sigma(), peakHeap(),
                    Runtime.getRuntime().maxMemory(), times.seconds(), cpu);
        }
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
