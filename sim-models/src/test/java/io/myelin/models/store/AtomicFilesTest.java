package io.myelin.models.store;

import io.myelin.core.store.AtomicFiles;
import io.myelin.core.store.WriteFaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write that fails half-way (a full disk, through the {@link WriteFaults} seam: a real full disk cannot be arranged
 * in a test) leaves the previous file intact and readable and no temporary file; the temporary files a kill leaves are
 * recognised and removed, in this format and the earlier one ({@code checkpoint.bin123.tmp}), and nothing else is.
 */
class AtomicFilesTest {
    @AfterEach
    void noFaults() {
        WriteFaults.install(null);
    }

    @Test
    void aFullDiskKeepsThePreviousFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("checkpoint.bin");
        TensorFile.write(f, "{\"epoch\":1}", Map.of("w", new float[]{1, 2, 3}));
        byte[] before = Files.readAllBytes(f);
        WriteFaults.install("enospc:checkpoint.bin:1:20");
        IOException e = assertThrows(IOException.class,
                () -> TensorFile.write(f, "{\"epoch\":2}", Map.of("w", new float[]{4, 5, 6})));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f), "the previous checkpoint is untouched");
        assertEquals("{\"epoch\":1}", TensorFile.read(f).header());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
        // the next write (space freed) succeeds
        TensorFile.write(f, "{\"epoch\":2}", Map.of("w", new float[]{4, 5, 6}));
        assertEquals("{\"epoch\":2}", TensorFile.read(f).header());
    }

    @Test
    void temporariesOfKilledWritesAreRemovedAndNothingElse(@TempDir Path dir) throws IOException {
        Path ours = Files.writeString(dir.resolve(".checkpoint.bin.8823423423.myelin-tmp"), "half");
        Path legacy = Files.writeString(dir.resolve("checkpoint.bin3412341234123.tmp"), "half");
        Path legacyModel = Files.writeString(dir.resolve("model-e4.bin998.tmp"), "half");
        Path user = Files.writeString(dir.resolve("notes123.tmp"), "mine");
        Path data = Files.writeString(dir.resolve("checkpoint.bin"), "real");
        assertEquals(3, AtomicFiles.removeTemporaries(dir).size());
        assertFalse(Files.exists(ours) || Files.exists(legacy) || Files.exists(legacyModel));
        assertTrue(Files.exists(user) && Files.exists(data));
    }
}
