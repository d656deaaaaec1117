package io.myelin.nir.graph;

import io.myelin.core.InvalidInputException;
import io.myelin.nir.io.NirReader;
import io.myelin.nir.io.NirWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NIR graph: named nodes, edges between them (several edges into one node are summed) and free metadata. A graph
 * is itself a node, so graphs nest; an edge may name a nested graph (its single Input or Output) or a node inside
 * it as {@code "graph.node"}. Immutable; the constructor checks that every edge names existing nodes.
 *
 * <p>{@link #read(Path)} and {@link #write(Path)} use the HDF5 layout of the reference {@code nir} library;
 * {@link #check()} (run by the reader) flattens nested graphs, infers every node's shape and rejects cycles that
 * pass through no neuron.
 */
public final class NirGraph implements NirNode {
    /** The NIR format version Myelin writes. */
    public static final String VERSION = "1.0.7";

    private final Map<String, NirNode> nodes;
    private final List<NirEdge> edges;
    private final Map<String, Object> metadata;

    /**
     * @param nodes    nodes by key, in the order to keep
     * @param edges    edges in file order (the order breadth-first evaluation visits successors in)
     * @param metadata free values: strings, numbers ({@link Double} or {@link Long}) or {@link Tensor}s
     */
    public NirGraph(Map<String, ? extends NirNode> nodes, List<NirEdge> edges, Map<String, Object> metadata) {
        if (nodes == null || nodes.isEmpty()) {
            throw new InvalidInputException("NIR graph: it has no nodes");
        }
        this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        this.edges = List.copyOf(edges == null ? List.of() : edges);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata == null ? Map.of() : metadata));
        for (String k : this.nodes.keySet()) {
            if (k.isEmpty() || k.contains("/")) {
                throw new InvalidInputException("NIR graph: node key '" + k + "' must be non-empty and free of '/'");
            }
        }
        for (NirEdge e : this.edges) {
            if (!resolves(e.source())) {
                throw new InvalidInputException("NIR graph: edge " + e + " starts at node '" + e.source()
                        + "', which the graph does not have (dangling edge)");
            }
            if (!resolves(e.target())) {
                throw new InvalidInputException("NIR graph: edge " + e + " ends at node '" + e.target()
                        + "', which the graph does not have (dangling edge)");
            }
        }
    }

    public NirGraph(Map<String, ? extends NirNode> nodes, List<NirEdge> edges) {
        this(nodes, edges, Map.of());
    }

    /** Reads a {@code .nir} file (HDF5), checked: see {@link NirReader}. */
    public static NirGraph read(Path file) {
        return NirReader.read(file);
    }

    /** Writes this graph as a {@code .nir} file the reference library reads ({@code nir.read}). */
    public void write(Path file) throws IOException {
        NirWriter.write(this, file);
    }

    public Map<String, NirNode> nodes() {
        return nodes;
    }

    public List<NirEdge> edges() {
        return edges;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public NirNode node(String key) {
        NirNode n = nodes.get(key);
        if (n == null) {
            throw new InvalidInputException("NIR graph has no node '" + key + "' (nodes: " + nodes.keySet() + ")");
        }
        return n;
    }

    /** This graph with {@code metadata} replacing its metadata. */
    public NirGraph withMetadata(Map<String, Object> newMetadata) {
        return new NirGraph(nodes, edges, newMetadata);
    }

    private boolean resolves(String endpoint) {
        if (nodes.containsKey(endpoint)) {
            return true;
        }
        int dot = endpoint.indexOf('.');
        while (dot > 0) {
            if (nodes.get(endpoint.substring(0, dot)) instanceof NirGraph sub
                    && sub.resolves(endpoint.substring(dot + 1))) {
                return true;
            }
            dot = endpoint.indexOf('.', dot + 1);
        }
        return false;
    }

    /** Keys of the Input nodes, in node order. */
    public List<String> inputKeys() {
        return keysOf(Input.class);
    }

    /** Keys of the Output nodes, in node order. */
    public List<String> outputKeys() {
        return keysOf(Output.class);
    }

    private List<String> keysOf(Class<? extends NirNode> c) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, NirNode> e : nodes.entrySet()) {
            if (c.isInstance(e.getValue())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * The same computation without nested graphs: a nested graph's nodes appear as {@code "graph.node"}, its Input
     * and Output nodes are removed and the edges through them joined.
     */
    public NirGraph flattened() {
        return GraphFlattener.flatten(this);
    }

    /**
     * Checks that the graph can run: flattens it, infers every node's shape from the Input nodes (sizes must agree
     * along every edge) and rejects cycles that pass through no neuron node. Returns the checked flat graph.
     *
     * @throws InvalidInputException naming the node at fault
     */
    public CheckedGraph check() {
        return CheckedGraph.of(flattened());
    }

    @Override
    public String type() {
        return "NIRGraph";
    }

    @Override
    public int[] outputShape(int[] input, String key) {
        CheckedGraph g = check();
        List<String> outs = g.graph().outputKeys();
        if (outs.size() != 1) {
            throw new InvalidInputException(NirNode.where(key, this) + ": a nested graph used as a node needs exactly one "
                    + "Output node, it has " + outs.size());
        }
        return g.shape(outs.get(0));
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (NirNode node : nodes.values()) {
            n += node.parameterCount();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NirGraph g && nodes.equals(g.nodes) && edges.equals(g.edges);
    }

    @Override
    public int hashCode() {
        return nodes.hashCode() * 31 + edges.hashCode();
    }

    @Override
    public String toString() {
        return "NirGraph[" + nodes.size() + " nodes, " + edges.size() + " edges]";
    }
}
