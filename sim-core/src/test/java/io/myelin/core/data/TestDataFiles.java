package io.myelin.core.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's test-data/ directory from a module's working directory. */
final class TestDataFiles {
    private TestDataFiles() {
    }

    static Path resolve(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("test-data");
            if (Files.isDirectory(candidate)) {
                return candidate.resolve(relative);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("test-data/ not found above " + Path.of("").toAbsolutePath());
    }
}
