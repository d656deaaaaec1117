package io.myelin.examples.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What each part of the fault suite observed, written to {@code examples/target/reliability/NAME.json} for
 * {@link ReliabilityDocTest}, which renders docs/reliability.md from them: the doc's figures and its list of messages
 * come from the runs, not from a hand.
 */
final class FaultRecord {
    static final Path DIR = Path.of("target", "reliability");

    private FaultRecord() {
    }

    static void write(String name, ObjectNode record) {
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(name + ".json"), Json.indented().writeValueAsString(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(String name) {
        Path f = DIR.resolve(name + ".json");
        try {
            return Files.isRegularFile(f) ? Json.tree(f) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode messages(MessageCatalog c) {
        ObjectNode m = Json.object();
        c.counts().forEach(m::put);
        return m;
    }

    static ObjectNode fuzz(FileFuzzer.Result r, int casesPerTarget, long seed) {
        ObjectNode n = Json.object();
        n.put("seed", seed);
        n.put("cases_per_target", casesPerTarget);
        n.put("cases", r.cases());
        ObjectNode counts = n.putObject("counts");
        for (Map.Entry<String, Map<String, Map<Outcome, Integer>>> t : r.counts().entrySet()) {
            ObjectNode byKind = counts.putObject(t.getKey());
            for (Map.Entry<String, Map<Outcome, Integer>> k : t.getValue().entrySet()) {
                ObjectNode o = byKind.putObject(k.getKey());
                k.getValue().forEach((outcome, v) -> o.put(outcome.name(), v));
            }
        }
        n.set("messages", messages(r.messages()));
        return n;
    }
}
