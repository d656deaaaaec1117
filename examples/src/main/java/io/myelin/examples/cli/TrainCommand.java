package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.json.Json;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.RunRequest;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code myelin train}: trains a delay SNN (SNN-delays recipe, learnable DCLS delays) or, for a config of
 * {@code "kind": "qsd-transformer"}, a quantized spike-driven transformer, on SHD/SSC-format HDF5 files: one
 * {@link Trainer} for every kind, resumable from any phase of the run with {@code --resume DIR}. Every option, the
 * config, the energy model, the data files' headers and the output directory are checked before any data is read.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a spiking network with learnable synaptic delays (DCLS), or a quantized spike-driven"
                + " transformer (configs with \"kind\": \"qsd-transformer\"), on SHD/SSC-format HDF5 files.",
                "Writes into --out: metrics.jsonl (a line per epoch, epochs counted from 1), checkpoint.bin,"
                        + " model.json + model-eE.bin (the best model, of epoch E), run.json and report/."
                        + " With --json the last line of stdout is one JSON object."})
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

    @Option(names = "--resume", description = "continue the run in this directory, in whichever phase it stopped (a"
            + " QSD-Transformer's teacher included), from its last finished epoch")
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
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        // everything the user gave is checked first: options, config, energy model, data headers, output directory
        EnergyModel em = report ? energyModel.resolve() : null;
        if (overwrite && resume != null) {
            throw new InvalidInputException("--overwrite starts afresh and --resume continues; give one of them");
        }
        RunRequest request = new RunRequest(configFile, out, resume);
        RunConfig cfg = overrides.threads(request.config(overrides.changes()), err);
        Path dir = request.dir();
        Hdf5SpikeDataset.checkHeader(train, "--train");
        if (valid != null) {
            Hdf5SpikeDataset.checkHeader(valid, "--valid");
        }
        Hdf5SpikeDataset.checkHeader(test, "--test");
        OutputDirectory.prepare(dir, resume != null ? "--resume" : "--out");

        PrintStream progress = quiet ? null : System.err;
        Trainer trainer = new Trainer(cfg, new TrainingFiles(train, valid, test), dir, progress);
        Trainer.Summary s = resume != null ? trainer.resume() : overwrite ? trainer.overwriting().train()
                : trainer.train();
        return finish(s, cfg, em, err);
    }

    private int finish(Trainer.Summary s, RunConfig cfg, EnergyModel em, PrintWriter err) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (!jsonOption.json) {
            o.println(summary(s));
            o.flush();
        }
        EnergyReport.Total energy = null;
        if (report) {
            // with --json the report's lines go to stderr and its figures into the JSON, the last line of stdout
            EnergyReport r = ReportCommand.modelReport(s.modelDir(), test, 0, null, em);
            ReportCommand.writeAndSummarize(r, s.modelDir().resolve("report"), jsonOption.json ? err : o);
            energy = r.total();
        }
        if (jsonOption.json) {
            o.println(json(s, cfg, energy));
        }
        o.flush();
        return 0;
    }

    /** The summary line: which file chose the best model is said, and its epoch counted from 1. */
    static String summary(Trainer.Summary s) {
        String best = s.validated()
                ? String.format("test accuracy %.2f%% at the best validation epoch %d (validation %.2f%%)",
                100 * s.bestTestAcc(), s.bestEpoch(), 100 * s.bestValidAcc())
                : String.format("best test accuracy %.2f%% (epoch %d)", 100 * s.bestTestAcc(), s.bestEpoch());
        return String.format("%s, final test %.2f%%, %d parameters, %.1f training samples/s; model in %s", best,
                100 * s.finalTestAcc(), s.parameters(), s.trainSamplesPerSecond(), s.modelDir());
    }

    /** The {@code --json} summary (README and docs/training.md name its keys). */
    private static ObjectNode json(Trainer.Summary s, RunConfig cfg, EnergyReport.Total energy) {
        ObjectNode n = Json.object();
        n.put("config", cfg.name());
        n.put("epochs", s.epochs());
        n.put("best_test_acc", s.bestTestAcc());
        n.put("final_test_acc", s.finalTestAcc());
        if (s.validated()) {
            n.put("best_valid_acc", s.bestValidAcc());
        }
        n.put("best_selected_by", s.validated() ? "valid_acc" : "test_acc");
        n.put("best_epoch", s.bestEpoch());
        n.put("train_samples_per_s", s.trainSamplesPerSecond());
        n.put("parameters", s.parameters());
        n.put("threads", cfg.training().threads());
        n.put("model", s.modelDir().toString());
        if (energy != null) {
            n.put("energy_per_sample_pj", energy.energyPerSamplePj());
            n.put("ann_energy_per_sample_pj", energy.annEnergyPerSamplePj());
            n.put("acs", energy.acs());
            n.put("macs", energy.macs());
            n.put("report", s.modelDir().resolve("report").resolve("report.json").toString());
        }
        return n;
    }
}
