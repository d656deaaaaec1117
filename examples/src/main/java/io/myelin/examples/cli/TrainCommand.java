package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.models.delay.DelayTrainer;
import io.myelin.models.qsd.QsdConfig;
import io.myelin.models.qsd.QsdTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code myelin train}: trains a delay SNN (SNN-delays recipe, learnable DCLS delays) or, for a config of
 * {@code "kind": "qsd-transformer"}, a quantized spike-driven transformer, on SHD/SSC-format HDF5 files.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a spiking network with learnable synaptic delays (DCLS), or a quantized spike-driven"
                + " transformer (configs with \"kind\": \"qsd-transformer\"), on SHD/SSC-format HDF5 files.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", description = "config JSON (examples/configs/shd-delays.json); with --resume the"
            + " checkpoint's config is used")
    Path configFile;

    @Option(names = "--train", required = true, description = "training file (e.g. shd_train.h5)")
    Path train;

    @Option(names = "--valid", description = "validation file (e.g. ssc_valid.h5); without it, data.validFraction of"
            + " the training file, or none")
    Path valid;

    @Option(names = "--test", required = true, description = "test file")
    Path test;

    @Option(names = "--out", description = "run directory: metrics.jsonl, checkpoint.bin, model.json + its weights file")
    Path out;

    @Option(names = "--resume", description = "continue the run in this directory from its checkpoint")
    Path resume;

    @Option(names = "--epochs", description = "override training.epochs")
    Integer epochs;

    @Option(names = "--batch", description = "override training.batch")
    Integer batch;

    @Option(names = "--seed", description = "override training.seed")
    Long seed;

    @Option(names = "--threads", description = "override training.threads (results do not depend on it)")
    Integer threads;

    @Option(names = "--sigma-truncation", description = "override model.sigmaTruncation (Gaussian window in sigmas, 0: none)")
    Double sigmaTruncation;

    @Option(names = "--json", description = "print one JSON summary line at the end")
    boolean json;

    @Option(names = "--quiet", description = "no progress output")
    boolean quiet;

    @Option(names = "--overwrite", description = "start afresh even if --out already holds a run (its checkpoint, metrics"
            + " and model are replaced)")
    boolean overwrite;

    @Option(names = "--report", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "after training, run the best model on the test file and write its energy, synaptic-operation"
                    + " and bit-budget report to DIR/report (report.json, report.html); --no-report skips it")
    boolean report;

    @Option(names = "--energy-model", defaultValue = "45nm", description = "with --report: energy model (default"
            + " ${DEFAULT-VALUE})")
    String energyModel;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        boolean qsd = resume != null ? QsdTrainer.isQsdRun(resume) : configFile != null && QsdConfig.isQsd(configFile);
        if (qsd) {
            return trainQsd();
        }
        DelaySnnConfig cfg;
        Path dir;
        if (resume != null) {
            if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
                throw new InvalidInputException("--resume continues in its own directory; drop --out or give the same path");
            }
            dir = resume;
            cfg = DelayTrainer.configOf(resume);
            if (epochs != null || batch != null || seed != null || sigmaTruncation != null || configFile != null) {
                DelaySnnConfig asked = configFile != null ? DelaySnnConfig.read(configFile) : cfg;
                asked = overrides(asked);
                if (!asked.withThreads(cfg.training().threads()).equals(cfg)) {
                    throw new InvalidInputException("--resume continues with the checkpoint's config; the config and"
                            + " options given differ from it");
                }
            }
            if (threads != null) {
                cfg = cfg.withThreads(threads);
            }
        } else {
            if (configFile == null) {
                throw new InvalidInputException("--config is required (e.g. examples/configs/shd-delays.json)");
            }
            if (out == null) {
                throw new InvalidInputException("--out is required");
            }
            dir = out;
            cfg = overrides(DelaySnnConfig.read(configFile));
            if (threads != null) {
                cfg = cfg.withThreads(threads);
            }
        }
        clearIfOverwriting(dir);
        PrintStream err = quiet ? null : System.err;
        DelayTrainer trainer = new DelayTrainer(cfg, new DelayTrainer.Inputs(train, valid, test), dir, err);
        DelayTrainer.Summary s = resume != null ? trainer.resume() : trainer.train();
        return finish(s, cfg.name(), cfg.training().threads());
    }

    /** The QSD-Transformer path: same options, its own config and trainer. */
    private int trainQsd() throws java.io.IOException {
        if (sigmaTruncation != null) {
            throw new InvalidInputException("--sigma-truncation applies to delay-SNN configs; set model.sigmaTruncation"
                    + " in a QSD config");
        }
        QsdConfig cfg;
        Path dir;
        if (resume != null) {
            if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
                throw new InvalidInputException("--resume continues in its own directory; drop --out or give the same path");
            }
            dir = resume;
            cfg = QsdTrainer.configOf(resume);
            if (epochs != null || batch != null || seed != null || configFile != null) {
                QsdConfig asked = qsdOverrides(configFile != null ? QsdConfig.read(configFile) : cfg);
                if (!asked.withThreads(cfg.training().threads()).equals(cfg)) {
                    throw new InvalidInputException("--resume continues with the checkpoint's config; the config and"
                            + " options given differ from it");
                }
            }
        } else {
            if (out == null) {
                throw new InvalidInputException("--out is required");
            }
            dir = out;
            cfg = qsdOverrides(QsdConfig.read(configFile));
        }
        if (threads != null) {
            cfg = cfg.withThreads(threads);
        }
        clearIfOverwriting(dir);
        if (overwrite && resume == null) {
            deleteTree(dir.resolve(QsdTrainer.TEACHER_DIR));
        }
        PrintStream err = quiet ? null : System.err;
        QsdTrainer trainer = new QsdTrainer(cfg, new DelayTrainer.Inputs(train, valid, test), dir, err);
        DelayTrainer.Summary s = resume != null ? trainer.resume() : trainer.train();
        return finish(s, cfg.name(), cfg.training().threads());
    }

    private QsdConfig qsdOverrides(QsdConfig c) {
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (batch != null) {
            c = c.withBatch(batch);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        return c;
    }

    private void clearIfOverwriting(Path dir) {
        if (overwrite && resume == null && java.nio.file.Files.isDirectory(dir)) {
            try (var files = java.nio.file.Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String n = f.getFileName().toString();
                    if (n.equals(DelayTrainer.CHECKPOINT) || n.equals(DelayTrainer.METRICS) || n.equals("model.json")
                            || io.myelin.models.delay.ModelStore.isWeightsFile(n)) {
                        java.nio.file.Files.delete(f);
                    }
                }
            } catch (java.io.IOException e) {
                throw new InvalidInputException("--overwrite: cannot clear " + dir + ": " + e.getMessage());
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try (var walk = java.nio.file.Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                java.nio.file.Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new InvalidInputException("--overwrite: cannot clear " + dir + ": " + e.getMessage());
        }
    }

    private int finish(DelayTrainer.Summary s, String configName, int threadCount) throws java.io.IOException {
        var o = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("config", configName);
            n.put("epochs", s.epochs());
            n.put("best_test_acc", s.bestTestAcc());
            n.put("final_test_acc", s.finalTestAcc());
            if (!Double.isNaN(s.bestValidAcc())) {
                n.put("best_valid_acc", s.bestValidAcc());
            }
            n.put("best_epoch", s.bestEpoch());
            n.put("train_samples_per_s", s.trainSamplesPerSecond());
            n.put("parameters", s.parameters());
            n.put("threads", threadCount);
            n.put("model", s.modelDir().toString());
            o.println(n);
        } else {
            o.printf("best test accuracy %.2f%% (epoch %d), final %.2f%%, %d parameters, %.1f training samples/s; model in %s%n",
                    100 * s.bestTestAcc(), s.bestEpoch() + 1, 100 * s.finalTestAcc(), s.parameters(),
                    s.trainSamplesPerSecond(), s.modelDir());
        }
        o.flush();
        if (report) {
            ReportCommand.writeAndSummarize(ReportCommand.modelReport(s.modelDir(), test, 0, null,
                    io.myelin.core.energy.EnergyModel.resolve(energyModel)), s.modelDir().resolve("report"),
                    json ? new java.io.PrintWriter(System.err, true) : o);
        }
        return 0;
    }

    private DelaySnnConfig overrides(DelaySnnConfig c) {
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (batch != null) {
            c = c.withBatch(batch);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (sigmaTruncation != null) {
            c = c.withSigmaTruncation(sigmaTruncation);
        }
        return c;
    }
}
