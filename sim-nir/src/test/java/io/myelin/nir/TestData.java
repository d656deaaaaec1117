package io.myelin.nir;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;
import io.myelin.testing.RepositoryFiles;

import java.io.IOException;
import java.nio.file.Path;

/** Locates the repository's {@code test-data/} from any module directory. */
public final class TestData {
    private TestData() {
    }

    /** A conformance case folder under {@code test-data/nir}. */
    public static Path nirCase(String name) {
        return RepositoryFiles.testData("nir/" + name);
    }

    public static JsonNode caseJson(String name) throws IOException {
        return Json.tree(nirCase(name).resolve("case.json"));
    }
}
