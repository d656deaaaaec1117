package io.myelin.models.train;

import io.myelin.core.InvalidInputException;

import java.nio.file.Path;

/**
 * What a {@code train} command was asked: a fresh run of a config file into {@code out}, or the resume of the run in
 * {@code resume}. {@link #config} is the config to train with the command line's overrides, checked as
 * {@code myelin train} checks it: a resume continues with its checkpoint's config (or {@code run.json}'s), and
 * overrides that would change it are refused.
 */
public record RunRequest(Path configFile, Path out, Path resume) {

    /** The run directory: {@code resume}, else {@code out}. */
    public Path dir() {
        return resume != null ? resume : out;
    }

    /** The config of the run with the command line's {@code changes}; one-line errors for what cannot be trained. */
    public RunConfig config(ConfigChanges changes) {
        if (resume == null) {
            if (configFile == null) {
                throw new InvalidInputException("--config is required (e.g. examples/configs/shd-delays.json)");
            }
            if (out == null) {
                throw new InvalidInputException("--out is required (the run directory)");
            }
            return changes.apply(RunConfig.read(configFile));
        }
        if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
            throw new InvalidInputException("--resume continues in its own directory; drop --out or give the same path");
        }
        if (!java.nio.file.Files.isDirectory(resume)) {
            throw new InvalidInputException("--resume " + resume + ": no such directory");
        }
        RunConfig cfg = RunStore.of(resume).config();
        if (cfg == null) {
            if (configFile == null) {
                Path phase = RunStore.of(resume).phaseWithCheckpoint();
                throw new InvalidInputException(resume + " holds no run to resume (no " + RunStore.CHECKPOINT + ", no "
                        + RunStore.RUN_JSON + ")" + (phase == null ? "; start one with --config C --out " + resume
                        : "; " + phase + " holds the checkpoint of an earlier phase of a run written before run.json"
                        + " existed: give the run's config, --resume " + resume + " --config FILE"));
            }
            // a run killed in an earlier phase, before run.json existed: its config comes from the command line
            return changes.apply(RunConfig.read(configFile));
        }
        if (changes.any() || configFile != null) {
            RunConfig asked = changes.apply(configFile != null ? RunConfig.read(configFile) : cfg);
            if (!asked.withThreads(cfg.training().threads()).equals(cfg)) {
                throw new InvalidInputException("--resume continues with the run's own config; the config and options"
                        + " given differ from it (drop them, or start a new run with --out)");
            }
        }
        return cfg;
    }
}
