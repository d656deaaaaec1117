package io.myelin.examples;

import io.myelin.core.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What the command line says when a command fails, and with which exit code: the one place that tells the user's
 * mistakes and the machine's limits (exit code {@value #USER}: bad input, a file that cannot be read or written, a
 * full disk, a heap too small) from Myelin's own bugs (exit code {@value #BUG}, "internal error").
 */
public final class ErrorReport {
    /** Exit code of a mistake in the input or a limit of the machine: the user can fix it. */
    public static final int USER = 2;
    /** Exit code of a bug in Myelin. */
    public static final int BUG = 1;

    private final int exitCode;
    private final String message;

    private ErrorReport(int exitCode, String message) {
        this.exitCode = exitCode;
        this.message = message;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The one line printed (without the {@code myelin: } prefix). */
    public String message() {
        return message;
    }

    /** The report of a failure. */
    public static ErrorReport of(Throwable t) {
        if (t instanceof InvalidInputException e) {
            return new ErrorReport(USER, "error: " + e.getMessage());
        }
        if (t instanceof OutOfMemoryError) {
            return new ErrorReport(USER, "error: out of memory (Java heap " + heap() + "); give the JVM more with"
                    + " -Xmx, or use smaller inputs");
        }
        IOException io = ioCause(t);
        if (io != null) {
            String context = t instanceof UncheckedIOException u && u.getMessage() != null
                    && !u.getMessage().equals(String.valueOf(io)) ? u.getMessage() + ": " : "";
            return new ErrorReport(USER, "error: " + context + describe(io));
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new ErrorReport(BUG, "internal error: " + t.getClass().getSimpleName() + ": " + msg
                + " (a bug in Myelin; set MYELIN_DEBUG=1 for the stack trace)");
    }

    private static IOException ioCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /** A file-system error in words: the file, then what went wrong with it. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile();
            String what;
            if (f instanceof AccessDeniedException) {
                what = "permission denied";
            } else if (f instanceof NoSuchFileException) {
                what = "no such file or directory";
            } else if (f instanceof NotDirectoryException) {
                what = "not a directory";
            } else if (f instanceof FileAlreadyExistsException) {
                what = "already exists";
            } else {
                what = f.getReason() == null ? f.getClass().getSimpleName() : f.getReason().toLowerCase(Locale.ROOT);
            }
            return (file == null ? "" : file + ": ") + what + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")");
        }
        String m = e.getMessage();
        if (m != null && m.toLowerCase(Locale.ROOT).contains("no space left")) {
            return "the disk is full (" + m + ")";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static String heap() {
        long max = Runtime.getRuntime().maxMemory();
        return max == Long.MAX_VALUE ? "unlimited" : String.format(Locale.ROOT, "%.1f GiB", max / 1073741824.0);
    }
}
