package io.myelin.models.tensor;

import io.myelin.core.parallel.StepTeam;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
    /**
     * The smallest chunk of {@link #forRange} is {@code 1 / (threads * TAIL_CHUNKS_PER_THREAD)} of the range: the
     * last chunks taken are that small, so the thread that finishes first waits at most about that long for the others.
     */
    private static final int TAIL_CHUNKS_PER_THREAD = 32;

    /**
     * How long an idle helper thread spins for the next parallel call before it parks, and the caller for the last
     * chunk (ns). A training batch makes about sixty calls; the serial steps between them took a median 48 µs and
     * three in four under 175 µs (spoken-digits recipe, batch 256), while a parked thread took 100–200 µs to wake on a
     * 2-vCPU VM: docs/training-performance.md.
     */
    static final long SPIN_NANOS = 200_000;

    private final int threads;
    /** Held by the one call whose chunks the team shares; the fields below are touched only under it. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private StepTeam team;
    private int[] bounds;
    private RangeBody body;
    private final AtomicInteger nextChunk = new AtomicInteger();

    public Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    /** One thread, no helper threads. */
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
     * previous one, largest first ({@link #guidedBounds}): uneven chunks, such as samples with very different spike
     * counts, balance out, and the last chunks are small, so no thread idles long at the end. Waits for all.
     */
    public void forRange(int n, RangeBody body) {
        if (n > 0 && threads > 1) {
            run(guidedBounds(n, threads), body);
        } else {
            run(n, 1, body);
        }
    }

    /**
     * Chunk bounds for {@code threads} threads over {@code [0, n)}: each chunk a {@code 1 / (2 threads)} share of what
     * is left, and no smaller than {@code n / (threads * TAIL_CHUNKS_PER_THREAD)} (at least 1). A pure function of
     * {@code n} and {@code threads}; results never depend on the bounds (see the class comment).
     */
    static int[] guidedBounds(int n, int threads) {
        int min = Math.max(1, n / (threads * TAIL_CHUNKS_PER_THREAD));
        int[] bounds = new int[16];
        int count = 0, start = 0;
        bounds[0] = 0;
        while (start < n) {
            int left = n - start;
            int size = Math.min(left, Math.max(min, (left + 2 * threads - 1) / (2 * threads)));
            start += size;
            if (++count == bounds.length) {
                bounds = java.util.Arrays.copyOf(bounds, 2 * count);
            }
            bounds[count] = start;
        }
        return java.util.Arrays.copyOf(bounds, count + 1);
    }

    private void run(int n, int chunks, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        int[] bounds = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++) {
            bounds[c] = (int) ((long) n * c / chunks);
        }
        run(bounds, body);
    }

    /**
     * Runs {@code body} over the chunks {@code [bounds[c], bounds[c + 1])}, taken in order by whichever thread is free;
     * this thread takes chunks too. A call made while another is running (from a second thread, or from inside a body)
     * runs its chunks on the calling thread, in order: the same results (see the class comment).
     */
    private void run(int[] bounds, RangeBody body) {
        int chunks = bounds.length - 1;
        if (chunks == 1 || !busy.compareAndSet(false, true)) {
            for (int c = 0; c < chunks; c++) {
                body.run(bounds[c], bounds[c + 1]);
            }
            return;
        }
        try {
            if (team == null) {
                team = new StepTeam(threads, "myelin-worker", (phase, task) -> takeChunks(), SPIN_NANOS);
            }
            this.bounds = bounds;
            this.body = body;
            nextChunk.set(0);
            team.run(0);   // every member takes chunks until none are left
            if (Thread.currentThread().isInterrupted()) {
                // a cancelled task (a Spark kill) stops at its next parallel call, the interrupt kept
                throw new IllegalStateException("interrupted");
            }
        } finally {
            this.body = null;
            busy.set(false);
        }
    }

    private void takeChunks() {
        int[] b = bounds;
        int chunks = b.length - 1;
        try {
            for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
                body.run(b[c], b[c + 1]);
            }
        } catch (RuntimeException | Error e) {
            nextChunk.set(chunks);   // the others take no more chunks; the team rethrows e to the caller
            throw e;
        }
    }

    @Override
    public void close() {
        if (busy.compareAndSet(false, true)) {   // else a call is running: its helpers stay (daemon threads)
            try {
                if (team != null) {
                    team.close();
                    team = null;
                }
            } finally {
                busy.set(false);
            }
        }
    }
}
