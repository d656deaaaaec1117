package io.myelin.core.energy;

import java.util.List;

/**
 * What a trained model's inference pass over a data set produced, ready for {@link EnergyReport#build}.
 *
 * @param name     model name (directory or config label)
 * @param detail   free text (data file, samples, time steps)
 * @param dtMs     time step of the model (ms), 0 if abstract
 * @param layers   per-layer activity, counts summed over the samples
 * @param size     stored parameters
 * @param accuracy accuracy over the samples, or null without labels
 * @param rasters  spikes of one sample per layer, or an empty list
 */
public record ModelActivity(String name, String detail, double dtMs, List<LayerActivity> layers, ModelSize size,
                            Accuracy accuracy, List<SpikeRaster> rasters) {
}
