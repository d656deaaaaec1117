package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A flat graph known to be runnable: every node's output shape, its predecessors (one entry per edge, in file
 * order) and the breadth-first evaluation order from the Input nodes. Nodes no Input reaches come last, in node
 * order.
 */
public final class CheckedGraph {
    private final NirGraph graph;
    private final Map<String, int[]> shapes;
    private final Map<String, List<String>> predecessors;
    private final List<String> order;

    private CheckedGraph(NirGraph graph, Map<String, int[]> shapes, Map<String, List<String>> predecessors,
                         List<String> order) {
        this.graph = graph;
        this.shapes = shapes;
        this.predecessors = predecessors;
        this.order = order;
    }

    static CheckedGraph of(NirGraph flat) {
        Map<String, List<String>> preds = new LinkedHashMap<>();
        Map<String, List<String>> succs = new LinkedHashMap<>();
        for (String k : flat.nodes().keySet()) {
            preds.put(k, new ArrayList<>());
            succs.put(k, new ArrayList<>());
        }
        for (NirEdge e : flat.edges()) {
            preds.get(e.target()).add(e.source());
            succs.get(e.source()).add(e.target());
        }
        for (Map.Entry<String, NirNode> e : flat.nodes().entrySet()) {
            if (e.getValue() instanceof Input && !preds.get(e.getKey()).isEmpty()) {
                throw new InvalidInputException(NirNode.where(e.getKey(), e.getValue()) + ": has incoming edges from "
                        + preds.get(e.getKey()) + "; an Input node only feeds the graph");
            }
            if (e.getValue() instanceof Output && !succs.get(e.getKey()).isEmpty()) {
                throw new InvalidInputException(NirNode.where(e.getKey(), e.getValue()) + ": has outgoing edges to "
                        + succs.get(e.getKey()) + "; an Output node only leaves the graph");
            }
        }
        List<String> order = breadthFirst(flat, succs);
        rejectCyclesWithoutNeuron(flat, succs);
        Map<String, int[]> shapes = inferShapes(flat, preds, order);
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        preds.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new CheckedGraph(flat, Collections.unmodifiableMap(shapes), Collections.unmodifiableMap(frozen),
                List.copyOf(order));
    }

    private static List<String> breadthFirst(NirGraph g, Map<String, List<String>> succs) {
        List<String> order = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        for (String in : g.inputKeys()) {
            seen.add(in);
            queue.add(in);
        }
        while (!queue.isEmpty()) {
            String k = queue.poll();
            order.add(k);
            for (String s : succs.get(k)) {
                if (seen.add(s)) {
                    queue.add(s);
                }
            }
        }
        for (String k : g.nodes().keySet()) {
            if (seen.add(k)) {
                order.add(k);
            }
        }
        return order;
    }

    /** A cycle through stateless nodes only would be an algebraic loop: NIR gives it no meaning. */
    private static void rejectCyclesWithoutNeuron(NirGraph g, Map<String, List<String>> succs) {
        Map<String, Integer> state = new HashMap<>(); // 1 on the stack, 2 done
        for (String start : g.nodes().keySet()) {
            if (state.containsKey(start) || g.nodes().get(start) instanceof NeuronNode) {
                continue;
            }
            // iterative DFS over non-neuron nodes
            ArrayDeque<String> path = new ArrayDeque<>();
            ArrayDeque<Integer> next = new ArrayDeque<>();
            path.push(start);
            next.push(0);
            state.put(start, 1);
            while (!path.isEmpty()) {
                String k = path.peek();
                int i = next.pop();
                List<String> out = succs.get(k);
                if (i < out.size()) {
                    next.push(i + 1);
                    String s = out.get(i);
                    if (g.nodes().get(s) instanceof NeuronNode) {
                        continue;
                    }
                    Integer st = state.get(s);
                    if (st == null) {
                        state.put(s, 1);
                        path.push(s);
                        next.push(0);
                    } else if (st == 1) {
                        List<String> cycle = new ArrayList<>();
                        for (String p : path) {
                            cycle.add(0, p);
                            if (p.equals(s)) {
                                break;
                            }
                        }
                        cycle.add(s);
                        throw new InvalidInputException(NirNode.where(s, g.nodes().get(s)) + ": lies on a cycle with no "
                                + "neuron node (" + String.join(" -> ", cycle) + "); every cycle needs a neuron "
                                + "(I, IF, LI, LIF, CubaLI, CubaLIF) to carry state from one step to the next");
                    }
                } else {
                    state.put(k, 2);
                    path.pop();
                }
            }
        }
    }

    private static Map<String, int[]> inferShapes(NirGraph g, Map<String, List<String>> preds, List<String> order) {
        Map<String, int[]> shapes = new HashMap<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String k : order) {
                if (shapes.containsKey(k)) {
                    continue;
                }
                NirNode n = g.nodes().get(k);
                int[] in = null;
                String from = null;
                boolean ready = true;
                for (String p : preds.get(k)) {
                    int[] s = shapes.get(p);
                    if (s == null) {
                        ready = false;
                        continue;
                    }
                    if (in == null) {
                        in = s;
                        from = p;
                    } else if (Tensor.count(in) != Tensor.count(s)) {
                        throw new InvalidInputException(NirNode.where(k, n) + ": its inputs disagree in size: '" + from
                                + "' gives " + Arrays.toString(in) + " but '" + p + "' gives " + Arrays.toString(s));
                    }
                }
                if (n instanceof Input) {
                    shapes.put(k, n.outputShape(null, k));
                    progress = true;
                } else if (ready && in != null) {
                    shapes.put(k, n.outputShape(in, k));
                    progress = true;
                } else if (in != null || preds.get(k).isEmpty()) {
                    int[] own = intrinsicShape(n);
                    if (own != null) {
                        if (in != null) {
                            n.outputShape(in, k); // checks the predecessors known so far
                        }
                        shapes.put(k, own);
                        progress = true;
                    }
                }
            }
        }
        for (String k : order) {
            if (!shapes.containsKey(k)) {
                NirNode n = g.nodes().get(k);
                throw new InvalidInputException(NirNode.where(k, n) + ": its shape cannot be inferred (no input reaches"
                        + " it" + (preds.get(k).isEmpty() ? " and it has no incoming edge" : "") + ")");
            }
        }
        // Second pass: with every shape known, check every node against all of its inputs (recurrent ones too).
        for (String k : order) {
            NirNode n = g.nodes().get(k);
            for (String p : preds.get(k)) {
                int[] out = n.outputShape(shapes.get(p), k);
                if (!Arrays.equals(out, shapes.get(k)) && Tensor.count(out) != Tensor.count(shapes.get(k))) {
                    throw new InvalidInputException(NirNode.where(k, n) + ": input from '" + p + "' "
                            + Arrays.toString(shapes.get(p)) + " does not fit");
                }
            }
        }
        return shapes;
    }

    /** The output shape a node has whatever it receives, or null when it depends on the input. */
    private static int[] intrinsicShape(NirNode n) {
        if (n instanceof NeuronNode nn) {
            return nn.shape();
        }
        if (n instanceof Affine a) {
            return new int[] {a.out()};
        }
        if (n instanceof Linear l) {
            return new int[] {l.out()};
        }
        if (n instanceof Scale s) {
            return s.scale().shape();
        }
        if (n instanceof Threshold t) {
            return t.threshold().shape();
        }
        if (n instanceof Delay d) {
            return d.delay().shape();
        }
        if (n instanceof Output o) {
            return o.shape();
        }
        return null;
    }

    /** The checked flat graph. */
    public NirGraph graph() {
        return graph;
    }

    /** Output shape of node {@code key}. */
    public int[] shape(String key) {
        int[] s = shapes.get(key);
        if (s == null) {
            throw new InvalidInputException("NIR graph has no node '" + key + "'");
        }
        return s.clone();
    }

    /** Elements of node {@code key}'s output. */
    public int size(String key) {
        return (int) Tensor.count(shape(key));
    }

    /** Predecessors of {@code key}, one per edge, in file order. */
    public List<String> predecessors(String key) {
        return predecessors.get(key);
    }

    /** Input shape of {@code key}: the shape of its first predecessor, or null without one. */
    public int[] inputShape(String key) {
        List<String> p = predecessors.get(key);
        return p.isEmpty() ? null : shape(p.get(0));
    }

    /** Evaluation order: breadth-first from the Input nodes. */
    public List<String> order() {
        return order;
    }
}
