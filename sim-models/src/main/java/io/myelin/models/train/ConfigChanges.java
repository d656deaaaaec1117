package io.myelin.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.myelin.core.InvalidInputException;

import java.util.function.UnaryOperator;

/**
 * The command line's changes to a config that change a run's results ({@code --epochs}, {@code --teacher-epochs},
 * {@code --batch}, {@code --seed}, {@code --sigma-truncation}; null: unchanged), applied the one way every train
 * command applies them; a value the config refuses is one line naming the option. The thread count is not among
 * them: a resumed run may change it.
 */
public record ConfigChanges(Integer epochs, Integer teacherEpochs, Integer batch, Long seed, Double sigmaTruncation) {
    /** No change. */
    public static final ConfigChanges NONE = new ConfigChanges(null, null, null, null, null);

    /** Whether any value is changed. */
    public boolean any() {
        return epochs != null || teacherEpochs != null || batch != null || seed != null || sigmaTruncation != null;
    }

    /** {@code c} with the changes, each validated by the config. */
    public RunConfig apply(RunConfig c) {
        if (sigmaTruncation != null) {
            c = apply(c, "--sigma-truncation " + sigmaTruncation, x -> x.withSigmaTruncation(sigmaTruncation));
        }
        if (epochs != null) {
            c = apply(c, "--epochs " + epochs, x -> x.withEpochs(epochs));
        }
        if (teacherEpochs != null) {
            String opt = "--teacher-epochs " + teacherEpochs;
            JsonNode d = ConfigJson.tree(c.toJson(), opt).path("distillation");
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

    /** {@code how} applied to {@code c} for {@code option}; a value the config refuses is one line naming the option. */
    public static RunConfig apply(RunConfig c, String option, UnaryOperator<RunConfig> how) {
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
