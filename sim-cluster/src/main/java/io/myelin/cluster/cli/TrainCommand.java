package io.myelin.cluster.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.cluster.ClusterSession;
import io.myelin.cluster.SharedPaths;
import io.myelin.cluster.parallel.SparkShards;
import io.myelin.core.InvalidInputException;
import io.myelin.core.energy.EnergyModel;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.ConfigChanges;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.RunRequest;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.models.train.shard.LocalShards;
import io.myelin.models.train.shard.Sharding;
import io.myelin.report.ModelReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code myelin-cluster train --workers K}: synchronous data-parallel training, the ordinary trainer with every batch
 * cut into K shards whose gradients Spark tasks compute (with {@code --master}) or K replicas in this process (without):
 * the same model, bit for bit, either way.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train as myelin train does, data-parallel: each batch cut into K shards whose gradients K Spark"
                + " tasks compute (broadcast parameters, gradients summed in shard order on the driver, one optimizer"
                + " step). Without --master, the same K shards run in this process: the same model bit for bit.",
                "  myelin-cluster train --config C.json --train F --test F --out DIR --master spark://HOST:7077"
                        + " --workers 8"})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", description = "config JSON; with --resume the run's own config is used")
    Path configFile;

    @Mixin
    DataOptions data;

    @Option(names = "--out", description = "run directory (metrics.jsonl, checkpoint.bin, model.json + weights)")
    Path out;

    @Option(names = "--resume", description = "continue the run in this directory from its checkpoint (same --workers"
            + " and --batchnorm)")
    Path resume;

    @Option(names = "--workers", required = true, description = "K: shards of every batch, one Spark task each")
    int workers;

    @Option(names = "--batchnorm", defaultValue = "shard", description = "BatchNorm statistics in training: shard (each"
            + " shard's own, running statistics from shard 0's, as PyTorch DDP) or sync (over all shards; runs each"
            + " step as a barrier stage); default ${DEFAULT-VALUE}")
    String batchNorm;

    @Option(names = "--barrier", description = "run every step as a Spark barrier stage (all shards at once) even with"
            + " BatchNorm per shard")
    boolean barrier;

    @Option(names = "--task-threads", description = "worker threads of one shard task (default: spark.task.cpus, 1"
            + " unless set; results do not depend on it)")
    Integer taskThreads;

    @Option(names = "--epochs", description = "override training.epochs")
    Integer epochs;

    @Option(names = "--batch", description = "override training.batch (the global batch, cut into the K shards)")
    Integer batch;

    @Option(names = "--seed", description = "override training.seed")
    Long seed;

    @Option(names = "--threads", description = "override training.threads: the driver's evaluation, and the shards"
            + " without --master")
    Integer threads;

    @Option(names = "--sigma-truncation", description = "override model.sigmaTruncation (Gaussian window in sigmas,"
            + " 0: none)")
    Double sigmaTruncation;

    @Option(names = "--json", description = "print one JSON summary line at the end")
    boolean json;

    @Option(names = "--quiet", description = "no progress output")
    boolean quiet;

    @Option(names = "--overwrite", description = "start afresh even if --out already holds a run")
    boolean overwrite;

    @Mixin
    ReportOptions report;

    @Mixin
    SparkOptions spark;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (workers < 1) {
            throw new InvalidInputException("--workers must be >= 1, got " + workers);
        }
        if (taskThreads != null && taskThreads < 1) {
            throw new InvalidInputException("--task-threads must be >= 1, got " + taskThreads);
        }
        Sharding sharding = new Sharding(workers, Sharding.BatchNormMode.of(batchNorm));
        RunRequest request = new RunRequest(configFile, SharedPaths.of("--out", out), SharedPaths.of("--resume", resume));
        RunConfig cfg = request.config(new ConfigChanges(epochs, batch, seed, sigmaTruncation));
        if (threads != null) {
            cfg = cfg.withThreads(threads);
        }
        Path dir = request.dir();
        if (cfg.training().batch() < workers) {
            throw new InvalidInputException("training.batch (" + cfg.training().batch() + ") must be at least --workers ("
                    + workers + "): each shard needs samples");
        }
        if (overwrite && request.resume() == null) {
            RunStore.of(dir).clear(cfg);
        }
        PrintStream err = quiet ? null : System.err;
        TrainingFiles files = data.files();
        Trainer.Summary s;
        if (spark.master == null && System.getProperty("spark.master") == null) {
            Trainer t = new Trainer(cfg, files, dir, err).sharded(sharding, LocalShards.BACKEND);
            s = request.resume() != null ? t.resume() : t.train();
        } else {
            try (ClusterSession session = spark.open("myelin train " + dir.getFileName() + " on " + workers
                    + " workers")) {
                if (err != null) {
                    err.printf("train: %s on %s (%d task slots)%n", sharding.describe(), session.master(),
                            session.slots());
                }
                Trainer t = new Trainer(cfg, files, dir, err).sharded(sharding,
                        SparkShards.backend(session.context(), barrier,
                                taskThreads != null ? taskThreads : spark.taskCpus()));
                s = request.resume() != null ? t.resume() : t.train();
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("config", cfg.name());
            n.put("epochs", s.epochs());
            n.put("workers", workers);
            n.put("batchnorm", sharding.batchNorm().label);
            n.put("best_test_acc", s.bestTestAcc());
            n.put("final_test_acc", s.finalTestAcc());
            if (!Double.isNaN(s.bestValidAcc())) {
                n.put("best_valid_acc", s.bestValidAcc());
            }
            n.put("best_epoch", s.bestEpoch());
            n.put("train_samples_per_s", s.trainSamplesPerSecond());
            n.put("parameters", s.parameters());
            n.put("model", s.modelDir().toString());
            o.println(n);
        } else {
            o.printf("best test accuracy %.2f%% (epoch %d), final %.2f%%, %d parameters, %.1f training samples/s with"
                            + " %s; model in %s%n", 100 * s.bestTestAcc(), s.bestEpoch() + 1, 100 * s.finalTestAcc(),
                    s.parameters(), s.trainSamplesPerSecond(), sharding.describe(), s.modelDir());
        }
        o.flush();
        if (report.report) {
            Path r = s.modelDir().resolve("report");
            ModelReports.write(ModelReports.of(s.modelDir(), files.test(), 0, s.modelDir().resolve(RunStore.METRICS),
                    EnergyModel.resolve(report.energyModel)), r);
            if (!json) {
                o.println("wrote " + r.resolve("report.json") + " and " + r.resolve("report.html"));
                o.flush();
            }
        }
        return 0;
    }
}
