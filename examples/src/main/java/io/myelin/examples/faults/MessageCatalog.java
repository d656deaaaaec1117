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
    private final Map<String, Integer> counts = new TreeMap<>();

    /** Adds a message; {@code file} and {@code dir} (may be null) are replaced by their placeholders. */
    public synchronized void add(String message, String file, String dir) {
        counts.merge(template(message, file, dir), 1, Integer::sum);
    }

    /** A message as a template. */
    public static String template(String message, String file, String dir) {
        String m = message;
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

    /** Templates and how many cases met each, sorted. */
    public synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    public synchronized void addAll(MessageCatalog other) {
        other.counts().forEach((k, v) -> counts.merge(k, v, Integer::sum));
    }
}
