package io.myelin.benchmarks;

import io.myelin.kernels.quant.AparapiIntegerOps;
import io.myelin.kernels.quant.IntegerOps;
import io.myelin.kernels.quant.JavaIntegerOps;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The integer-inference primitives of quantized spike-driven models ({@link JavaIntegerOps} against
 * {@link AparapiIntegerOps}) on the shapes of a typical layer: accumulate over rows = 100 tokens x 32 samples with
 * levels 4 and 20 % non-zero spike counts, and linear attention over 100 tokens x 32 samples x 64 channels in 4
 * heads. Each call includes the host copies, uploads and read-back. Before timing, the OpenCL result is checked
 * equal to Java's. {@code -p backend=java} skips OpenCL on a machine without it; {@code -p backend=opencl:cpu}
 * picks a device as {@link AparapiIntegerOps#select} does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IntegerOpsBenchmark {
    static final int TOKENS = 100;
    static final int BATCH = 32;
    static final int ROWS = TOKENS * BATCH;
    static final int LEVELS = 4;
    static final double DENSITY = 0.2;
    static final int CHANNELS = 64;
    static final int HEADS = 4;

    /** Weights and counts of one accumulate shape on one backend. */
    @State(Scope.Thread)
    public static class Accumulate {
        /** {@code java}, {@code opencl} (the first device) or {@code opencl:SELECTOR}. */
        @Param({"java", "opencl"})
        public String backend;

        /** {@code in x out}. */
        @Param({"64x64", "128x128", "256x256", "64x256", "256x64"})
        public String shape;

        IntegerOps ops;
        int in, out;
        int[] weights, counts;

        @Setup(Level.Trial)
        public void setUp() {
            ops = open(backend);
            String[] s = shape.split("x");
            in = Integer.parseInt(s[0]);
            out = Integer.parseInt(s[1]);
            Random rng = new Random(1);
            weights = new int[out * in];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = rng.nextInt(255) - 127;
            }
            counts = counts(rng, ROWS * in);
            try (IntegerOps java = new JavaIntegerOps()) {
                checkEqual(java.accumulate(weights, out, in, counts, ROWS, LEVELS), run(), ops);
            }
        }

        int[] run() {
            return ops.accumulate(weights, out, in, counts, ROWS, LEVELS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ops.close();
        }
    }

    /** Q, K, V counts and valid lengths (50..100 tokens) on one backend. */
    @State(Scope.Thread)
    public static class Attention {
        @Param({"java", "opencl"})
        public String backend;

        IntegerOps ops;
        int[] q, k, v, valid;

        @Setup(Level.Trial)
        public void setUp() {
            ops = open(backend);
            Random rng = new Random(2);
            int n = ROWS * CHANNELS;
            q = counts(rng, n);
            k = counts(rng, n);
            v = counts(rng, n);
            valid = new int[BATCH];
            for (int b = 0; b < BATCH; b++) {
                valid[b] = TOKENS / 2 + rng.nextInt(TOKENS / 2 + 1);
            }
            try (IntegerOps java = new JavaIntegerOps()) {
                checkEqual(java.linearAttention(q, k, v, TOKENS, BATCH, CHANNELS, HEADS, valid), run(), ops);
            }
        }

        int[] run() {
            return ops.linearAttention(q, k, v, TOKENS, BATCH, CHANNELS, HEADS, valid);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ops.close();
        }
    }

    @Benchmark
    public int[] accumulate(Accumulate s) {
        return s.run();
    }

    @Benchmark
    public int[] linearAttention(Attention s) {
        return s.run();
    }

    static IntegerOps open(String backend) {
        if (backend.equals("java")) {
            return new JavaIntegerOps();
        }
        if (backend.equals("opencl")) {
            return AparapiIntegerOps.select(null);
        }
        if (backend.startsWith("opencl:")) {
            return AparapiIntegerOps.select(backend.substring("opencl:".length()));
        }
        throw new IllegalArgumentException("backend: java, opencl or opencl:SELECTOR, got " + backend);
    }

    static void checkEqual(int[] java, int[] other, IntegerOps ops) {
        if (!Arrays.equals(java, other)) {
            throw new IllegalStateException(ops.name() + " and java results differ");
        }
    }

    static int[] counts(Random rng, int n) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = rng.nextDouble() < DENSITY ? 1 + rng.nextInt(LEVELS) : 0;
        }
        return c;
    }
}
