package io.myelin.core.backend;

/**
 * Settings a backend may use.
 *
 * @param threads CPU threads for the Java backend (1 = the single-threaded reference); results are bit-identical for
 *                any thread count
 * @param device  optional device selector for device backends (e.g. "gpu", "cpu", or a name fragment); null = any
 */
public record BackendOptions(int threads, String device) {
    public BackendOptions {
        if (threads < 1) {
            throw new io.myelin.core.InvalidInputException("threads must be >= 1, got " + threads);
        }
    }

    public static BackendOptions defaults() {
        return new BackendOptions(1, null);
    }

    public static BackendOptions threads(int threads) {
        return new BackendOptions(threads, null);
    }
}
