package io.myelin.models.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an output stream reaches a terminal, where progress bars may redraw themselves with {@code \r}; written to a
 * file or a pipe they would become one long line per epoch. On Linux the answer is where {@code /proc/self/fd/N}
 * points; elsewhere, whether the JVM has a console. {@code MYELIN_PROGRESS=lines} (or {@code bars}) overrides it.
 */
public final class Terminal {
    private Terminal() {
    }

    /** Whether {@code s} ({@link System#err} or {@link System#out}) is a terminal; any other stream is not. */
    public static boolean isTerminal(PrintStream s) {
        String forced = System.getenv("MYELIN_PROGRESS");
        if ("lines".equals(forced)) {
            return false;
        }
        if ("bars".equals(forced)) {
            return true;
        }
        int fd = s == System.err ? 2 : s == System.out ? 1 : -1;
        if (fd < 0) {
            return false;
        }
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
