package io.myelin.kernels.quant;

import io.myelin.core.InvalidInputException;

import java.lang.management.ManagementFactory;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Throughput of {@link JavaIntegerOps} against {@link AparapiIntegerOps} on the shapes of a typical quantized
 * spike-driven layer: accumulate over rows = 100 tokens x 32 samples with levels 4 and 20 % non-zero spike counts,
 * and linear attention over 100 tokens x 32 samples x 64 channels in 4 heads. Prints calls per second; every
 * OpenCL result is first checked against Java's. A measurement tool, not a test.
 *
 * <p>Usage: {@code java -cp ... io.myelin.kernels.quant.IntegerOpsBenchmark [device] [seconds]} (device as in
 * {@link AparapiIntegerOps#select}, default the first; seconds of timing per figure, default 3).
 */
public final class IntegerOpsBenchmark {
    private static final int TOKENS = 100;
    private static final int BATCH = 32;
    private static final int LEVELS = 4;
    private static final double DENSITY = 0.2;

    private IntegerOpsBenchmark() {
    }

    public static void main(String[] args) {
        String selector = args.length > 0 ? args[0] : null;
        double seconds = 3;
        try {
            seconds = args.length > 1 ? Double.parseDouble(args[1]) : seconds;
        } catch (NumberFormatException e) {
            System.err.println("usage: IntegerOpsBenchmark [device] [seconds]; '" + args[1] + "' is not a number");
            System.exit(2);
        }
        try (IntegerOps java = new JavaIntegerOps(); IntegerOps ocl = AparapiIntegerOps.select(selector)) {
            System.out.println(String.format(Locale.ROOT, "java vs %s, %.1f s per figure, %d cores, load average %.2f",
                    ocl.name(), seconds, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            Random rng = new Random(1);
            int rows = TOKENS * BATCH;
            for (int[] shape : new int[][]{{64, 64}, {128, 128}, {256, 256}, {64, 256}, {256, 64}}) {
                int in = shape[0], out = shape[1];
                int[] w = new int[out * in];
                for (int i = 0; i < w.length; i++) {
                    w[i] = rng.nextInt(255) - 127;
                }
                int[] c = counts(rng, rows * in);
                compare("accumulate rows " + rows + ", in " + in + ", out " + out, seconds,
                        () -> java.accumulate(w, out, in, c, rows, LEVELS),
                        () -> ocl.accumulate(w, out, in, c, rows, LEVELS));
            }
            int channels = 64, heads = 4, n = TOKENS * BATCH * channels;
            int[] q = counts(rng, n), k = counts(rng, n), v = counts(rng, n);
            int[] valid = new int[BATCH];
            for (int b = 0; b < BATCH; b++) {
                valid[b] = TOKENS / 2 + rng.nextInt(TOKENS / 2 + 1);
            }
            compare("linearAttention tokens " + TOKENS + ", batch " + BATCH + ", channels " + channels + ", heads "
                            + heads, seconds,
                    () -> java.linearAttention(q, k, v, TOKENS, BATCH, channels, heads, valid),
                    () -> ocl.linearAttention(q, k, v, TOKENS, BATCH, channels, heads, valid));
        } catch (InvalidInputException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static int[] counts(Random rng, int n) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = rng.nextDouble() < DENSITY ? 1 + rng.nextInt(LEVELS) : 0;
        }
        return c;
    }

    private static void compare(String what, double seconds, Supplier<int[]> java, Supplier<int[]> ocl) {
        if (!Arrays.equals(java.get(), ocl.get())) {
            throw new IllegalStateException(what + ": OpenCL and Java results differ");
        }
        double j = callsPerSecond(java, seconds);
        double o = callsPerSecond(ocl, seconds);
        System.out.println(String.format(Locale.ROOT, "%-58s java %8.1f calls/s (%7.2f ms)   opencl %8.1f calls/s"
                + " (%7.2f ms)   opencl/java %.2f", what, j, 1e3 / j, o, 1e3 / o, o / j));
    }

    /** Calls per second over at least {@code seconds} (and 3 calls), after a third as long of warm-up. */
    private static double callsPerSecond(Supplier<int[]> call, double seconds) {
        run(call, seconds / 3, 3);
        long[] timed = run(call, seconds, 3);
        return timed[0] / (timed[1] / 1e9);
    }

    /** {calls, nanoseconds}. */
    private static long[] run(Supplier<int[]> call, double seconds, int minCalls) {
        long start = System.nanoTime(), limit = (long) (seconds * 1e9), calls = 0, sink = 0;
        long elapsed;
        do {
            sink += call.get().length;
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < limit || calls < minCalls);
        if (sink < 0) {
            System.out.println(sink); // keeps the results observably used
        }
        return new long[]{calls, elapsed};
    }
}
