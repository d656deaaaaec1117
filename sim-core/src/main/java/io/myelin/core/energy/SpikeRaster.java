package io.myelin.core.energy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.myelin.core.InvalidInputException;

/**
 * The spikes of one layer for one sample, for the raster plot: spike k was emitted by neuron {@code neuron[k]} in
 * step {@code step[k]}. Producers may cap the number of spikes kept ({@code truncated} says so).
 *
 * @param layer     layer name
 * @param neurons   neurons of the layer (the raster's height)
 * @param timeSteps steps of the sample (the raster's width)
 * @param dtMs      length of one step (ms), 0 when steps have no physical duration
 * @param step      step of each spike
 * @param neuron    local neuron index of each spike
 * @param truncated true when spikes beyond a cap were left out
 */
public record SpikeRaster(@JsonProperty("layer") String layer, @JsonProperty("neurons") int neurons,
                          @JsonProperty("time_steps") long timeSteps, @JsonProperty("dt_ms") double dtMs,
                          @JsonProperty("step") int[] step, @JsonProperty("neuron") int[] neuron,
                          @JsonProperty("truncated") boolean truncated) {
    public SpikeRaster {
        if (step == null || neuron == null || step.length != neuron.length) {
            throw new InvalidInputException("spike raster of '" + layer + "': 'step' and 'neuron' must have the same length");
        }
        for (int k = 0; k < step.length; k++) {
            if (neuron[k] < 0 || neuron[k] >= neurons || step[k] < 0 || step[k] >= timeSteps) {
                throw new InvalidInputException("spike raster of '" + layer + "': spike " + k + " (step " + step[k]
                        + ", neuron " + neuron[k] + ") is outside " + timeSteps + " steps x " + neurons + " neurons");
            }
        }
    }

    public int spikeCount() {
        return step.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpikeRaster r && r.layer.equals(layer) && r.neurons == neurons && r.timeSteps == timeSteps
                && r.dtMs == dtMs && java.util.Arrays.equals(r.step, step) && java.util.Arrays.equals(r.neuron, neuron)
                && r.truncated == truncated;
    }

    @Override
    public int hashCode() {
        return layer.hashCode() * 31 + java.util.Arrays.hashCode(step);
    }
}
