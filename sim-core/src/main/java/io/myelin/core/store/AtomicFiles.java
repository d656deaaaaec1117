package io.myelin.core.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Files written whole or not at all: to a temporary file in the same directory, flushed to disk, then renamed over
 * the target, so a kill at any moment leaves the old file or the new one, never a torn one; a failed write (a full
 * disk) removes its temporary file and leaves the old file as it was. A kill leaves the temporary file behind:
 * {@link #removeTemporaries} removes it on the next start. Every write passes {@link WriteFaults}, the fault-injection
 * seam of the fault suite.
 */
public final class AtomicFiles {
    /** Temporary files: {@code .NAME.DIGITS.myelin-tmp}. */
    private static final String TMP_SUFFIX = ".myelin-tmp";
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.\\d+" + Pattern.quote(TMP_SUFFIX));
    /** What versions before {@code .myelin-tmp} left: {@code checkpoint.bin123456.tmp}, of Myelin's own file names. */
    private static final Pattern LEGACY_TEMPORARY = Pattern.compile(
            "(checkpoint\\.bin|model\\.json|model-e\\d+\\.bin|model\\.bin|run\\.json|metrics\\.jsonl)-?\\d+\\.tmp");

    private AtomicFiles() {
    }

    /** What goes into the file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", TMP_SUFFIX);
        try {
            try (OutputStream out = WriteFaults.wrap(file, Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            try (FileChannel fc = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                fc.force(true);
            }
            readableByAll(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code text} (UTF-8). */
    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code fileName} is a temporary file of an atomic write (this format or an earlier one). */
    public static boolean isTemporary(String fileName) {
        return TEMPORARY.matcher(fileName).matches() || LEGACY_TEMPORARY.matcher(fileName).matches();
    }

    /**
     * Removes the temporary files a killed writer left in {@code dir} (not below it); call only while no other process
     * writes there (a run holds its {@code RunLock}). Returns the files removed.
     */
    public static List<Path> removeTemporaries(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && isTemporary(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                    removed.add(f);
                }
            }
        }
        return removed;
    }

    /** Temporary files are created owner-only; the files they become are ordinary outputs (rw-r--r--). */
    private static void readableByAll(Path tmp) {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep what it gives
        }
    }
}
