package io.myelin.models.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed set of worker threads for the layers' hot loops. Work is always split so that every output element is
 * computed by exactly one task in a fixed order, never reduced across tasks: results are therefore bit-identical
 * for any thread count, not only for a given one.
 */
public final class Workers implements AutoCloseable {
    /** A body over a half-open index range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final Workers SERIAL = new Workers(1);

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

    /** Runs {@code body} over {@code [0, n)} split into contiguous chunks, one per thread; waits for all. */
    public void forRange(int n, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(threads, n);
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            futures.add(pool.submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) n / chunks));
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
