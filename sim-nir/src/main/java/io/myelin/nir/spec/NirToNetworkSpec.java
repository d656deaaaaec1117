package io.myelin.nir.spec;

import io.myelin.core.InvalidInputException;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.model.SourceSpec;
import io.myelin.nir.graph.Affine;
import io.myelin.nir.graph.CheckedGraph;
import io.myelin.nir.graph.Delay;
import io.myelin.nir.graph.Input;
import io.myelin.nir.graph.LeakyIntegrator;
import io.myelin.nir.graph.Lif;
import io.myelin.nir.graph.Linear;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Output;
import io.myelin.nir.graph.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a NIR graph onto Myelin's own network description, so it runs on Myelin's engines and backends, where the
 * semantics match exactly (docs/nir.md, "Which graphs map"): one Input fed with spike counts; LIF and LI neuron
 * nodes with one time constant, threshold and reset per node; between them chains {@code [Delay ->] Linear|Affine}
 * (each node of a chain with one predecessor and one successor); one Output fed by a neuron node. A LIF's Euler
 * step {@code v += dt/tau (v_leak - v + r I)} is the engine's discrete LIF {@code V = V - V/tau_s + X} with
 * {@code tau_s = tau/dt}, synaptic weights {@code (dt/tau) r W} and a constant drive {@code (dt/tau)(r b + v_leak)};
 * NIR fires on {@code v > v_threshold}, the engine on {@code >=}: the engine threshold is the next float above.
 * Engine delays are at least one step, so a neuron node at depth k (its longest chain of neuron nodes from the
 * Input) runs k steps later than in NIR; a synapse gets {@code delay + depth(post) - depth(pre)} steps (plus one
 * for an edge NIR evaluates from the previous step), and constant drives come from a source spiking every step from
 * step k-1 (EngineExport's construction). Values are then float32 and weights 32-bit fixed point in the engine:
 * equal in exact arithmetic, equal up to rounding in practice.
 */
public final class NirToNetworkSpec {
    private NirToNetworkSpec() {
    }

    /** One synapse group: pre node, post neuron, weights {@code [post][pre]}, per-pre delay steps, bias or null. */
    private record Chain(String pre, String post, int outSize, int inSize, double[] weight, int[] delay, double[] bias) {
    }

    /**
     * @param graph   the graph (checked and flattened here)
     * @param dtSeconds the NIR step (s)
     * @throws InvalidInputException naming the first node that does not fit
     */
    public static EngineNetwork map(NirGraph graph, double dtSeconds) {
        CheckedGraph g = graph.check();
        Map<String, NirNode> nodes = g.graph().nodes();
        List<String> order = g.order();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        Map<String, List<String>> succ = new HashMap<>();
        for (String k : order) {
            succ.put(k, new ArrayList<>());
        }
        for (String k : order) {
            for (String p : g.predecessors(k)) {
                succ.get(p).add(k);
            }
        }
        List<String> inputs = g.graph().inputKeys(), outputs = g.graph().outputKeys();
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new InvalidInputException("only graphs with one Input and one Output map to a Myelin network");
        }
        String input = inputs.get(0);
        List<Chain> chains = new ArrayList<>();
        String outputPop = null;
        for (String k : order) {
            NirNode n = nodes.get(k);
            if (n instanceof Lif || n instanceof LeakyIntegrator) {
                for (String p : g.predecessors(k)) {
                    chains.add(chain(g, nodes, succ, p, k, dtSeconds, input));
                }
            } else if (n instanceof Output) {
                List<String> p = g.predecessors(k);
                if (p.size() != 1 || !(nodes.get(p.get(0)) instanceof Lif || nodes.get(p.get(0)) instanceof LeakyIntegrator)) {
                    throw new InvalidInputException(NirNode.where(k, n) + ": must be fed by exactly one LIF or LI node "
                            + "to map to a Myelin network");
                }
                outputPop = p.get(0);
            } else if (!(n instanceof Input || n instanceof Linear || n instanceof Affine || n instanceof Delay)) {
                throw new InvalidInputException(NirNode.where(k, n) + ": only Input, Output, LIF, LI, Linear, Affine "
                        + "and Delay nodes map to a Myelin network");
            }
        }
        // depth: 1 + the deepest feed-forward (earlier-evaluated) source
        Map<String, Integer> depth = new LinkedHashMap<>();
        depth.put(input, 0);
        for (String k : order) {
            NirNode n = nodes.get(k);
            if (!(n instanceof Lif || n instanceof LeakyIntegrator)) {
                continue;
            }
            int d = 1;
            for (Chain c : chains) {
                if (c.post.equals(k) && position.get(c.pre) < position.get(k)) {
                    d = Math.max(d, depth.get(c.pre) + 1);
                }
            }
            depth.put(k, d);
        }
        double dtMs = dtSeconds * 1000;
        NetworkSpec.Builder b = NetworkSpec.builder().dtMs(dtMs).seed(0);
        b.source(new SourceSpec.SpikeTimes(EngineNetwork.INPUT, g.size(input), new int[0], new double[0]));
        Map<String, Integer> shifts = new LinkedHashMap<>();
        Map<String, double[]> drive = new LinkedHashMap<>();
        for (String k : order) {
            NirNode n = nodes.get(k);
            if (!(n instanceof Lif || n instanceof LeakyIntegrator)) {
                continue;
            }
            int size = g.size(k);
            double[] tau, r, vLeak;
            DiscreteLifParameters p;
            String w = NirNode.where(k, n);
            if (n instanceof Lif l) {
                tau = l.tau().broadcast(size, w);
                r = l.r().broadcast(size, w);
                vLeak = l.vLeak().broadcast(size, w);
                double th = uniform(l.vThreshold().broadcast(size, w), w, "v_threshold");
                double reset = uniform(l.vReset().broadcast(size, w), w, "v_reset");
                float f = (float) th;
                if (f <= th) {
                    f = Math.nextUp(f);
                }
                p = new DiscreteLifParameters(uniform(tau, w, "tau") / dtSeconds, f, reset);
            } else {
                LeakyIntegrator l = (LeakyIntegrator) n;
                tau = l.tau().broadcast(size, w);
                r = l.r().broadcast(size, w);
                vLeak = l.vLeak().broadcast(size, w);
                p = DiscreteLifParameters.readout(uniform(tau, w, "tau") / dtSeconds);
            }
            b.population(new PopulationSpec(k, size, p, Distribution.constant(0), null));
            shifts.put(k, depth.get(k));
            double[] c = new double[size];
            for (int i = 0; i < size; i++) {
                c[i] = dtSeconds / tau[i] * vLeak[i];
            }
            drive.put(k, c);
        }
        int chainIndex = 0;
        for (Chain c : chains) {
            NirNode post = nodes.get(c.post);
            String w = NirNode.where(c.post, post);
            double[] tau = post instanceof Lif l ? l.tau().broadcast(c.outSize, w)
                    : ((LeakyIntegrator) post).tau().broadcast(c.outSize, w);
            double[] r = post instanceof Lif l ? l.r().broadcast(c.outSize, w)
                    : ((LeakyIntegrator) post).r().broadcast(c.outSize, w);
            int dPost = depth.get(c.post), dPre = depth.get(c.pre);
            boolean previousStep = position.get(c.pre) >= position.get(c.post);
            int extra = dPost - dPre + (previousStep ? 1 : 0);
            List<int[]> syn = new ArrayList<>();
            List<Float> weights = new ArrayList<>();
            List<Float> delays = new ArrayList<>();
            for (int o = 0; o < c.outSize; o++) {
                double scale = dtSeconds / tau[o] * r[o];
                for (int i = 0; i < c.inSize; i++) {
                    double wv = c.weight[o * c.inSize + i];
                    if (wv == 0) {
                        continue;
                    }
                    int steps = c.delay[i] + extra;
                    if (steps < 1) {
                        throw new InvalidInputException(w + ": the edge from '" + c.pre + "' would need a delay of "
                                + steps + " engine steps (a recurrent edge into an earlier layer): not mappable");
                    }
                    syn.add(new int[] {i, o});
                    weights.add((float) (scale * wv));
                    delays.add((float) (steps * dtMs));
                }
            }
            if (c.bias != null) {
                double[] d = drive.get(c.post);
                for (int o = 0; o < c.outSize; o++) {
                    d[o] += dtSeconds / tau[o] * r[o] * c.bias[o];
                }
            }
            if (syn.isEmpty()) {
                continue;
            }
            int[] pre = new int[syn.size()], postIdx = new int[syn.size()];
            float[] ws = new float[syn.size()], ds = new float[syn.size()];
            for (int s = 0; s < syn.size(); s++) {
                pre[s] = syn.get(s)[0];
                postIdx[s] = syn.get(s)[1];
                ws[s] = weights.get(s);
                ds[s] = delays.get(s);
            }
            String source = c.pre.equals(input) ? EngineNetwork.INPUT : c.pre;
            b.projection(ProjectionSpec.from(source).to(c.post).named("syn" + (chainIndex++) + ":" + c.pre + "->" + c.post)
                    .explicit(pre, postIdx, ws, ds));
        }
        // constant drives: one bias source neuron per population with a drive, spiking every step from shift - 1
        for (Map.Entry<String, double[]> e : drive.entrySet()) {
            double[] d = e.getValue();
            boolean any = false;
            for (double v : d) {
                any |= v != 0;
            }
            if (!any) {
                continue;
            }
            String name = EngineNetwork.BIAS_PREFIX + e.getKey();
            b.source(new SourceSpec.SpikeTimes(name, 1, new int[0], new double[0]));
            int[] pre = new int[d.length], post = new int[d.length];
            float[] ws = new float[d.length], ds = new float[d.length];
            for (int o = 0; o < d.length; o++) {
                post[o] = o;
                ws[o] = (float) d[o];
                ds[o] = (float) dtMs;
            }
            b.projection(ProjectionSpec.from(name).to(e.getKey()).named(name).explicit(pre, post, ws, ds));
        }
        return new EngineNetwork(b.build(), dtMs, shifts, outputPop);
    }

    private static double uniform(double[] v, String where, String what) {
        for (double x : v) {
            if (x != v[0]) {
                throw new InvalidInputException(where + ": '" + what + "' differs between neurons; a Myelin population "
                        + "has one value");
            }
        }
        return v[0];
    }

    /** Walks back from neuron {@code post} through {@code [Delay ->] Linear|Affine} to a neuron or the Input. */
    private static Chain chain(CheckedGraph g, Map<String, NirNode> nodes, Map<String, List<String>> succ, String from,
                               String post, double dt, String input) {
        NirNode n = nodes.get(from);
        String where = NirNode.where(from, n);
        if (n instanceof Lif || n instanceof LeakyIntegrator || n instanceof Input) {
            throw new InvalidInputException(NirNode.where(post, nodes.get(post)) + ": is fed by '" + from + "' directly;"
                    + " a Myelin projection needs a Linear or Affine between neurons");
        }
        if (!(n instanceof Linear || n instanceof Affine)) {
            throw new InvalidInputException(where + ": only Linear or Affine may feed a neuron in a mappable graph");
        }
        single(g, succ, from, where);
        double[] w = n instanceof Linear l ? l.weight().data() : ((Affine) n).weight().data();
        double[] bias = n instanceof Affine a ? a.bias().data() : null;
        int out = n instanceof Linear l ? l.out() : ((Affine) n).out();
        int in = n instanceof Linear l ? l.in() : ((Affine) n).in();
        String pre = g.predecessors(from).get(0);
        int[] delay = new int[in];
        if (nodes.get(pre) instanceof Delay d) {
            single(g, succ, pre, NirNode.where(pre, d));
            double[] sec = d.delay().broadcast(in, NirNode.where(pre, d));
            for (int i = 0; i < in; i++) {
                delay[i] = (int) Math.rint(sec[i] / dt);
            }
            pre = g.predecessors(pre).get(0);
        }
        NirNode p = nodes.get(pre);
        if (!(p instanceof Lif || p instanceof LeakyIntegrator || p instanceof Input)) {
            throw new InvalidInputException(NirNode.where(pre, p) + ": a chain into '" + post + "' must start at a "
                    + "neuron or the Input");
        }
        return new Chain(pre, post, out, in, w, delay, bias);
    }

    private static void single(CheckedGraph g, Map<String, List<String>> succ, String key, String where) {
        if (g.predecessors(key).size() != 1 || succ.get(key).size() != 1) {
            throw new InvalidInputException(where + ": must have exactly one incoming and one outgoing edge to map to a "
                    + "Myelin projection");
        }
    }
}
