package io.myelin.models.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a run directory holds, reduced to what must reproduce bit for bit: the metrics lines without their timings, the
 * checkpoint header without its wall-clock fields, a SHA-256 of every tensor of the checkpoint and of the model's
 * weights file (by name: the readers look tensors up by name), and {@code model.json} without the data paths of its
 * provenance (they name the machine that trained). Read straight from the bytes (format: docs/training.md), so it
 * does not depend on the code that wrote or reads the files.
 */
final class RunRecord {
    private static final List<String> TIMINGS = List.of("samples_per_s", "eval_samples_per_s", "epoch_s");
    private static final List<String> PATHS = List.of("train_data", "valid_data", "test_data");

    private RunRecord() {
    }

    /** The record of {@code dir} and, under their names, of the phase directories in {@code phases}. */
    static ObjectNode of(Path dir, String... phases) {
        ObjectNode r = Json.object();
        r.set("metrics", metrics(dir.resolve("metrics.jsonl")));
        r.set("checkpoint", checkpoint(dir.resolve("checkpoint.bin")));
        r.set("model", model(dir));
        for (String p : phases) {
            r.set(p, of(dir.resolve(p)));
        }
        return r;
    }

    static ArrayNode metrics(Path file) {
        ArrayNode a = Json.array();
        try {
            for (String line : Files.readAllLines(file)) {
                a.add(withoutTimings(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return a;
    }

    private static JsonNode withoutTimings(String line) {
        try {
            ObjectNode n = (ObjectNode) Json.reader().readTree(line);
            n.remove(TIMINGS);
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode checkpoint(Path file) {
        Tensors t = Tensors.read(file);
        ObjectNode h = (ObjectNode) t.header;
        h.remove("train_seconds");
        ArrayNode lines = Json.array();
        for (JsonNode l : h.path("metrics")) {
            lines.add(withoutTimings(l.asText()));
        }
        h.set("metrics", lines);
        ObjectNode r = Json.object();
        r.set("header", h);
        r.set("tensors", t.digests);
        return r;
    }

    static ObjectNode model(Path dir) {
        try {
            ObjectNode m = (ObjectNode) Json.tree(dir.resolve("model.json"));
            ((ObjectNode) m.path("provenance")).remove(PATHS);
            ObjectNode r = Json.object();
            r.set("json", m);
            r.set("tensors", Tensors.read(dir.resolve(m.path("weights").asText())).digests);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Header and per-tensor SHA-256 of the raw float bits of a tensor file. */
    record Tensors(JsonNode header, ObjectNode digests) {
        static Tensors read(Path file) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                if (!"MYELINT1".equals(in.readUTF())) {
                    throw new IllegalStateException(file + " is not a tensor file");
                }
                byte[] h = in.readNBytes(in.readInt());
                ObjectNode digests = Json.object();
                for (String name = in.readUTF(); !name.equals("<end>"); name = in.readUTF()) {
                    int n = in.readInt();
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    sha.update(in.readNBytes(4 * n));
                    digests.put(name, n + ":" + HexFormat.of().formatHex(sha.digest()));
                }
                return new Tensors(Json.reader().readTree(new String(h, StandardCharsets.UTF_8)), digests);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
