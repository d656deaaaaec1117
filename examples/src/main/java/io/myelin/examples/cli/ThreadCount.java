package io.myelin.examples.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A thread count above the machine's cores: allowed (results do not depend on it) but said once, since it only slows
 * work down ({@code --threads 1000} ran three times slower than 2 on 2 cores).
 */
final class ThreadCount {
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private ThreadCount() {
    }

    /** Warns on {@code err}, once per process, when {@code threads} exceeds the available cores. */
    static void warnAboveCores(int threads, PrintWriter err) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads > cores && WARNED.compareAndSet(false, true)) {
            err.println("myelin: warning: " + threads + " threads on " + cores + " available cores; more threads than"
                    + " cores only slow the work down (results do not depend on the thread count)");
            err.flush();
        }
    }

    /** Forgets the warning (tests that check it is said once). */
    static void reset() {
        WARNED.set(false);
    }
}
