package io.myelin.nir;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's {@code test-data/} from any module directory. */
public final class TestData {
    private TestData() {
    }

    public static Path path(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("test-data").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("test-data/" + relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** A conformance case folder under {@code test-data/nir}. */
    public static Path nirCase(String name) {
        return path("nir/" + name);
    }

    public static JsonNode caseJson(String name) throws IOException {
        return Json.tree(nirCase(name).resolve("case.json"));
    }
}
