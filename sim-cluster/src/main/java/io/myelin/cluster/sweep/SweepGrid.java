package io.myelin.cluster.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.myelin.core.InvalidInputException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a sweep: the product of its {@code --vary KEY=V1,V2} lists, in the order given, each key a dotted
 * path to a field of the config ({@code model.delays}, {@code training.maxLr}). Values are written as in JSON where
 * the field is a number, a boolean or a list ({@code model.hidden=[64,64],[128,128]}); text needs no quotes.
 */
public final class SweepGrid {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields a sweep sets by its own options. */
    private static final Map<String, String> RESERVED = Map.of("training.seed", "--seeds", "kind", "a config of that kind");

    /** One {@code --vary}: a key and its values, as written. */
    public record Vary(String key, List<String> values) {
    }

    private final List<Vary> varies;

    private SweepGrid(List<Vary> varies) {
        this.varies = List.copyOf(varies);
    }

    /** The grid of {@code --vary} options over {@code config} (the config's full JSON, every field present). */
    public static SweepGrid of(List<String> options, JsonNode config) {
        Set<String> valid = keys(config);
        List<Vary> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String o : options) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--vary " + o + ": write KEY=V1,V2,... (e.g. model.delays=learned,none)");
            }
            String key = o.substring(0, eq).trim();
            if (RESERVED.containsKey(key)) {
                throw new InvalidInputException("--vary " + key + ": set it with " + RESERVED.get(key));
            }
            if (!valid.contains(key)) {
                Set<String> shown = new LinkedHashSet<>(valid);
                shown.removeAll(RESERVED.keySet());
                throw new InvalidInputException("--vary " + key + ": no such config key; valid keys: "
                        + String.join(", ", shown));
            }
            if (!seen.add(key)) {
                throw new InvalidInputException("--vary " + key + " is given twice; list all its values in one --vary");
            }
            List<String> values = split(o.substring(eq + 1));
            if (values.isEmpty()) {
                throw new InvalidInputException("empty grid: --vary " + key + " has no values");
            }
            if (new LinkedHashSet<>(values).size() != values.size()) {
                throw new InvalidInputException("--vary " + key + " lists a value twice: " + String.join(",", values));
            }
            out.add(new Vary(key, values));
        }
        return new SweepGrid(out);
    }

    public List<Vary> varies() {
        return varies;
    }

    /** The varied keys, in order. */
    public List<String> keys() {
        return varies.stream().map(Vary::key).toList();
    }

    /** Every combination of values, the last key varying fastest (one empty combination without {@code --vary}). */
    public List<LinkedHashMap<String, String>> points() {
        List<LinkedHashMap<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Vary v : varies) {
            List<LinkedHashMap<String, String>> next = new ArrayList<>();
            for (LinkedHashMap<String, String> p : out) {
                for (String value : v.values()) {
                    LinkedHashMap<String, String> q = new LinkedHashMap<>(p);
                    q.put(v.key(), value);
                    next.add(q);
                }
            }
            out = next;
        }
        return out;
    }

    /** {@code config} with {@code overrides} set, each value parsed as the field's JSON type. */
    public static ObjectNode apply(JsonNode config, Map<String, String> overrides) {
        ObjectNode root = config.deepCopy();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String[] path = e.getKey().split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < path.length - 1; i++) {
                parent = (ObjectNode) parent.get(path[i]);
            }
            String field = path[path.length - 1];
            parent.set(field, value(parent.get(field), e.getValue(), e.getKey()));
        }
        return root;
    }

    private static JsonNode value(JsonNode current, String text, String key) {
        if (current != null && current.isTextual()) {
            return TextNode.valueOf(text);
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("--vary " + key + "=" + text + ": not a " + (current == null ? "JSON value"
                    : current.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)) + " as the config holds");
        }
    }

    /** Dotted paths of every leaf of a config (lists count as leaves). */
    static Set<String> keys(JsonNode config) {
        Set<String> out = new LinkedHashSet<>();
        collect(config, "", out);
        return out;
    }

    private static void collect(JsonNode n, String prefix, Set<String> out) {
        if (!n.isObject()) {
            out.add(prefix);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            collect(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
        }
    }

    /** Values separated by commas outside brackets and quotes ({@code [64,64],[128,128]} is two values). */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '[' || c == '{')) {
                depth++;
            } else if (!quoted && (c == ']' || c == '}')) {
                depth--;
            }
            if (c == ',' && depth == 0 && !quoted) {
                add(out, cur);
            } else {
                cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String v = cur.toString().trim();
        if (!v.isEmpty()) {
            out.add(v);
        }
        cur.setLength(0);
    }
}
