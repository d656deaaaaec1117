package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

/** Validation shared by the neuron records: present, finite, one shape (single values broadcast). */
final class NeuronParameters {
    private NeuronParameters() {
    }

    /** The population shape: that of the parameter with the most values; every other has as many or one. */
    static int[] shape(String type, String[] names, Tensor... params) {
        Tensor ref = null;
        for (int i = 0; i < params.length; i++) {
            if (params[i] == null) {
                throw new InvalidInputException(type + ": parameter '" + names[i] + "' is missing");
            }
            Shapes.finite(type + ": '" + names[i] + "'", params[i]);
            if (ref == null || params[i].size() > ref.size()) {
                ref = params[i];
            }
        }
        for (int i = 0; i < params.length; i++) {
            Shapes.sameShape(type + ": '" + names[i] + "'", params[i], ref);
        }
        if (ref.size() < 1) {
            throw new InvalidInputException(type + ": parameters are empty");
        }
        return ref.rank() == 0 ? new int[] {1} : ref.shape();
    }
}
