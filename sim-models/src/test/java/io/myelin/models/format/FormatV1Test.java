package io.myelin.models.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run directories written by the code of format v1 (a delay SNN and a distilled QSD-Transformer stopped before their
 * last epoch, and a QSD run killed while its teacher trained; see fixtures/format-v1/README.md) still load, evaluate
 * to the very predictions recorded when they were frozen, and resume to the very metrics, checkpoint and best model
 * the code of the day produced from them.
 */
class FormatV1Test {
    static Path fixture(String name) {
        try {
            return Path.of(FormatV1Test.class.getResource("/fixtures/format-v1/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected(String name) {
        return FormatRuns.read(fixture(name).resolve("expected.json"));
    }

    /** Equal as JSON text would be (numbers compared by value after a round trip through text). */
    static void assertSameJson(JsonNode expected, JsonNode actual, String what) {
        JsonNode a;
        try {
            a = Json.reader().readTree(Json.indented().writeValueAsString(actual));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(expected.equals(a), () -> what + " differs at " + firstDifference(expected, a, "") + "\nexpected "
                + expected + "\nactual   " + a);
    }

    static String firstDifference(JsonNode e, JsonNode a, String path) {
        if (e.isObject() && a.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getValue().equals(a.get(f.getKey()))) {
                    return a.has(f.getKey()) ? firstDifference(f.getValue(), a.get(f.getKey()), path + "." + f.getKey())
                            : path + "." + f.getKey() + " (missing)";
                }
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!e.has(k)) {
                    return path + "." + k + " (not expected)";
                }
            }
        } else if (e.isArray() && a.isArray() && e.size() == a.size()) {
            for (int i = 0; i < e.size(); i++) {
                if (!e.get(i).equals(a.get(i))) {
                    return firstDifference(e.get(i), a.get(i), path + "[" + i + "]");
                }
            }
        }
        return path + ": " + e + " vs " + a;
    }

    void assertEvaluates(String name, String run, String field) {
        JsonNode exp = expected(name);
        assertSameJson(exp.get(field), FormatRuns.evaluate(fixture(name).resolve(run),
                RepositoryFiles.testData(exp.get("test").asText())), name + " " + field);
    }

    void assertResumes(String name, Path tmp, boolean withConfigFile, String... phases) {
        JsonNode exp = expected(name);
        Path run = tmp.resolve("run");
        FormatRuns.copyTree(fixture(name).resolve("run"), run);
        JsonNode summary = FormatRuns.resume(run, withConfigFile ? fixture(name).resolve("config.json") : null,
                RepositoryFiles.testData(exp.get("train").asText()), RepositoryFiles.testData(exp.get("test").asText()));
        assertSameJson(exp.get("resumed").get("summary"), summary, name + " summary");
        assertSameJson(exp.get("resumed").get("record"), RunRecord.of(run, phases), name + " run directory");
    }

    @Test
    void delaySnnLoadsAndEvaluatesAsFrozen() {
        assertEvaluates("delay-snn", "run", "evaluate");
    }

    @Test
    void delaySnnResumesAsFrozen(@TempDir Path tmp) {
        assertResumes("delay-snn", tmp, false);
    }

    @Test
    void aConfigFileWithoutKindIsADelaySnnConfig() {
        assertEquals(FormatRuns.checkpointConfig(fixture("delay-snn").resolve("run")),
                FormatRuns.configFile(fixture("delay-snn").resolve("config.json")));
        assertEquals(FormatRuns.checkpointConfig(fixture("qsd-transformer").resolve("run")),
                FormatRuns.configFile(fixture("qsd-transformer").resolve("config.json")));
    }

    @Test
    void qsdLoadsAndEvaluatesAsFrozen() {
        assertEvaluates("qsd-transformer", "run", "evaluate");
        assertEvaluates("qsd-transformer", "run/teacher", "evaluate_teacher");
        assertEvaluates("qsd-teacher-killed", "run/teacher", "evaluate_teacher");
    }

    @Test
    void qsdResumesAsFrozen(@TempDir Path tmp) {
        assertResumes("qsd-transformer", tmp, false, "teacher");
    }

    @Test
    void qsdKilledInItsTeacherResumesAsFrozen(@TempDir Path tmp) {
        assertResumes("qsd-teacher-killed", tmp, true, "teacher");
    }
}
