package io.myelin.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository for tests run from any module directory: the repository root is the nearest directory
 * at or above the working directory that holds {@code test-data/}.
 */
public final class RepositoryFiles {
    private RepositoryFiles() {
    }

    /** The repository root. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("test-data"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("test-data/ not found above " + Path.of("").toAbsolutePath());
    }

    /** A path relative to the repository root, e.g. {@code examples/configs/shd-qsd.json}. */
    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /** A file or folder under {@code test-data/}, e.g. {@code sd_mini_train.h5} or {@code nir/lif_norse}. */
    public static Path testData(String relative) {
        return root().resolve("test-data").resolve(relative);
    }
}
