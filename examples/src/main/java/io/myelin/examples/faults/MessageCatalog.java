package io.myelin.examples.faults;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The error messages a user can meet, as templates: the paths of a test's own files become {@code FILE} and
 * {@code DIR}, numbers become {@code N}, so that one message shape is one entry however many cases produced it.
 * docs/reliability.md lists them (generated from the fault suite's runs).
 */
public final class MessageCatalog {
    private static final Pattern NUMBER = Pattern.compile("-?\\b\\d+(\\.\\d+)?([eE][-+]?\\d+)?\\b");
    /** The repository's root (where test-data is), removed from paths: messages then read as from the root. */
    private static final String ROOT = root();
    private final Map<String, Integer> counts = new TreeMap<>();

    /** Adds a message; {@code file} and {@code dir} (may be null) are replaced by their placeholders. */
    public synchronized void add(String message, String file, String dir) {
        counts.merge(template(message, file, dir), 1, Integer::sum);
    }

    /** A message as a template. */
    public static String template(String message, String file, String dir) {
        String m = message;
        if (ROOT != null) {
            m = m.replace(ROOT, "");
        }
        if (file != null) {
            m = m.replace(file, "FILE");
        }
        if (dir != null) {
            m = m.replace(dir, "DIR");
        }
        m = m.replaceAll("/tmp/[\\w.-]+(/[\\w.-]+)*", "PATH");
        m = m.replaceAll("pid \\d+ since [0-9T:.Z-]+", "pid N since TIME");
        return NUMBER.matcher(m).replaceAll("N");
    }

    private static String root() {
        java.nio.file.Path cwd = java.nio.file.Path.of("").toAbsolutePath();
        for (java.nio.file.Path p = cwd; p != null; p = p.getParent()) {
            if (java.nio.file.Files.isDirectory(p.resolve("test-data"))) {
                return p + "/";
            }
        }
        return null;
    }

    /** Templates and how many cases met each, sorted. */
    public synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    public synchronized void addAll(MessageCatalog other) {
        other.counts().forEach((k, v) -> counts.merge(k, v, Integer::sum));
    }
}
