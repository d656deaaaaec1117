package io.myelin.examples.machine;

import io.myelin.core.vector.VectorApi;

/**
 * Work that stays in registers: eight independent chains of fused multiply-adds, on the Vector API's widest floats
 * where the JVM has it (as Myelin's kernels then do), else on scalar doubles. Eight chains hide the multiply-add
 * latency, so the loop runs at the core's multiply-add throughput and its time depends only on the clock.
 */
final class RegisterLoad {
    private RegisterLoad() {
    }

    /** Whether the load runs on the Vector API. */
    static boolean vector() {
        return VectorApi.usable(() -> VectorRegisterLoad.lanes() > 1);
    }

    /** Runs {@code iterations} iterations of eight multiply-adds; the result keeps the JIT from dropping the loop. */
    static double run(long iterations) {
        if (vector()) {
            return VectorRegisterLoad.run(iterations);
        }
        double a = 1.0001, b = 0.9999;
        double x0 = 1, x1 = 1, x2 = 1, x3 = 1, x4 = 1, x5 = 1, x6 = 1, x7 = 1;
        for (long i = 0; i < iterations; i++) {
            x0 = Math.fma(x0, a, b);
            x1 = Math.fma(x1, a, b);
            x2 = Math.fma(x2, a, b);
            x3 = Math.fma(x3, a, b);
            x4 = Math.fma(x4, b, a);
            x5 = Math.fma(x5, b, a);
            x6 = Math.fma(x6, b, a);
            x7 = Math.fma(x7, b, a);
        }
        return x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
    }
}
