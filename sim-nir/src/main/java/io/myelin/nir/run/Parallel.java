package io.myelin.nir.run;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent chunks of one operation on a fixed pool. Chunks are fixed by the work's size, never by the
 * thread count, and each writes only its own outputs, so any thread count gives the same bits.
 */
final class Parallel implements AutoCloseable {
    /** Below this many multiply-adds an operation runs on the calling thread (a fork costs microseconds). */
    static final long MIN_PARALLEL_WORK = 1 << 16;

    private final ForkJoinPool pool;

    Parallel(int threads) {
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    int threads() {
        return pool == null ? 1 : pool.getParallelism();
    }

    /** Calls {@code body} for chunk 0..chunks-1, in parallel when worth it. */
    void forEach(int chunks, long work, IntConsumer body) {
        if (pool == null || chunks < 2 || work < MIN_PARALLEL_WORK) {
            for (int c = 0; c < chunks; c++) {
                body.accept(c);
            }
            return;
        }
        pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(body)).join();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
