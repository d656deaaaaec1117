package io.myelin.models.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.energy.ModelActivity;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.store.TensorFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How one kind of model trains and is stored: what the {@link Trainer} cannot know. A recipe reads its configs,
 * splits a run into {@link Phase}s (a distillation teacher first, say), builds the model, gives each phase its
 * {@link Learner} (optimizers with their schedules, one optimisation step with any extra loss), encodes the saved
 * model's weights and counts its inference for reports. Recipes are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.myelin.models.train.Recipe}), so a new kind plugs in without the trainer knowing it.
 *
 * @param <C> the kind's config
 * @param <M> the kind's model
 */
public abstract class Recipe<C extends RunConfig, M extends TrainedModel> {
    private final String kind;
    private final String displayName;
    private final String modelFormat;
    private final String checkpointFormat;
    private final Class<C> configType;
    private final Class<M> modelType;

    /**
     * @param kind             the {@code "kind"} of its configs ({@code delay-snn})
     * @param displayName      name for messages ({@code delay-SNN})
     * @param modelFormat      the {@code "format"} of its {@code model.json} ({@code myelin-delay-snn})
     * @param checkpointFormat the {@code "format"} of its checkpoint headers ({@code myelin-delay-checkpoint})
     */
    protected Recipe(String kind, String displayName, String modelFormat, String checkpointFormat,
                     Class<C> configType, Class<M> modelType) {
        this.kind = kind;
        this.displayName = displayName;
        this.modelFormat = modelFormat;
        this.checkpointFormat = checkpointFormat;
        this.configType = configType;
        this.modelType = modelType;
    }

    public final String kind() {
        return kind;
    }

    public final String displayName() {
        return displayName;
    }

    public final String modelFormat() {
        return modelFormat;
    }

    public final String checkpointFormat() {
        return checkpointFormat;
    }

    public final Class<C> configType() {
        return configType;
    }

    public final Class<M> modelType() {
        return modelType;
    }

    /** A config of this kind, validated ({@code where} names it in errors). */
    public abstract C readConfig(String json, String where);

    /** The phases of a run, in order; the last one trains the model the run delivers (in the run directory). */
    public List<Phase<C>> phases(C config) {
        return List.of(Phase.only(config));
    }

    /**
     * Called before a run of {@code config} reads its data: work that may start early on threads of its own (the
     * delay SNN gets the JIT compiling its kernels). Nothing by default; it must not change any result.
     */
    public void beforeData(C config) {
    }

    /** A freshly initialised model (every random choice from the config's seed). */
    public abstract M build(C config, int inputs, int classes);

    /**
     * What trains {@code model} in {@code phase} of the run in {@code runDir} (an earlier phase's model, a
     * distillation teacher, is read from there; null: the phase trains alone, as benchmarks run it).
     */
    public abstract Learner learner(C config, M model, Phase<C> phase, Path runDir);

    /** The tensors of a saved model's weights file; may add fields to its {@code model.json} (after "parameters"). */
    public Map<String, float[]> storedWeights(M model, ObjectNode modelJson) {
        return model.state();
    }

    /** Restores what {@link #storedWeights} wrote. */
    public void loadStoredWeights(M model, TensorFile.Contents weights, Path from) {
        model.loadState(weights.source(from));
    }

    /**
     * Inference counted for the energy report, over {@code data} (a file of {@code dataName}).
     *
     * @param name         the model's name in the report
     * @param rasterSample index of the sample whose spikes are returned as rasters
     */
    public abstract ModelActivity activity(M model, BinnedSet data, String name, String dataName, int rasterSample);
}
