package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Inlines nested graphs: see {@link NirGraph#flattened()}. */
final class GraphFlattener {
    private GraphFlattener() {
    }

    static NirGraph flatten(NirGraph g) {
        boolean nested = false;
        for (NirNode n : g.nodes().values()) {
            nested |= n instanceof NirGraph;
        }
        if (!nested) {
            return g;
        }
        Map<String, NirNode> flat = new LinkedHashMap<>();
        Set<String> passThrough = new LinkedHashSet<>();
        Map<String, String[]> ends = new LinkedHashMap<>(); // nested graph key -> {its input key, its output key}
        List<NirEdge> edges = new ArrayList<>();
        for (Map.Entry<String, NirNode> e : g.nodes().entrySet()) {
            String key = e.getKey();
            if (!(e.getValue() instanceof NirGraph sub)) {
                put(flat, key, e.getValue());
                continue;
            }
            NirGraph inner = flatten(sub);
            for (Map.Entry<String, NirNode> c : inner.nodes().entrySet()) {
                String k = key + "." + c.getKey();
                put(flat, k, c.getValue());
                if (c.getValue() instanceof Input || c.getValue() instanceof Output) {
                    passThrough.add(k);
                }
            }
            for (NirEdge ie : inner.edges()) {
                edges.add(new NirEdge(key + "." + ie.source(), key + "." + ie.target()));
            }
            List<String> ins = inner.inputKeys(), outs = inner.outputKeys();
            ends.put(key, new String[] {ins.size() == 1 ? key + "." + ins.get(0) : null,
                    outs.size() == 1 ? key + "." + outs.get(0) : null});
        }
        List<NirEdge> outer = new ArrayList<>();
        for (NirEdge e : g.edges()) {
            outer.add(new NirEdge(endpoint(e.source(), ends, flat, false, e), endpoint(e.target(), ends, flat, true, e)));
        }
        outer.addAll(edges);
        // Replace each pass-through node p by edges from its predecessors to its successors.
        for (String p : passThrough) {
            List<String> preds = new ArrayList<>();
            for (NirEdge e : outer) {
                if (e.target().equals(p) && !e.source().equals(p)) {
                    preds.add(e.source());
                }
            }
            List<NirEdge> next = new ArrayList<>();
            for (NirEdge e : outer) {
                if (e.target().equals(p)) {
                    continue;
                }
                if (e.source().equals(p)) {
                    for (String q : preds) {
                        next.add(new NirEdge(q, e.target()));
                    }
                } else {
                    next.add(e);
                }
            }
            outer = next;
            flat.remove(p);
        }
        return new NirGraph(flat, outer, g.metadata());
    }

    private static void put(Map<String, NirNode> flat, String key, NirNode n) {
        if (flat.putIfAbsent(key, n) != null) {
            throw new InvalidInputException("NIR graph: flattening nested graphs gives two nodes named '" + key + "'");
        }
    }

    private static String endpoint(String name, Map<String, String[]> ends, Map<String, NirNode> flat, boolean target,
                                   NirEdge edge) {
        String[] io = ends.get(name);
        if (io != null) {
            String k = target ? io[0] : io[1];
            if (k == null) {
                throw new InvalidInputException("NIR graph: edge " + edge + " names nested graph '" + name
                        + "', which needs exactly one " + (target ? "Input" : "Output") + " node for that");
            }
            return k;
        }
        if (flat.containsKey(name)) {
            return name;
        }
        throw new InvalidInputException("NIR graph: edge " + edge + " names '" + name + "', which the graph does not have"
                + " (dangling edge)");
    }
}
