package io.myelin.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.KeySuggestion;
import io.myelin.models.data.DataConfig;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything that defines a training run, as JSON: its {@code "kind"} (which {@link Recipe} trains it), how spike
 * files become frames ({@code "data"}), the model and the training settings. Immutable; the command line overrides
 * fields with the {@code with...} copies, each validated.
 *
 * <p>A config without {@code "kind"} is a delay-SNN config ({@value #DEFAULT_KIND}): every config written before
 * there were other kinds has none, and delay-SNN configs are still written without it.
 */
public interface RunConfig {
    /** The kind of configs that name none. */
    String DEFAULT_KIND = "delay-snn";

    /** Label for reports. */
    String name();

    /** Which recipe trains this config. */
    String kind();

    DataConfig data();

    TrainingSettings training();

    /** The config field of the learning rate to lower when training diverges ({@code training.lr}). */
    String learningRateField();

    RunConfig withEpochs(int epochs);

    RunConfig withBatch(int batch);

    RunConfig withSeed(long seed);

    RunConfig withThreads(int threads);

    /** The config with another Gaussian window of its delay kernels; an error for a kind without that option. */
    RunConfig withSigmaTruncation(double sigmas);

    String toJson();

    /**
     * This config with one value replaced, by its dotted key ({@code distillation.teacherEpochs}), read and validated
     * as a config file would be; a key this kind of config does not have is refused, naming the valid keys.
     *
     * @param where names the change in errors ({@code --teacher-epochs 3})
     */
    default RunConfig withValue(String dottedKey, JsonNode value, String where) {
        ObjectNode root = (ObjectNode)
                ConfigJson.tree(toJson(), where);
        String[] keys = dottedKey.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < keys.length - 1; i++) {
            if (!(at.get(keys[i]) instanceof ObjectNode next)) {
                throw new InvalidInputException(where + ": a " + kind() + " config has no " + dottedKey);
            }
            at = next;
        }
        if (!at.has(keys[keys.length - 1])) {
            throw new InvalidInputException(where + ": a " + kind() + " config has no " + dottedKey);
        }
        at.set(keys[keys.length - 1], value);
        if (!root.has("kind")) {
            root.put("kind", kind());
        }
        return fromJson(root.toString(), where);
    }

    /** A config file of any kind. */
    static RunConfig read(Path file) {
        return fromJson(ConfigJson.text(file), file.toString());
    }

    /** A config of any kind, validated ({@code where} names it in errors). */
    static RunConfig fromJson(String json, String where) {
        JsonNode n = ConfigJson.tree(json, where);
        if (!n.isObject()) {
            throw new InvalidInputException("config " + where + ": expected a JSON object, found " + n.getNodeType()
                    .toString().toLowerCase(Locale.ROOT));
        }
        JsonNode k = n.get("kind");
        if (k == null) {
            checkKindNotForgotten(n, where);
        }
        String kind = k == null ? DEFAULT_KIND : k.isTextual() ? k.asText() : k.toString();
        Recipe<?, ?> recipe = Recipes.forKind(kind);
        if (recipe == null) {
            String close = KeySuggestion.closest(kind, Recipes.kinds());
            throw new InvalidInputException("config " + where + ": kind: expected one of " + String.join(", ",
                    Recipes.kinds()) + ", found '" + kind + "'" + (close == null ? "" : "; did you mean " + close + "?"));
        }
        return recipe.readConfig(json, where);
    }

    /**
     * A config without {@code "kind"} is a delay SNN's; one whose top-level keys fit another kind only (a QSD config
     * that lost its kind) is told to name it, rather than that its keys are unknown.
     */
    private static void checkKindNotForgotten(JsonNode n, String where) {
        Set<String> keys = new LinkedHashSet<>();
        n.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            if (KeySuggestion.closest(k, List.of("kind")) != null) {
                throw new InvalidInputException("config " + where + ": unknown key " + k + "; did you mean kind? (it"
                        + " names the model kind: " + String.join(", ", Recipes.kinds()) + ")");
            }
        }
        Recipe<?, ?> plain = Recipes.forKind(DEFAULT_KIND);
        if (plain == null || ConfigJson.reader(plain.configType()).keys().containsAll(keys)) {
            return;
        }
        for (String kind : Recipes.kinds()) {
            Recipe<?, ?> r = Recipes.forKind(kind);
            List<String> own = ConfigJson.reader(r.configType()).keys();
            if (!kind.equals(DEFAULT_KIND) && own.containsAll(keys)) {
                throw new InvalidInputException("config " + where + ": kind is missing; its keys are those of a " + kind
                        + " config (a config without \"kind\" is a " + DEFAULT_KIND + " config): add \"kind\": \""
                        + kind + "\"");
            }
        }
    }
}
