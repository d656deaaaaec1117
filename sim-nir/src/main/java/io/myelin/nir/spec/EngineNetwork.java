package io.myelin.nir.spec;

import io.myelin.core.InvalidInputException;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.SourceSpec;
import io.myelin.nir.io.NpyArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A NIR graph as a Myelin {@link NetworkSpec} ({@link NirToNetworkSpec}): the spec with an empty input source, and
 * the step shift of each neuron node: NIR step t of the node at depth k is engine step {@code t + k} (the engine's
 * smallest delay is one step, NIR's edges are instantaneous).
 *
 * @param spec   the network, input source {@link #INPUT} empty, bias sources {@code bias<k>} filled
 * @param dtMs   step (ms)
 * @param shifts engine steps by which each neuron node (population, same name) lags the NIR run
 * @param output the population read as the NIR Output
 */
public record EngineNetwork(NetworkSpec spec, double dtMs, Map<String, Integer> shifts, String output) {
    /** Name of the spike source fed by the NIR Input. */
    public static final String INPUT = "input";
    /** Prefix of the one-neuron sources that carry a population's constant drive (Affine bias, v_leak). */
    public static final String BIAS_PREFIX = "bias:";

    public EngineNetwork {
        shifts = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(shifts));
    }

    /** Engine steps that cover {@code nirSteps} NIR steps of every population. */
    public int engineSteps(int nirSteps) {
        int max = 0;
        for (int s : shifts.values()) {
            max = Math.max(max, s);
        }
        return nirSteps + max;
    }

    /**
     * The network with {@code input} ({@code [T, n]} non-negative integer counts) as its input spikes: a count c at
     * row t is c spikes of that neuron at step t.
     */
    public NetworkSpec specFor(NpyArray input) {
        SourceSpec.SpikeTimes base = (SourceSpec.SpikeTimes) spec.sourceNamed(INPUT);
        if (input.rowSize() != base.size()) {
            throw new InvalidInputException("input rows hold " + input.rowSize() + " values, the network's input has "
                    + base.size() + " neurons");
        }
        List<Integer> n = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        double[] d = input.data();
        int size = base.size();
        for (int k = 0; k < d.length; k++) {
            double c = d[k];
            if (c < 0 || c != Math.rint(c) || c > 1_000_000) {
                throw new InvalidInputException("the engine's input is spikes: input values must be non-negative "
                        + "integer counts, found " + c + " at row " + k / size + ", element " + k % size);
            }
            for (int j = 0; j < (int) c; j++) {
                n.add(k % size);
                t.add((k / size) * dtMs);
            }
        }
        NetworkSpec out = spec.withSource(new SourceSpec.SpikeTimes(INPUT, size,
                n.stream().mapToInt(Integer::intValue).toArray(), t.stream().mapToDouble(Double::doubleValue).toArray()));
        // each constant drive reaches its population from its first NIR step on: spikes every step from shift - 1
        int steps = engineSteps(input.rows());
        for (SourceSpec s : spec.sources()) {
            if (!s.name().startsWith(BIAS_PREFIX)) {
                continue;
            }
            int from = shifts.get(s.name().substring(BIAS_PREFIX.length())) - 1;
            int[] neurons = new int[Math.max(0, steps - from)];
            double[] times = new double[neurons.length];
            for (int k = 0; k < times.length; k++) {
                times[k] = (from + k) * dtMs;
            }
            out = out.withSource(new SourceSpec.SpikeTimes(s.name(), 1, neurons, times));
        }
        return out;
    }
}
