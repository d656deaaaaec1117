package io.myelin.models.qsd;

import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelActivityProvider;
import io.myelin.models.delay.BinnedSet;

import java.nio.file.Path;

/**
 * {@code myelin report --model DIR} (and the report {@code myelin train} writes) for QSD-Transformers saved by
 * {@link QsdStore}: the exported integer model's inference counted by {@link QsdActivity} (registered with
 * ServiceLoader).
 */
public final class QsdActivityProvider implements ModelActivityProvider {
    @Override
    public String name() {
        return "qsd-transformer";
    }

    @Override
    public boolean accepts(Path modelDir) {
        return QsdStore.isModelDir(modelDir);
    }

    @Override
    public ModelActivity run(Path modelDir, Path data, int samples, int rasterSample) {
        QsdTransformer model = QsdStore.load(modelDir);
        BinnedSet set = QsdActivity.data(model, data, samples);
        Path abs = modelDir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? modelDir.toString() : abs.getFileName().toString();
        return QsdActivity.run(model, set, name, QsdActivity.describe(model, String.valueOf(data.getFileName()),
                set.size()), rasterSample);
    }
}
