package io.myelin.core.backend;

/**
 * One step of the neurons of a range that lies inside one population: deliver their ring-buffer entries of this step
 * (and clear them), integrate, hold refractory neurons, detect threshold crossings and reset. Implementations give
 * bit-identical results; {@link ScalarNeuronUpdate} is the definition and {@link JavaBackend}'s class comment the
 * mathematics.
 */
interface NeuronUpdate {
    /**
     * Updates neurons {@code [from, to)} of population {@code population} and appends the spiking ones, ascending, to
     * {@code out} from {@code count}.
     *
     * @param slotBase index of the first ring entry of the slot due in this step
     * @return the new count of {@code out}
     */
    int update(int population, int from, int to, int slotBase, int[] out, int count);
}
