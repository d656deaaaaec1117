package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.models.train.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code myelin bench train}: training samples per second (optimisation steps only) and heap peak for a config.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training throughput (samples/s, evaluation excluded) and heap peak of a delay-SNN config; one JSON line.")
public final class BenchTrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOverrides overrides;

    @Option(names = "--config", required = true, description = "config JSON")
    Path config;

    @Option(names = "--train", required = true, description = "SHD/SSC-format training file")
    Path train;

    @Option(names = "--batches", defaultValue = "10", description = "timed batches (default: ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed batches first, at least (default:"
            + " ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--max-warmup", defaultValue = "30", description = "untimed batches at most: beyond --warmup,"
            + " batches run untimed while the JIT compiler is still busy (it compiled for more than 2%% of the last"
            + " batch's time), so that the timed steps run compiled code; --max-warmup equal to --warmup: a fixed"
            + " warm-up (default: ${DEFAULT-VALUE})")
    int maxWarmup;

    @Option(names = "--sig", description = "hold the delay kernels' SIG at this value (sigma = |SIG| + 0.27); default:"
            + " the initial taps/2")
    Double sig;

    @Option(names = "--from", description = "start from the model saved in this run directory (weights, BatchNorm"
            + " statistics, SIG unless --sig) instead of the config's initialisation, so that the timed steps see a"
            + " trained network's spike densities; same architecture as the config")
    Path from;

    @Option(names = "--profile", description = "also report the seconds spent in each layer's forward and backward"
            + " pass, the loss and the optimizer (\"stages\")")
    boolean profile;

    @Option(names = "--pair-threads", defaultValue = "0", description = "also run every batch (warm-up and timed) on"
            + " this many threads, right before or after its step on --threads (alternating), and report the"
            + " speed-up batch by batch: a thread-scaling figure that drift between two processes cannot bend"
            + " (default: 0, none)")
    int pairThreads;

    @Option(names = "--schedule", description = "time --batches steps at every SIG the config's run trains at (the"
            + " annealing epochs one by one, then the final SIG), each after its own warm-up, and report the run's mean"
            + " samples/s weighted by epochs; not with --sig, --profile or --pair-threads")
    boolean schedule;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DelaySnnConfig cfg = (DelaySnnConfig) overrides.threads(overrides.changes().apply(DelaySnnConfig.read(config)),
                spec.commandLine().getErr());
        if (schedule) {
            return schedule(cfg);
        }
        TrainingBenchmark.Result r = TrainingBenchmark.run(cfg, train, batches, warmup, Math.max(warmup, maxWarmup), sig,
                profile, from, pairThreads);
        ObjectNode n = header(cfg);
        n.put("sigma", r.sigma());
        n.put("sigma_truncation", cfg.model().sigmaTruncation());
        n.put("samples_per_s", r.samplesPerSecond());
        n.put("seconds", r.seconds());
        n.put("cpu_seconds", r.cpuSeconds());
        n.put("warmup_batches", r.warmupBatches());
        n.put("warmup_s", r.warmupSeconds());
        n.put("peak_heap_mb", r.peakHeapBytes() / 1048576.0);
        n.put("max_heap_mb", r.maxHeapBytes() / 1048576.0);
        if (r.pair() != null) {
            ObjectNode p = n.putObject("pair");
            p.put("threads", r.pair().threads());
            p.put("samples_per_s", r.pair().samplesPerSecond());
            p.put("seconds", r.pair().seconds());
            n.put("speedup_over_pair", r.pair().speedup(r));
            n.put("min_batch_speedup", r.pair().minSpeedup());
            n.put("median_batch_speedup", r.pair().medianSpeedup());
            ArrayNode each = n.putArray("batch_speedups");
            for (double x : r.pair().speedups()) {
                each.add(x);
            }
        }
        if (profile) {
            ObjectNode st = n.putObject("stages");
            r.stageSeconds().forEach(st::put);
        }
        return print(n);
    }

    private int schedule(DelaySnnConfig cfg) {
        if (sig != null || profile || pairThreads != 0) {
            throw new InvalidInputException("--schedule sets the SIG itself and times whole steps: leave out --sig,"
                    + " --profile and --pair-threads");
        }
        TrainingBenchmark.Schedule s = TrainingBenchmark.runSchedule(cfg, train, batches, warmup,
                Math.max(warmup, maxWarmup), from);
        ObjectNode n = header(cfg);
        n.put("sigma_truncation", cfg.model().sigmaTruncation());
        n.put("epochs", s.epochs());
        n.put("samples_per_s", s.samplesPerSecond());
        ArrayNode points = n.putArray("schedule");
        for (TrainingBenchmark.SchedulePoint p : s.points()) {
            ObjectNode o = points.addObject();
            o.put("sig", p.sig());
            o.put("sigma", p.result().sigma());
            o.put("epochs", p.epochs());
            o.put("samples_per_s", p.result().samplesPerSecond());
            o.put("warmup_batches", p.result().warmupBatches());
        }
        return print(n);
    }

    /** The fields every {@code bench train} line starts with. */
    private ObjectNode header(DelaySnnConfig cfg) {
        ObjectNode n = Json.object();
        n.put("bench", "train");
        n.put("config", cfg.name());
        n.put("data", train.toString());
        n.put("batch", cfg.training().batch());
        n.put("batches", batches);
        n.put("threads", cfg.training().threads());
        return n;
    }

    private int print(ObjectNode line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
