package io.myelin.examples.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;
import io.myelin.models.train.RunConfig;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every key of every shipped config dropped, renamed (a typo) and retyped (a value of another JSON type; list
 * elements too): each mutation must be refused with one line naming the key, the renamed ones also naming the key
 * meant. One reader serves every config kind, so this holds for kinds added later without a test of their own.
 */
class ConfigMutationTest {
    record Mutated(String what, String key, String json) {
    }

    @Test
    void everyKeyDroppedRenamedOrRetypedIsNamed() throws Exception {
        List<Path> configs;
        try (var files = Files.list(RepositoryFiles.path("examples/configs"))) {
            configs = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        MessageCatalog messages = new MessageCatalog();
        List<String> unnamed = new ArrayList<>();
        int cases = 0;
        for (Path file : configs) {
            ObjectNode root = (ObjectNode) Json.tree(file);
            for (Mutated m : mutations(root)) {
                cases++;
                String where = "configs/" + file.getFileName();
                String msg;
                try {
                    RunConfig.fromJson(m.json, where);
                    unnamed.add(where + " " + m.what + ": accepted");
                    continue;
                } catch (InvalidInputException e) {
                    msg = e.getMessage();
                }
                boolean named = msg.contains(m.key) && !msg.contains("\n") && msg.contains(where);
                if (m.what.startsWith("renamed")) {
                    String typo = m.what.substring(m.what.indexOf(" to ") + 4);
                    named &= msg.contains(typo);
                }
                if (!named) {
                    unnamed.add(where + " " + m.what + ": " + msg);
                }
                messages.add("error: " + msg, where, null);
            }
        }
        ObjectNode rec = Json.object();
        rec.put("configs", configs.size());
        rec.put("cases", cases);
        rec.put("named", cases - unnamed.size());
        rec.set("messages", FaultRecord.messages(messages));
        FaultRecord.write("config", rec);
        assertTrue(unnamed.isEmpty(), unnamed.size() + " of " + cases + " mutations not named:\n"
                + String.join("\n", unnamed));
        assertTrue(cases > 300, "cases: " + cases);
    }

    /** Every key dropped, renamed and retyped, and every list element retyped. */
    static List<Mutated> mutations(ObjectNode root) {
        List<Mutated> out = new ArrayList<>();
        walk(root, root, "", out);
        return out;
    }

    private static void walk(ObjectNode root, JsonNode node, String path, List<Mutated> out) {
        if (node instanceof ObjectNode o) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String p = path.isEmpty() ? k : path + "." + k;
                String typo = k.length() > 3 ? k.substring(0, k.length() - 1) : k + "s";
                String typoPath = path.isEmpty() ? typo : path + "." + typo;
                out.add(new Mutated("dropped " + p, p, edit(root, path, parent -> ((ObjectNode) parent).remove(k))));
                out.add(new Mutated("renamed " + p + " to " + typoPath, p, edit(root, path,
                        parent -> ((ObjectNode) parent).set(typo, ((ObjectNode) parent).remove(k)))));
                out.add(new Mutated("retyped " + p, p, edit(root, path,
                        parent -> ((ObjectNode) parent).set(k, otherType(parent.get(k))))));
                walk(root, o.get(k), p, out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                int at = i;
                String p = path + "[" + i + "]";
                out.add(new Mutated("retyped " + p, p, edit(root, path, parent -> ((ArrayNode) parent).set(at,
                        otherType(parent.get(at))))));
            }
        }
    }

    /** A value of another JSON type than {@code v}. */
    static JsonNode otherType(JsonNode v) {
        if (v.isNumber()) {
            return TextNode.valueOf("7");
        }
        if (v.isTextual()) {
            return IntNode.valueOf(7);
        }
        if (v.isBoolean()) {
            return TextNode.valueOf("yes");
        }
        if (v.isObject()) {
            return IntNode.valueOf(5);
        }
        ObjectNode o = Json.object();
        o.put("a", 1);
        return o;
    }

    /** The config with the node at {@code parentPath} changed by {@code change}, as text. */
    private static String edit(ObjectNode root, String parentPath, Consumer<JsonNode> change) {
        ObjectNode copy = root.deepCopy();
        JsonNode parent = copy;
        if (!parentPath.isEmpty()) {
            for (String part : parentPath.split("\\.")) {
                parent = parent.get(part);
            }
        }
        change.accept(parent);
        return copy.toString();
    }
}
