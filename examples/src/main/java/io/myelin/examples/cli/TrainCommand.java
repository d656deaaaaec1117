package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code myelin train}: trains a delay SNN (SNN-delays recipe, learnable DCLS delays) or, for a config of
 * {@code "kind": "qsd-transformer"}, a quantized spike-driven transformer, on SHD/SSC-format HDF5 files: one
 * {@link Trainer} for every kind, resumable from any phase of the run with {@code --resume DIR}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a spiking network with learnable synaptic delays (DCLS), or a quantized spike-driven"
                + " transformer (configs with \"kind\": \"qsd-transformer\"), on SHD/SSC-format HDF5 files.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOverrides overrides;

    @Mixin
    JsonOption jsonOption;

    @Mixin
    EnergyModelOption energyModel;

    @Option(names = "--config", description = "config JSON (examples/configs/shd-delays.json); with --resume the"
            + " run's own config is used (a run killed in its teacher phase before run.json existed needs it given)")
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

    @Option(names = "--resume", description = "continue the run in this directory from its checkpoint, in whichever"
            + " phase it stopped")
    Path resume;

    @Option(names = "--quiet", description = "no progress output")
    boolean quiet;

    @Option(names = "--overwrite", description = "start afresh even if --out already holds a run (its checkpoint, metrics"
            + " and model are replaced)")
    boolean overwrite;

    @Option(names = "--report", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "after training, run the best model on the test file and write its energy, synaptic-operation"
                    + " and bit-budget report to DIR/report (report.json, report.html); --no-report skips it")
    boolean report;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        RunConfig cfg;
        Path dir;
        if (resume != null) {
            if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
                throw new InvalidInputException("--resume continues in its own directory; drop --out or give the same path");
            }
            dir = resume;
            cfg = RunStore.of(resume).config();
            if (cfg == null) {
                if (configFile == null) {
                    Path phase = RunStore.of(resume).phaseWithCheckpoint();
                    throw new InvalidInputException(resume + " holds no checkpoint to resume (" + RunStore.CHECKPOINT
                            + " is missing)" + (phase == null ? "" : "; " + phase + " holds one of an earlier phase:"
                            + " give the run's config, --resume " + resume + " --config FILE"));
                }
                // a run killed in an earlier phase, before run.json existed: its config comes from the command line
                cfg = overrides.results(RunConfig.read(configFile));
            } else if (overrides.changeResults() || configFile != null) {
                RunConfig asked = overrides.results(configFile != null ? RunConfig.read(configFile) : cfg);
                if (!asked.withThreads(cfg.training().threads()).equals(cfg)) {
                    throw new InvalidInputException("--resume continues with the checkpoint's config; the config and"
                            + " options given differ from it");
                }
            }
        } else {
            if (configFile == null) {
                throw new InvalidInputException("--config is required (e.g. examples/configs/shd-delays.json)");
            }
            if (out == null) {
                throw new InvalidInputException("--out is required");
            }
            dir = out;
            cfg = overrides.results(RunConfig.read(configFile));
        }
        cfg = overrides.threads(cfg);
        if (overwrite && resume == null) {
            RunStore.of(dir).clear(cfg);
        }
        PrintStream err = quiet ? null : System.err;
        Trainer trainer = new Trainer(cfg, new TrainingFiles(train, valid, test), dir, err);
        Trainer.Summary s = resume != null ? trainer.resume() : trainer.train();
        return finish(s, cfg.name(), cfg.training().threads());
    }

    private int finish(Trainer.Summary s, String configName, int threadCount) throws java.io.IOException {
        var o = spec.commandLine().getOut();
        if (jsonOption.json) {
            ObjectNode n = Json.object();
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
                    energyModel.resolve()), s.modelDir().resolve("report"),
                    jsonOption.json ? new java.io.PrintWriter(System.err, true) : o);
        }
        return 0;
    }
}
