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
                throw new InvalidInputException("--out is required");
            }
            return changes.apply(RunConfig.read(configFile));
        }
        if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
            throw new InvalidInputException("--resume continues in its own directory; drop --out or give the same path");
        }
        RunConfig cfg = RunStore.of(resume).config();
        if (cfg == null) {
            if (configFile == null) {
                Path phase = RunStore.of(resume).phaseWithCheckpoint();
                throw new InvalidInputException(resume + " holds no checkpoint to resume (" + RunStore.CHECKPOINT
                        + " is missing)" + (phase == null ? "" : "; " + phase + " holds one of an earlier phase:"
                        + " give the run's config, --resume " + resume + " --config FILE"));
            }
            // a run killed in an earlier phase, before run.json existed: its config comes from the command line
            return changes.apply(RunConfig.read(configFile));
        }
        if (changes.any() || configFile != null) {
            RunConfig asked = changes.apply(configFile != null ? RunConfig.read(configFile) : cfg);
            if (!asked.withThreads(cfg.training().threads()).equals(cfg)) {
                throw new InvalidInputException("--resume continues with the checkpoint's config; the config and"
                        + " options given differ from it");
            }
        }
        return cfg;
    }
}
