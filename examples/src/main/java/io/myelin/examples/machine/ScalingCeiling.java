package io.myelin.examples.machine;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.function.IntToDoubleFunction;

/**
 * How much faster {@code n} threads do {@code n} times the work of one, for a load whose threads share nothing:
 * {@code scaling = n * t(1 thread, 1 unit) / t(n threads, 1 unit each)}, one figure per round, rounds alternating
 * one thread and n threads so that both see the same drift of a shared machine.
 */
public final class ScalingCeiling {
    /** One load's rounds: seconds on one thread, seconds on all threads, and the scaling of each round. */
    public record Result(String load, int threads, double[] oneThreadS, double[] allThreadsS) {
        public double[] scaling() {
            double[] s = new double[oneThreadS.length];
            for (int r = 0; r < s.length; r++) {
                s[r] = threads * oneThreadS[r] / allThreadsS[r];
            }
            return s;
        }
    }

    private ScalingCeiling() {
    }

    /**
     * The register-bound load ({@link RegisterLoad}): {@code iterations} per thread and measurement (about 0.2 s on
     * one core of a 2026 server for 150 M).
     */
    public static Result registerBound(int threads, int rounds, long iterations) {
        for (int k = 0; k < 40; k++) {
            RegisterLoad.run(Math.min(iterations, 500_000));   // many short calls: the method is compiled, not OSR'd
        }
        return measure(RegisterLoad.vector() ? "register (vector fma)" : "register (scalar fma)", threads, rounds,
                k -> RegisterLoad.run(iterations));
    }

    /** The memory-bound load ({@link StreamLoad}): each thread streams its own buffer of {@code floats} floats. */
    public static Result memoryBound(int threads, int rounds, int floats, int passes) {
        float[][] buffers = new float[threads][];
        for (int k = 0; k < threads; k++) {
            buffers[k] = StreamLoad.buffer(floats);
        }
        for (int k = 0; k < 20; k++) {
            StreamLoad.run(buffers[0], 1);
        }
        return measure("memory stream", threads, rounds, k -> StreamLoad.run(buffers[k], passes));
    }

    /** Runs {@code work.applyAsDouble(k)} on one thread (k = 0), then on {@code threads} threads at once, per round. */
    private static Result measure(String load, int threads, int rounds, IntToDoubleFunction work) {
        double[] one = new double[rounds], all = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            one[r] = timeOn(1, work);
            all[r] = timeOn(threads, work);
        }
        return new Result(load, threads, one, all);
    }

    /** Wall seconds for {@code threads} threads, started together, each running its unit of work. */
    private static double timeOn(int threads, IntToDoubleFunction work) {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        Thread[] t = new Thread[threads];
        double[] sink = new double[threads];
        for (int k = 0; k < threads; k++) {
            int id = k;
            t[k] = new Thread(() -> {
                await(start);
                sink[id] = work.applyAsDouble(id);
            }, "myelin-ceiling-" + k);
            t[k].start();
        }
        await(start);
        long t0 = System.nanoTime();
        for (Thread th : t) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (Double.isNaN(sink[0])) {
            throw new IllegalStateException("load gave NaN");   // keeps the results live
        }
        return seconds;
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("a measuring thread failed", e);
        }
    }
}
