package io.myelin.models.delay;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
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
        DelaySnnConfig.Data d = model.config().data();
        SpikeDataset ds = Hdf5SpikeDataset.open(data);
        if (samples > 0 && samples < ds.size()) {
            int[] idx = new int[samples];
            for (int i = 0; i < samples; i++) {
                idx[i] = i;
            }
            ds = ds.subset(idx);
        }
        FrameBinner binner = new FrameBinner(d.frameMs(), d.channelPool(), d.maxDurationMs());
        if (binner.pooledChannels(ds.channels()) != model.inputs()) {
            throw new InvalidInputException(data + " has " + ds.channels() + " channels; the model takes "
                    + model.inputs() + " after pooling by " + d.channelPool());
        }
        BinnedSet set = new BinnedSet(ds, binner);
        String name = modelDir.toAbsolutePath().normalize().getFileName() == null ? modelDir.toString()
                : modelDir.toAbsolutePath().normalize().getFileName().toString();
        return DelaySnnActivity.run(model, set, name, model.config().name() + " on " + data.getFileName() + ", "
                + set.size() + " samples, rounded delays, BatchNorm folded", 64, rasterSample);
    }
}
