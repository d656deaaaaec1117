package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.node.IntNode;
import io.myelin.core.InvalidInputException;
import io.myelin.models.train.ConfigJson;
import io.myelin.models.train.RunConfig;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.function.UnaryOperator;

/**
 * {@code --epochs}, {@code --teacher-epochs}, {@code --batch}, {@code --seed}, {@code --threads},
 * {@code --sigma-truncation}: a config's values overridden, each checked as the config file's value would be, the
 * message naming the option.
 */
final class ConfigOverrides {
    @Option(names = "--epochs", description = "override training.epochs (of a distilled QSD-Transformer: the student's;"
            + " the teacher's are --teacher-epochs)")
    Integer epochs;

    @Option(names = "--teacher-epochs", description = "override distillation.teacherEpochs: epochs of a QSD-Transformer's"
            + " float teacher, trained first (examples/configs/shd-qsd.json: 20)")
    Integer teacherEpochs;

    @Option(names = "--batch", description = "override training.batch")
    Integer batch;

    @Option(names = "--seed", description = "override training.seed")
    Long seed;

    @Option(names = "--threads", description = "override training.threads (results do not depend on it; more than the"
            + " machine's cores only slows training down)")
    Integer threads;

    @Option(names = "--sigma-truncation", description = "override model.sigmaTruncation (Gaussian window in sigmas, 0: none)")
    Double sigmaTruncation;

    /** Whether an override changes the run's results (every one but the thread count). */
    boolean changeResults() {
        return epochs != null || teacherEpochs != null || batch != null || seed != null || sigmaTruncation != null;
    }

    /** {@code c} with the overrides that change results; the thread count is left to {@link #threads}. */
    RunConfig results(RunConfig c) {
        if (sigmaTruncation != null) {
            c = apply(c, "--sigma-truncation " + sigmaTruncation, x -> x.withSigmaTruncation(sigmaTruncation));
        }
        if (epochs != null) {
            c = apply(c, "--epochs " + epochs, x -> x.withEpochs(epochs));
        }
        if (teacherEpochs != null) {
            String opt = "--teacher-epochs " + teacherEpochs;
            com.fasterxml.jackson.databind.JsonNode d = ConfigJson.tree(c.toJson(), opt).path("distillation");
            if (!d.has("teacherEpochs")) {
                throw new InvalidInputException(opt + ": only a distilled QSD-Transformer has a teacher; this is a "
                        + c.kind() + " config");
            }
            if (!d.path("enabled").asBoolean()) {
                throw new InvalidInputException(opt + ": this config trains no teacher (distillation.enabled is false)");
            }
            c = apply(c, opt, x -> x.withValue("distillation.teacherEpochs", IntNode.valueOf(teacherEpochs), opt));
        }
        if (batch != null) {
            c = apply(c, "--batch " + batch, x -> x.withBatch(batch));
        }
        if (seed != null) {
            c = apply(c, "--seed " + seed, x -> x.withSeed(seed));
        }
        return c;
    }

    /** {@code c} with the thread count overridden, which a resumed run may change; warns once above the cores. */
    RunConfig threads(RunConfig c, PrintWriter err) {
        RunConfig r = threads == null ? c : apply(c, "--threads " + threads, x -> x.withThreads(threads));
        ThreadCount.warnAboveCores(r.training().threads(), err);
        return r;
    }

    /** An override applied; a value the config refuses is one line naming the option. */
    private static RunConfig apply(RunConfig c, String option, UnaryOperator<RunConfig> how) {
        try {
            return how.apply(c);
        } catch (InvalidInputException e) {
            String m = e.getMessage();
            for (String prefix : new String[]{"config (command line): ", "config " + option + ": ", option + ": "}) {
                if (m.startsWith(prefix)) {
                    m = m.substring(prefix.length());
                }
            }
            throw new InvalidInputException(option + ": " + m, e);
        }
    }
}
