package io.myelin.core.energy;

import io.myelin.core.InvalidInputException;

/**
 * What one layer did over a run: the seam every producer (the clock-driven engine, the event-driven engine, the
 * trainer's inference pass, attention blocks) fills, and the only input of {@link EnergyReport} besides the model
 * size. A layer is a group of neurons together with the synapses that feed it, so operations are counted where
 * they land and spikes where they leave.
 *
 * <p>Counting rules (all counts summed over {@code samples}):
 * <ul>
 *   <li>{@code acs}: accumulates, one per binary spike event per outgoing synapse actually used. A source that
 *       emits several spikes of the same neuron in one step (dataset spike counts replayed as events) still costs
 *       one AC per spike event, since each is delivered as its own addition.</li>
 *   <li>{@code macs}: multiply-accumulates, one per synapse whose input is multi-bit or real (the first layer of a
 *       trained model fed with spike counts, BatchNorm that is not folded, attention products of non-binary
 *       operands).</li>
 *   <li>{@code annMacs}: the MACs of the same architecture run as an ANN with dense float activations (every
 *       synapse every evaluated step, whatever the input): the baseline of "SNN energy / ANN energy".</li>
 * </ul>
 *
 * @param name           layer (population) name
 * @param kind           what it is: {@code source}, {@code population}, {@code dense}, {@code delayed-dense},
 *                       {@code readout}, {@code attention}, ... (free text shown in reports)
 * @param neurons        neurons (or channels) of the layer
 * @param timeSteps      time steps per sample
 * @param samples        samples (inferences) the counts are summed over, >= 1
 * @param spikes         spikes emitted by the layer's neurons
 * @param acs            accumulate operations into the layer
 * @param macs           multiply-accumulate operations into the layer
 * @param neuronUpdates  membrane (state) updates of the layer's neurons
 * @param synapses       synapses (weights) feeding the layer, 0 for an input layer
 * @param annMacs        MACs of the equivalent dense float ANN layer over all samples
 * @param weightBits     stored width of the layer's weights (bits), 0 when it has none
 * @param inputBits      width of one input activation (bits): 1 for binary spikes, more for counts or reals
 */
public record LayerActivity(String name, String kind, int neurons, long timeSteps, long samples, long spikes,
                            long acs, long macs, long neuronUpdates, long synapses, long annMacs, int weightBits,
                            int inputBits) {
    public LayerActivity {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("layer activity: name is missing");
        }
        if (neurons < 0 || timeSteps < 0 || samples < 1 || spikes < 0 || acs < 0 || macs < 0 || neuronUpdates < 0
                || synapses < 0 || annMacs < 0 || weightBits < 0 || weightBits > 64 || inputBits < 0 || inputBits > 64) {
            throw new InvalidInputException("layer activity '" + name + "': counts must be >= 0, samples >= 1 and bit "
                    + "widths in 0..64 (neurons " + neurons + ", time steps " + timeSteps + ", samples " + samples
                    + ", spikes " + spikes + ", acs " + acs + ", macs " + macs + ", weight bits " + weightBits
                    + ", input bits " + inputBits + ")");
        }
        if (kind == null || kind.isBlank()) {
            kind = "layer";
        }
    }

    /** Spikes per neuron per time step (0..1 for binary neurons); 0 when the layer has no neurons or steps. */
    public double firingRate() {
        double slots = (double) neurons * timeSteps * samples;
        return slots == 0 ? 0 : spikes / slots;
    }

    /**
     * The bit budget of this layer in the sense of Shen et al. 2023 (see {@link BitBudget}):
     * weight bits x input activation bits x time steps; 0 for a layer without weights.
     */
    public long bitBudget() {
        return weightBits == 0 ? 0 : BitBudget.of(weightBits, inputBits, timeSteps);
    }
}
