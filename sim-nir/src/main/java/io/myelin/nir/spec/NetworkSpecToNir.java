package io.myelin.nir.spec;

import io.myelin.core.InvalidInputException;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.SourceSpec;
import io.myelin.nir.graph.Delay;
import io.myelin.nir.graph.Input;
import io.myelin.nir.graph.LeakyIntegrator;
import io.myelin.nir.graph.Lif;
import io.myelin.nir.graph.Linear;
import io.myelin.nir.graph.NirEdge;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Output;
import io.myelin.nir.graph.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reverse of {@link NirToNetworkSpec}: a layered network of discrete LIF populations fed by one spike source
 * as a NIR graph. Each population is at a depth (source 0, then 1 + the depth of what feeds it); every projection
 * comes from the layer just below or from the population itself (recurrence). Synapses are grouped by
 * (pre, post, delay) into {@code Delay -> Linear} chains: engine delay D becomes a NIR delay of {@code D - 1}
 * steps (the engine's one-step minimum and the layer shift are the same step). A never-firing population
 * ({@link DiscreteLifParameters#NEVER_FIRES}) becomes an LI node, the others LIF with {@code tau = tau_s dt},
 * {@code r = tau_s}, {@code v_leak = 0} and the largest double below the engine threshold (so NIR's {@code >}
 * fires where the engine's {@code >=} does). Mapping the result back with {@link NirToNetworkSpec} gives the
 * same synapses, weights, delays and neuron parameters, so the two networks run identically.
 */
public final class NetworkSpecToNir {
    private NetworkSpecToNir() {
    }

    /**
     * @param spec   the network (one source: the input; populations of {@link DiscreteLifParameters}, no bias)
     * @param output the population whose value the NIR Output receives
     */
    public static NirGraph map(NetworkSpec spec, String output) {
        if (spec.sources().size() != 1) {
            throw new InvalidInputException("a network maps to NIR with exactly one source (the Input), it has "
                    + spec.sources().size());
        }
        SourceSpec src = spec.sources().get(0);
        double dtS = spec.dtMs() / 1000.0;
        CompiledNetwork net = CompiledNetwork.compile(spec);
        // group of each global neuron index
        String[] groupOf = new String[net.totalCount];
        int[] localOf = new int[net.totalCount];
        for (CompiledNetwork.PopulationLayout p : net.populations) {
            for (int i = 0; i < p.size(); i++) {
                groupOf[p.offset() + i] = p.name();
                localOf[p.offset() + i] = i;
            }
        }
        for (CompiledNetwork.SourceLayout s : net.sources) {
            for (int i = 0; i < s.size(); i++) {
                groupOf[s.offset() + i] = s.name();
                localOf[s.offset() + i] = i;
            }
        }
        Map<String, Integer> size = new HashMap<>();
        size.put(src.name(), src.size());
        for (PopulationSpec p : spec.populations()) {
            size.put(p.name(), p.size());
            if (!(p.model() instanceof DiscreteLifParameters)) {
                throw new InvalidInputException("population '" + p.name() + "': only discrete LIF populations map to NIR");
            }
            if (p.bias() != null) {
                throw new InvalidInputException("population '" + p.name() + "': a population bias does not map (it "
                        + "would act before the layer's first step); use a bias source");
            }
        }
        // (pre, post) -> delay steps -> weights [post][pre]
        Map<String, TreeMap<Integer, double[]>> groups = new LinkedHashMap<>();
        Map<String, String[]> ends = new LinkedHashMap<>();
        for (int pre = 0; pre < net.totalCount; pre++) {
            for (int s = net.rowStart[pre]; s < net.rowStart[pre + 1]; s++) {
                int post = net.target[s];
                String a = groupOf[pre], b = groupOf[post];
                String key = a + "\u0000" + b;
                ends.putIfAbsent(key, new String[] {a, b});
                int nIn = size.get(a), nOut = size.get(b);
                double[] w = groups.computeIfAbsent(key, k -> new TreeMap<>())
                        .computeIfAbsent(net.delaySteps[s], k -> new double[nOut * nIn]);
                w[localOf[post] * nIn + localOf[pre]] += net.weight[s];
            }
        }
        // depths: strictly layered
        Map<String, Integer> depth = new HashMap<>();
        depth.put(src.name(), 0);
        boolean changed = true;
        for (int round = 0; changed && round <= spec.populations().size() + 1; round++) {
            changed = false;
            for (String[] e : ends.values()) {
                if (!e[0].equals(e[1]) && depth.containsKey(e[0])) {
                    int d = depth.get(e[0]) + 1;
                    Integer old = depth.get(e[1]);
                    if (old == null || d > old) {
                        depth.put(e[1], d);
                        changed = true;
                    }
                }
            }
        }
        for (String[] e : ends.values()) {
            if (!depth.containsKey(e[1])) {
                throw new InvalidInputException("population '" + e[1] + "' is not reached from the source");
            }
            if (!e[0].equals(e[1]) && depth.get(e[1]) != depth.get(e[0]) + 1) {
                throw new InvalidInputException("projection " + e[0] + " -> " + e[1] + " skips or goes back a layer; "
                        + "only layered networks (plus recurrence within a population) map to NIR");
            }
        }
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<NirEdge> edges = new ArrayList<>();
        nodes.put(src.name(), new Input(new int[] {src.size()}));
        List<PopulationSpec> pops = new ArrayList<>(spec.populations());
        pops.sort((x, y) -> Integer.compare(depth.getOrDefault(x.name(), 0), depth.getOrDefault(y.name(), 0)));
        for (PopulationSpec p : pops) {
            DiscreteLifParameters m = (DiscreteLifParameters) p.model();
            int n = p.size();
            Tensor tau = Tensor.filled(new int[] {n}, m.tauSteps() * dtS);
            Tensor r = Tensor.filled(new int[] {n}, m.tauSteps());
            Tensor zero = Tensor.filled(new int[] {n}, 0);
            nodes.put(p.name(), m.vThreshold() >= DiscreteLifParameters.NEVER_FIRES
                    ? new LeakyIntegrator(tau, r, zero)
                    : new Lif(tau, r, zero, Tensor.filled(new int[] {n}, Math.nextDown((double) (float) m.vThreshold())),
                    Tensor.filled(new int[] {n}, (float) m.vReset())));
        }
        int k = 0;
        for (Map.Entry<String, TreeMap<Integer, double[]>> g : groups.entrySet()) {
            String[] e = ends.get(g.getKey());
            for (Map.Entry<Integer, double[]> d : g.getValue().entrySet()) {
                int steps = d.getKey() - 1;
                String delayKey = "c" + k + "_delay" + steps, wKey = "c" + k + "_w" + steps;
                k++;
                nodes.put(delayKey, new Delay(Tensor.filled(new int[] {size.get(e[0])}, steps * dtS)));
                nodes.put(wKey, new Linear(Tensor.matrix(size.get(e[1]), size.get(e[0]), d.getValue(), false)));
                edges.add(new NirEdge(e[0], delayKey));
                edges.add(new NirEdge(delayKey, wKey));
                edges.add(new NirEdge(wKey, e[1]));
            }
        }
        if (!size.containsKey(output) || output.equals(src.name())) {
            throw new InvalidInputException("output population '" + output + "' is not a population of the network");
        }
        nodes.put("output", new Output(new int[] {size.get(output)}));
        edges.add(new NirEdge(output, "output"));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dt", dtS);
        meta.put("time_unit", "s");
        meta.put("source", "Myelin NetworkSpec");
        return new NirGraph(nodes, edges, meta);
    }
}
