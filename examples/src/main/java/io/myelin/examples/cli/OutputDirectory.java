package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An output directory checked before any work starts: created if absent, and refused in one line when it is a file,
 * cannot be created or cannot be written (a read-only file system, {@code /proc/...}, missing permissions), so that a
 * long run does not fail at its first write.
 */
final class OutputDirectory {
    private OutputDirectory() {
    }

    /** {@code dir}, created and writable; {@code option} names it in errors ({@code --out}). */
    static Path prepare(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException(option + " " + dir + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
            // named as the temporary files of atomic writes, which the next run removes if a kill leaves it
            Path probe = Files.createTempFile(dir, ".myelin-write-check.", ".myelin-tmp");
            Files.delete(probe);
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(option + " " + dir + " is not writable (permission denied"
                    + (e.getFile() != null && !Path.of(e.getFile()).equals(dir) ? " on " + e.getFile() : "") + ")");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidInputException(option + " " + dir + " cannot be created here (" + e.getFile()
                    + " cannot be made)");
        } catch (FileSystemException e) {
            throw new InvalidInputException(option + " " + dir + " cannot be written: " + (e.getFile() == null ? ""
                    : e.getFile() + ": ") + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()));
        } catch (IOException e) {
            throw new InvalidInputException(option + " " + dir + " cannot be written: " + e.getMessage());
        }
        return dir;
    }

    /** The parent directory of an output file, prepared as {@link #prepare}. */
    static Path prepareParentOf(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(option + " " + file + " is a directory; give a file name");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            prepare(parent, option + " " + file + ": directory");
        }
        return file;
    }
}
