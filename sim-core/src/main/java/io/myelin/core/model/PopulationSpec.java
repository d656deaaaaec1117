package io.myelin.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.myelin.core.InvalidInputException;

import java.util.Arrays;
import java.util.Objects;

/**
 * A group of neurons sharing one neuron model.
 *
 * @param name      unique name within the network
 * @param size      number of neurons
 * @param model     the neuron dynamics and parameters
 * @param initialV  initial membrane potential, drawn per neuron (mV for {@link LifParameters})
 * @param bias      optional per-neuron constant input (length {@code size}, or null): for {@link LifParameters} a
 *                  constant current in mV added to the drive; for {@link DiscreteLifParameters} a constant added to
 *                  X every step (a folded BatchNorm shift)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PopulationSpec(String name, int size, NeuronModel model, Distribution initialV, float[] bias) {

    public void validate(String where) {
        SpecChecks.notBlank(where + ".name", name);
        if (size <= 0) {
            throw new InvalidInputException(where + " '" + name + "': size must be > 0, got " + size);
        }
        if (model == null) {
            throw new InvalidInputException(where + " '" + name + "': 'model' is missing");
        }
        model.validate(where + " '" + name + "'.model");
        if (initialV == null) {
            throw new InvalidInputException(where + " '" + name + "': 'initialV' is missing");
        }
        initialV.validate(where + " '" + name + "'.initialV");
        if (bias != null) {
            if (bias.length != size) {
                throw new InvalidInputException(where + " '" + name + "'.bias has " + bias.length
                        + " entries for " + size + " neurons");
            }
            for (int i = 0; i < bias.length; i++) {
                if (!Float.isFinite(bias[i])) {
                    throw new InvalidInputException(where + " '" + name + "'.bias[" + i + "] must be finite, got " + bias[i]);
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PopulationSpec p && size == p.size && Objects.equals(name, p.name)
                && Objects.equals(model, p.model) && Objects.equals(initialV, p.initialV) && Arrays.equals(bias, p.bias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, size, model, initialV) * 31 + Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return "PopulationSpec[" + name + ", " + size + " x " + model + "]";
    }
}
