package io.myelin.models.delay;

import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelActivityProvider;

import java.nio.file.Path;

/** {@code myelin report --model DIR} for models written by {@code myelin train} (registered with ServiceLoader). */
public final class DelaySnnActivityProvider implements ModelActivityProvider {
    @Override
    public String name() {
        return "delay-snn";
    }

    @Override
    public boolean accepts(Path modelDir) {
        return ModelStore.isModelDir(modelDir);
    }

    @Override
    public ModelActivity run(Path modelDir, Path data, int samples, int rasterSample) {
        DelaySnn model = ModelStore.load(modelDir);
        BinnedSet set = BinnedSet.forModel(model, data, samples);
        String name = modelDir.toAbsolutePath().normalize().getFileName() == null ? modelDir.toString()
                : modelDir.toAbsolutePath().normalize().getFileName().toString();
        return DelaySnnActivity.run(model, set, name, model.config().name() + " on " + data.getFileName() + ", "
                + set.size() + " samples, rounded delays, BatchNorm folded", 64, rasterSample);
    }
}
