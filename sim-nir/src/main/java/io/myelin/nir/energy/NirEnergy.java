package io.myelin.nir.energy;

import io.myelin.core.energy.Accuracy;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.energy.ParameterKind;
import io.myelin.nir.graph.Affine;
import io.myelin.nir.graph.CheckedGraph;
import io.myelin.nir.graph.Conv;
import io.myelin.nir.graph.CubaLi;
import io.myelin.nir.graph.CubaLif;
import io.myelin.nir.graph.Delay;
import io.myelin.nir.graph.IntegrateAndFire;
import io.myelin.nir.graph.Integrator;
import io.myelin.nir.graph.LeakyIntegrator;
import io.myelin.nir.graph.Lif;
import io.myelin.nir.graph.Linear;
import io.myelin.nir.graph.NeuronNode;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Output;
import io.myelin.nir.graph.Scale;
import io.myelin.nir.graph.Tensor;
import io.myelin.nir.graph.Threshold;
import io.myelin.nir.run.NirActivity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NIR run as {@link ModelActivity} for the energy report. A layer is a neuron node (or the Output node) together
 * with the stateless nodes that feed it (Affine, Linear, Conv, Scale, pooling, Delay): their synaptic operations,
 * counted from the run's actual inputs (zero inputs cost nothing; ACs where every non-zero input was a spike of 1,
 * MACs otherwise), are charged to it. Operations are costed at float32 width; the model size counts every stored
 * parameter at the width the graph stores it (float32 or float64), delays at {@code ceil(log2(steps + 1))} bits.
 */
public final class NirEnergy {
    private NirEnergy() {
    }

    /**
     * @param name     what ran (file name)
     * @param detail   free text (input, steps)
     * @param graph    the checked graph the runner ran
     * @param activity the runner's counts ({@link io.myelin.nir.run.NirRunner#activity()})
     * @param samples  sequences the counts cover (&ge; 1)
     */
    public static ModelActivity of(String name, String detail, CheckedGraph graph, NirActivity activity, long samples,
                                   Accuracy accuracy) {
        Map<String, NirActivity.Node> byKey = new LinkedHashMap<>();
        for (NirActivity.Node n : activity.nodes()) {
            byKey.put(n.key(), n);
        }
        Map<String, String> layerOf = attribute(graph);
        List<LayerActivity> layers = new ArrayList<>();
        long steps = activity.steps() / Math.max(1, samples);
        for (String key : graph.order()) {
            NirNode node = graph.graph().nodes().get(key);
            if (!(node instanceof NeuronNode) && !(node instanceof Output)) {
                continue;
            }
            NirActivity.Node self = byKey.get(key);
            long acs = 0, macs = 0, synapses = 0, ann = 0;
            for (Map.Entry<String, String> e : layerOf.entrySet()) {
                if (e.getValue().equals(key)) {
                    NirActivity.Node s = byKey.get(e.getKey());
                    acs += s.acs();
                    macs += s.macs();
                    synapses += s.synapses();
                    ann += s.annMacs();
                }
            }
            if (node instanceof Output && acs + macs + synapses == 0) {
                continue;
            }
            int inputBits = macs > 0 ? 32 : 1;
            layers.add(new LayerActivity(key, node.type(), self.size(), steps, samples, self.spikes(), acs, macs,
                    self.updates(), synapses, ann, synapses > 0 ? 32 : 0, inputBits));
        }
        return new ModelActivity(name, detail, activity.dt() * 1000, layers, size(graph, activity.dt()), accuracy,
                List.of());
    }

    /** Each stateless node -> the first neuron (or Output) node it feeds, in evaluation order. */
    private static Map<String, String> attribute(CheckedGraph g) {
        Map<String, List<String>> succ = new LinkedHashMap<>();
        for (String k : g.order()) {
            succ.put(k, new ArrayList<>());
        }
        for (String k : g.order()) {
            for (String p : g.predecessors(k)) {
                succ.get(p).add(k);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : g.order()) {
            NirNode n = g.graph().nodes().get(k);
            if (n instanceof NeuronNode || n instanceof Output || n instanceof io.myelin.nir.graph.Input) {
                continue;
            }
            // breadth-first downstream through stateless nodes to the first neuron or output
            java.util.ArrayDeque<String> q = new java.util.ArrayDeque<>(succ.get(k));
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (!q.isEmpty()) {
                String s = q.poll();
                if (!seen.add(s)) {
                    continue;
                }
                NirNode sn = g.graph().nodes().get(s);
                if (sn instanceof NeuronNode || sn instanceof Output) {
                    out.put(k, s);
                    break;
                }
                q.addAll(succ.get(s));
            }
        }
        return out;
    }

    /** Stored parameters by node and kind, at their stored widths. */
    public static ModelSize size(CheckedGraph g, double dt) {
        ModelSize.Builder b = ModelSize.builder();
        for (Map.Entry<String, NirNode> e : g.graph().nodes().entrySet()) {
            String k = e.getKey();
            NirNode n = e.getValue();
            if (n instanceof Affine a) {
                add(b, k, ParameterKind.WEIGHT, a.weight());
                add(b, k, ParameterKind.BIAS, a.bias());
            } else if (n instanceof Linear l) {
                add(b, k, ParameterKind.WEIGHT, l.weight());
            } else if (n instanceof Conv c) {
                add(b, k, ParameterKind.WEIGHT, c.weight());
                add(b, k, ParameterKind.BIAS, c.bias());
            } else if (n instanceof Scale s) {
                add(b, k, ParameterKind.SCALE, s.scale());
            } else if (n instanceof Threshold t) {
                add(b, k, ParameterKind.THRESHOLD, t.threshold());
            } else if (n instanceof Delay d) {
                long max = 0;
                for (double v : d.delay().data()) {
                    max = Math.max(max, Math.round(v / dt));
                }
                b.delays(k, d.delay().size(), max + 1);
            } else if (n instanceof Lif l) {
                add(b, k, ParameterKind.THRESHOLD, l.vThreshold());
                add(b, k, ParameterKind.NEURON, l.tau(), l.r(), l.vLeak(), l.vReset());
            } else if (n instanceof LeakyIntegrator l) {
                add(b, k, ParameterKind.NEURON, l.tau(), l.r(), l.vLeak());
            } else if (n instanceof IntegrateAndFire f) {
                add(b, k, ParameterKind.THRESHOLD, f.vThreshold());
                add(b, k, ParameterKind.NEURON, f.r(), f.vReset());
            } else if (n instanceof Integrator i) {
                add(b, k, ParameterKind.NEURON, i.r());
            } else if (n instanceof CubaLif c) {
                add(b, k, ParameterKind.THRESHOLD, c.vThreshold());
                add(b, k, ParameterKind.NEURON, c.tauSyn(), c.tauMem(), c.r(), c.vLeak(), c.vReset(), c.wIn());
            } else if (n instanceof CubaLi c) {
                add(b, k, ParameterKind.NEURON, c.tauSyn(), c.tauMem(), c.r(), c.vLeak(), c.wIn());
            }
        }
        return b.build();
    }

    private static void add(ModelSize.Builder b, String layer, ParameterKind kind, Tensor... ts) {
        long n32 = 0, n64 = 0;
        for (Tensor t : ts) {
            if (t.single()) {
                n32 += t.size();
            } else {
                n64 += t.size();
            }
        }
        b.add(layer, kind, n32, 32);
        b.add(layer, kind, n64, 64);
    }
}
