package io.myelin.core.energy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a training run's {@code metrics.jsonl}: the epoch and the accuracies (fractions 0..1) known for it;
 * other keys of the line are ignored, absent accuracies are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(@JsonProperty("epoch") int epoch, @JsonProperty("train_acc") Double trainAcc,
                           @JsonProperty("valid_acc") Double validAcc, @JsonProperty("test_acc") Double testAcc) {

    /** Reads every line that has an {@code epoch}; blank lines are skipped, malformed ones are an error. */
    public static List<EpochMetrics> readJsonl(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read metrics file " + file + ": " + e.getMessage(), e);
        }
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n;
            try {
                n = Json.reader().readTree(line);
            } catch (IOException e) {
                throw new InvalidInputException(file + " line " + (i + 1) + " is not JSON: " + e.getMessage(), e);
            }
            if (!n.isObject()) {
                throw new InvalidInputException(file + " line " + (i + 1) + " is not a JSON object");
            }
            if (!n.has("epoch")) {
                continue; // e.g. a header or final summary line
            }
            if (!n.get("epoch").canConvertToInt()) {
                throw new InvalidInputException(file + " line " + (i + 1) + ": 'epoch' is not an integer");
            }
            out.add(new EpochMetrics(n.get("epoch").asInt(), acc(n, "train_acc", file, i), acc(n, "valid_acc", file, i),
                    acc(n, "test_acc", file, i)));
        }
        return out;
    }

    private static Double acc(JsonNode n, String key, Path file, int line) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !(v.asDouble() >= 0) || v.asDouble() > 100) {
            throw new InvalidInputException(file + " line " + (line + 1) + ": '" + key + "' must be a number in 0..1, got " + v);
        }
        double a = v.asDouble();
        return a > 1 ? a / 100 : a; // accept percentages too
    }
}
