package io.myelin.examples.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;
import io.myelin.core.store.AtomicFiles;
import io.myelin.models.store.TensorFile;
import io.myelin.models.train.RunLock;
import io.myelin.models.train.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What must be equal, bit for bit, between an interrupted-and-resumed run directory and an uninterrupted one (training
 * is deterministic): {@code metrics.jsonl} (every epoch once, numbered 1..E, timings aside), the checkpoint's tensors
 * and header (wall-clock time aside), {@code model.json} and the weights file byte for byte, the report's figures; and
 * nothing a kill may leave behind: no temporary file, no lock.
 */
public final class RunComparison {
    private static final List<String> TIMINGS = List.of("samples_per_s", "eval_samples_per_s", "epoch_s");

    private RunComparison() {
    }

    /**
     * The differences between {@code run} and the reference {@code ref} (empty when none).
     *
     * @param phases sub-directories of earlier phases to compare as well ({@code teacher})
     * @param report whether both hold {@code report/report.json}
     */
    public static List<String> differences(Path ref, Path run, boolean report, String... phases) {
        List<String> d = new ArrayList<>();
        compareDir(ref, run, report, d, "");
        for (String p : phases) {
            compareDir(ref.resolve(p), run.resolve(p), false, d, p + "/");
        }
        return d;
    }

    private static void compareDir(Path ref, Path run, boolean report, List<String> d, String where) {
        try {
            List<JsonNode> a = metrics(ref.resolve(RunStore.METRICS)), b = metrics(run.resolve(RunStore.METRICS));
            for (int i = 0; i < b.size(); i++) {
                if (b.get(i).path("epoch").asInt() != i + 1) {
                    d.add(where + "metrics.jsonl line " + (i + 1) + " is of epoch " + b.get(i).path("epoch")
                            + " (duplicated or missing epoch lines)");
                    break;
                }
            }
            if (!a.equals(b)) {
                d.add(where + "metrics.jsonl differs: " + b.size() + " lines vs " + a.size());
            }
            TensorFile.Contents ca = TensorFile.read(ref.resolve(RunStore.CHECKPOINT));
            TensorFile.Contents cb = TensorFile.read(run.resolve(RunStore.CHECKPOINT));
            if (!sameTensors(ca.tensors(), cb.tensors())) {
                d.add(where + "checkpoint tensors differ");
            }
            if (!header(ca.header()).equals(header(cb.header()))) {
                d.add(where + "checkpoint header differs");
            }
            JsonNode ma = Json.tree(ref.resolve(RunStore.MODEL_JSON)), mb = Json.tree(run.resolve(RunStore.MODEL_JSON));
            if (!ma.equals(mb)) {
                d.add(where + "model.json differs");
            }
            Path wa = RunStore.of(ref).weightsFile(), wb = RunStore.of(run).weightsFile();
            if (!Files.isRegularFile(wb) || !Arrays.equals(Files.readAllBytes(wa), Files.readAllBytes(wb))) {
                d.add(where + "weights file " + wb.getFileName() + " differs from " + wa.getFileName());
            }
            if (report) {
                JsonNode ra = Json.tree(ref.resolve("report/report.json")).path("total");
                JsonNode rb = Json.tree(run.resolve("report/report.json")).path("total");
                if (!ra.equals(rb)) {
                    d.add(where + "report.json figures differ");
                }
            }
            try (var files = Files.walk(run)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String n = f.getFileName().toString();
                    if (AtomicFiles.isTemporary(n) || n.equals(RunLock.FILE)) {
                        d.add(where + "left behind: " + run.relativize(f));
                    }
                }
            }
        } catch (IOException e) {
            d.add(where + "cannot compare: " + e);
        } catch (RuntimeException e) {
            d.add(where + "cannot compare: " + e.getMessage());
        }
    }

    private static List<JsonNode> metrics(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) {
            return out;
        }
        for (String line : Files.readAllLines(f)) {
            out.add(withoutTimings(line));
        }
        return out;
    }

    private static JsonNode withoutTimings(String line) throws IOException {
        JsonNode n = Json.reader().readTree(line);
        if (n instanceof ObjectNode o) {
            o.remove(TIMINGS);
        }
        return n;
    }

    private static JsonNode header(String text) {
        try {
            ObjectNode h = (ObjectNode) Json.reader().readTree(text);
            h.remove("train_seconds");
            ArrayNode lines = Json.array();
            for (JsonNode l : h.path("metrics")) {
                lines.add(withoutTimings(l.asText()));
            }
            h.set("metrics", lines);
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean sameTensors(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            float[] x = e.getValue(), y = b.get(e.getKey());
            if (x.length != y.length) {
                return false;
            }
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                    return false;
                }
            }
        }
        return true;
    }
}
