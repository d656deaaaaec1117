package io.myelin.nir.run;

import io.myelin.nir.io.NpyArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run recorded: the Output node's value after every step ({@code [T, *outputShape]}) and, per neuron node,
 * its membrane potential after every step ({@code [T, *shape]}, after any reset), in row-major order.
 */
public record NirTrace(int steps, int[] outputShape, double[] output, Map<String, int[]> stateShapes,
                       Map<String, double[]> states) {
    public NirTrace {
        outputShape = outputShape.clone();
        stateShapes = Collections.unmodifiableMap(new LinkedHashMap<>(stateShapes));
        states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
    }

    /** The arrays {@code myelin nir run} writes: {@code output} and one per neuron node, by node key (float64). */
    public Map<String, NpyArray> arrays() {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("output", new NpyArray(withSteps(outputShape), output, false));
        for (Map.Entry<String, double[]> e : states.entrySet()) {
            m.put(e.getKey(), new NpyArray(withSteps(stateShapes.get(e.getKey())), e.getValue(), false));
        }
        return m;
    }

    private int[] withSteps(int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = steps;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
