package io.myelin.models.train;

import io.myelin.core.InvalidInputException;

import java.nio.file.Path;

/**
 * What a {@code train} command was asked: a fresh run of a config file into {@code out}, or the resume of the run in
 * {@code resume}, with the command line's overrides of the config. {@link #config} is the config to train, checked as
 * {@code myelin train} checks it: a resume continues with its checkpoint's config (or {@code run.json}'s), and
 * overrides that differ from it are refused.
 */
public record RunRequest(Path configFile, Path out, Path resume, Integer epochs, Integer batch, Long seed,
                         Integer threads, Double sigmaTruncation) {

    /** The run directory: {@code resume}, else {@code out}. */
    public Path dir() {
        return resume != null ? resume : out;
    }

    /** The config of the run, overrides applied; one-line errors for what cannot be trained. */
    public RunConfig config() {
        RunConfig cfg;
        if (resume != null) {
            if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
                throw new InvalidInputException("--resume continues in its own directory; drop --out or give the same path");
            }
            cfg = RunStore.of(resume).config();
            if (cfg == null) {
                if (configFile == null) {
                    Path phase = RunStore.of(resume).phaseWithCheckpoint();
                    throw new InvalidInputException(resume + " holds no checkpoint to resume (" + RunStore.CHECKPOINT
                            + " is missing)" + (phase == null ? "" : "; " + phase + " holds one of an earlier phase:"
                            + " give the run's config, --resume " + resume + " --config FILE"));
                }
                // a run killed in an earlier phase, before run.json existed: its config comes from the command line
                cfg = overrides(RunConfig.read(configFile));
            } else if (epochs != null || batch != null || seed != null || sigmaTruncation != null || configFile != null) {
                RunConfig asked = overrides(configFile != null ? RunConfig.read(configFile) : cfg);
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
            cfg = overrides(RunConfig.read(configFile));
        }
        return threads != null ? cfg.withThreads(threads) : cfg;
    }

    private RunConfig overrides(RunConfig c) {
        if (sigmaTruncation != null) {
            c = c.withSigmaTruncation(sigmaTruncation);
        }
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
}
