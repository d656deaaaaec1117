package io.myelin.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.InvalidInputException;
import io.myelin.models.data.DataConfig;

import java.nio.file.Path;

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

    /** A config file of any kind. */
    static RunConfig read(Path file) {
        return fromJson(ConfigJson.text(file), file.toString());
    }

    /** A config of any kind, validated ({@code where} names it in errors). */
    static RunConfig fromJson(String json, String where) {
        JsonNode n = ConfigJson.tree(json, where);
        String kind = n.has("kind") ? n.get("kind").asText() : DEFAULT_KIND;
        Recipe<?, ?> recipe = Recipes.forKind(kind);
        if (recipe == null) {
            throw new InvalidInputException("config " + where + ": kind must be one of " + String.join(", ",
                    Recipes.kinds()) + "; got '" + kind + "'");
        }
        return recipe.readConfig(json, where);
    }
}
