package io.myelin.models.train;

import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelActivityProvider;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.data.TrainedOn;

import java.nio.file.Path;

/**
 * {@code myelin report --model DIR} (and the report {@code myelin train} writes) for a model of any kind saved in a
 * {@link RunStore}: its {@link Recipe} counts the inference (registered with ServiceLoader).
 */
public final class TrainedModelActivityProvider implements ModelActivityProvider {
    @Override
    public String name() {
        return "trained-model";
    }

    @Override
    public boolean accepts(Path modelDir) {
        return RunStore.of(modelDir).holdsModel();
    }

    @Override
    public ModelActivity run(Path modelDir, Path data, int samples, int rasterSample) {
        io.myelin.core.data.Hdf5SpikeDataset.checkHeader(data, "--data");
        RunStore store = RunStore.of(modelDir);
        TrainedModel model = store.loadModel();
        return count(Recipes.of(model.config()), model, store.trainedOn(), modelDir, data, samples, rasterSample);
    }

    private static <M extends TrainedModel> ModelActivity count(Recipe<?, M> recipe, TrainedModel model,
                                                               TrainedOn trainedOn, Path modelDir, Path data,
                                                               int samples, int rasterSample) {
        M m = recipe.modelType().cast(model);
        BinnedSet set = BinnedSet.forModel(m.config().data(), m.inputs(), trainedOn, data, samples);
        Path abs = modelDir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? modelDir.toString() : abs.getFileName().toString();
        return recipe.activity(m, set, name, String.valueOf(data.getFileName()), rasterSample);
    }
}
