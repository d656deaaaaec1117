package io.myelin.models.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;

import java.util.Set;

/**
 * What is meant to differ between a frozen run resumed by the code of format v1 (its {@code expected.json}) and the
 * same run resumed today, and nothing else:
 * <ul>
 *   <li>epochs are numbered from 1, as the console always showed them (issue 22): every {@code epoch} of
 *   {@code metrics.jsonl} and of the checkpoint's metrics, the checkpoint's and the summary's {@code best_epoch}, the
 *   saved model's provenance {@code epoch} and its weights file name ({@code model-e3.bin} holding the fourth epoch
 *   becomes {@code model-e4.bin});</li>
 *   <li>a directory the resume wrote records its format: the checkpoint header's {@code "epochs_from": 1} and
 *   {@code "version": 2}, {@code model.json}'s {@code "version": 2}, and both record what the run was trained on
 *   ({@code trained_on}: the training file's 700 channels and its class names, the ones the frozen provenance
 *   lists).</li>
 * </ul>
 * A phase directory the resume did not touch (a teacher that had finished) stays exactly as frozen. Every metric value,
 * every tensor bit and every prediction must still be the frozen one.
 */
final class SinceFormatV1 {
    private SinceFormatV1() {
    }

    static JsonNode summary(JsonNode frozen) {
        ObjectNode s = frozen.deepCopy();
        s.put("best_epoch", s.get("best_epoch").asInt() + 1);
        return s;
    }

    /**
     * @param untouched phase directories (by name) that the resume leaves as frozen
     */
    static JsonNode record(JsonNode frozen, Set<String> untouched) {
        ObjectNode r = frozen.deepCopy();
        ObjectNode trainedOn = trainedOn(r.path("model").path("json"));
        renumberMetrics((ArrayNode) r.get("metrics"));
        ObjectNode h = (ObjectNode) r.path("checkpoint").path("header");
        h.put("best_epoch", h.get("best_epoch").asInt() + 1);
        renumberMetrics((ArrayNode) h.get("metrics"));
        h.put("epochs_from", 1);
        h.put("version", 2);
        h.set("trained_on", trainedOn.deepCopy());
        ObjectNode m = (ObjectNode) r.path("model").path("json");
        ObjectNode prov = (ObjectNode) m.get("provenance");
        int epoch = prov.get("epoch").asInt() + 1;
        prov.put("epoch", epoch);
        m.put("version", 2);
        m.put("weights", "model-e" + epoch + ".bin");
        m.set("trained_on", trainedOn);
        for (var it = r.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!Set.of("metrics", "checkpoint", "model").contains(e.getKey()) && !untouched.contains(e.getKey())) {
                e.setValue(record(e.getValue(), Set.of()));
            }
        }
        return r;
    }

    private static void renumberMetrics(ArrayNode lines) {
        for (JsonNode l : lines) {
            ((ObjectNode) l).put("epoch", l.get("epoch").asInt() + 1);
        }
    }

    /** The record of a model trained on the frozen provenance's file: 700 channels, its class names. */
    private static ObjectNode trainedOn(JsonNode modelJson) {
        ObjectNode t = Json.object();
        String[] names = modelJson.path("provenance").path("class_names").asText().split(",");
        t.put("channels", 700);
        t.put("classes", names.length);
        ArrayNode a = t.putArray("class_names");
        for (String n : names) {
            a.add(n);
        }
        t.put("named", true);
        return t;
    }
}
