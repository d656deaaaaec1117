package io.myelin.core;

import java.util.Locale;

/**
 * How much memory one input may make Myelin allocate. Files from others are untrusted: a size declared inside a file
 * (a dimension, a length, a count) is checked against the file's own length where the data must be stored in it, and
 * against this budget, before anything is allocated; a network or graph whose estimated heap exceeds it is refused
 * before it is built. Either way the user gets one line, not an {@link OutOfMemoryError} minutes later.
 *
 * <p>The budget is the system property {@value #PROPERTY} or the environment variable {@value #ENV} (bytes, or with a
 * suffix {@code k}, {@code m}, {@code g}: {@code 512m}); by default three quarters of the JVM's maximum heap
 * ({@code -Xmx}).
 */
public final class MemoryBudget {
    public static final String PROPERTY = "myelin.memory.budget";
    public static final String ENV = "MYELIN_MEMORY_BUDGET";

    private MemoryBudget() {
    }

    /** The budget in bytes. */
    public static long bytes() {
        String s = System.getProperty(PROPERTY);
        if (s == null || s.isBlank()) {
            s = System.getenv(ENV);
        }
        if (s != null && !s.isBlank()) {
            return parse(s.trim());
        }
        long max = Runtime.getRuntime().maxMemory();
        return max == Long.MAX_VALUE ? Long.MAX_VALUE : max / 4 * 3;
    }

    private static long parse(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v < 1) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidInputException("the memory budget (" + PROPERTY + " / " + ENV + ") must be a positive"
                    + " number of bytes, optionally with k, m or g; got '" + s + "'");
        }
    }

    /**
     * Refuses an allocation of {@code bytes} over the budget.
     *
     * @param what what needs it, for the message ("F: /spikes/times (1,000,000 spikes)")
     */
    public static void check(long bytes, String what) {
        long budget = bytes();
        if (bytes < 0 || bytes > budget) {
            throw new InvalidInputException(what + " would need " + (bytes < 0 ? "more than 8 EiB" : size(bytes))
                    + " of memory, more than the budget of " + size(budget) + " (raise -Xmx, or " + ENV + ")");
        }
    }

    /**
     * Refuses data a file declares but cannot hold: {@code declared} bytes that must be stored in a file of
     * {@code fileBytes} (a corrupt or truncated file, or one made to exhaust memory).
     */
    public static void checkInFile(long declared, long fileBytes, String what) {
        if (declared < 0 || declared > fileBytes) {
            throw new InvalidInputException(what + " declares " + (declared < 0 ? "more than 8 EiB" : size(declared))
                    + " of data, but the file has only " + size(fileBytes) + " (corrupt or truncated file?)");
        }
    }

    /** {@code a * b}, or -1 when the product overflows a long: a declared size no file can hold. */
    public static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /** Bytes in words: {@code 512 B}, {@code 3.1 MiB}, {@code 2.0 GiB}. */
    public static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
