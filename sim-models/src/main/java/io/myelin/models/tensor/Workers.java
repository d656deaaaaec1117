package io.myelin.models.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed set of worker threads for the layers' hot loops. Work is always split so that every output element is
 * computed by exactly one chunk, in an order that does not depend on the chunk's bounds, and never reduced across
 * chunks: results are therefore bit-identical for any thread count, not only for a given one.
 */
public final class Workers implements AutoCloseable {
    /** A body over a half-open index range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final Workers SERIAL = new Workers(1);
    /** Chunks per thread: enough to even out uneven work, few enough that scheduling costs nothing. */
    private static final int CHUNKS_PER_THREAD = 8;

    private final int threads;
    private final ExecutorService pool;

    public Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "myelin-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** One thread, no pool. */
    public static Workers serial() {
        return SERIAL;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in exactly one contiguous chunk per thread: for bodies that scan a shared
     * list (all input events) once per chunk, where more chunks would repeat the scan.
     */
    public void forRangeEven(int n, RangeBody body) {
        run(n, Math.min(n, threads), body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous chunks that the threads take as they finish the
     * previous one (uneven chunks, such as samples with very different spike counts, then balance out); waits for all.
     */
    public void forRange(int n, RangeBody body) {
        run(n, Math.min(n, threads == 1 ? 1 : threads * CHUNKS_PER_THREAD), body);
    }

    private void run(int n, int chunks, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable worker = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            }
        };
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int t = 1; t < threads; t++) {
            futures.add(pool.submit(worker));
        }
        worker.run();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
