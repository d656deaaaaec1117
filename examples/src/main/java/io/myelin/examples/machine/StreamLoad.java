package io.myelin.examples.machine;

/**
 * Work bound by memory bandwidth: a sum over one float per 64-byte cache line of a buffer larger than the last-level
 * cache, so every read is a line from memory and the arithmetic is negligible.
 */
final class StreamLoad {
    /** Floats per cache line (64 bytes): one read per line. */
    private static final int LINE = 16;

    private StreamLoad() {
    }

    /** A buffer of {@code floats} floats, touched once so that its pages are mapped before it is timed. */
    static float[] buffer(int floats) {
        float[] b = new float[floats];
        java.util.Arrays.fill(b, 1f);
        return b;
    }

    /** Streams {@code buffer} {@code passes} times; the result keeps the JIT from dropping the loop. */
    static double run(float[] buffer, int passes) {
        double s = 0;
        for (int p = 0; p < passes; p++) {
            for (int i = 0; i < buffer.length; i += LINE) {
                s += buffer[i];
            }
        }
        return s;
    }
}
