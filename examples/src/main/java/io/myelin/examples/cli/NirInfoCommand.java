package io.myelin.examples.cli;

import io.myelin.core.json.Json;
import io.myelin.nir.graph.CheckedGraph;
import io.myelin.nir.graph.NirEdge;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Tensor;
import io.myelin.nir.io.NirReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code myelin nir info GRAPH [--json]}: nodes with types, shapes and parameter counts, edges, metadata. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Summarise a NIR graph: nodes (type, input and output shape, parameters), edges, metadata.")
public final class NirInfoCommand implements Callable<Integer> {
    @Mixin
    JsonOption jsonOption;

    @Parameters(index = "0", paramLabel = "GRAPH", description = "NIR file (.nir, HDF5)")
    Path file;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NirGraph g = NirGraph.read(file);
        CheckedGraph c = g.check();
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> nodes = new ArrayList<>();
        long params = 0;
        for (String key : c.order()) {
            NirNode n = c.graph().nodes().get(key);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("type", n.type());
            m.put("input_shape", c.inputShape(key));
            m.put("output_shape", c.shape(key));
            m.put("parameters", n.parameterCount());
            params += n.parameterCount();
            nodes.add(m);
        }
        List<List<String>> edges = new ArrayList<>();
        for (NirEdge e : c.graph().edges()) {
            edges.add(List.of(e.source(), e.target()));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        g.metadata().forEach((k, v) -> meta.put(k, v instanceof Tensor t ? Arrays.toString(t.data()) : v));
        if (jsonOption.json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("file", file.toString());
            root.put("version", NirReader.version(file));
            root.put("nodes", nodes);
            root.put("edges", edges);
            root.put("parameters", params);
            root.put("nested", g.nodes().values().stream().anyMatch(n -> n instanceof NirGraph));
            root.put("metadata", meta);
            out.println(Json.indented().writeValueAsString(root));
            out.flush();
            return 0;
        }
        out.printf("%s: NIR %s, %d nodes, %d edges, %,d parameters%s%n", file, NirReader.version(file), nodes.size(),
                edges.size(), params, g.nodes().values().stream().anyMatch(n -> n instanceof NirGraph)
                        ? " (nested graphs flattened below)" : "");
        out.printf("  %-24s %-10s %-18s %-18s %12s%n", "node (evaluation order)", "type", "input", "output",
                "parameters");
        for (Map<String, Object> m : nodes) {
            out.printf("  %-24s %-10s %-18s %-18s %,12d%n", m.get("key"), m.get("type"), shape(m.get("input_shape")),
                    shape(m.get("output_shape")), (Long) m.get("parameters"));
        }
        out.println("  edges:");
        for (List<String> e : edges) {
            out.println("    " + e.get(0) + " -> " + e.get(1));
        }
        if (!meta.isEmpty()) {
            out.println("  metadata:");
            meta.forEach((k, v) -> out.println("    " + k + " = " + v));
        }
        out.flush();
        return 0;
    }

    private static String shape(Object s) {
        return s == null ? "-" : Arrays.toString((int[]) s);
    }
}
