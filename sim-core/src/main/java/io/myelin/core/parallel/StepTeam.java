package io.myelin.core.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that runs the tasks of one phase, thousands of times a second: a phase of the Java backend's
 * time step (its tasks are the thread ranges), or one parallel pass of the training layers ({@code
 * io.myelin.models.tensor.Workers}, whose tasks take chunks of a range). The calling thread is member 0, {@code size -
 * 1} daemon threads are the others, and a phase has {@code size} tasks. {@link #run(int)} returns when every task of
 * the phase has run.
 *
 * <p>Each member first takes the task with its own number, so on a machine with a core per thread every range stays
 * in the cache of one core; a member that finds its own task done goes on to any task nobody has taken. So when a
 * thread is late (descheduled on a busy machine), the others, the caller included, do its task instead of waiting
 * for it: the team is never slower than the caller alone by more than the hand-over.
 *
 * <p>Handing a phase over costs about a microsecond while the members spin; a thread pool's submission and
 * {@code Future} cost tens of microseconds, which at 10,000 steps per simulated second kept the backend from scaling
 * before. A waiting thread spins for the team's spin time ({@link #SPIN_NANOS} unless it was made with another) and
 * then parks, so idle members (and a caller waiting for a task in progress on a descheduled thread) leave the core to
 * others.
 *
 * <p>Memory effects: everything the caller wrote before {@code run} is visible in the tasks (volatile generation,
 * written after the phase), and everything the tasks wrote is visible to the caller after {@code run} returns (the
 * atomic count of finished tasks). Per-task claims sit a cache line apart.
 */
public final class StepTeam implements AutoCloseable {
    /** The work of one task in one phase. */
    public interface Work {
        void run(int phase, int task);
    }

    /** How long a waiting thread spins before it parks, unless the team is made with its own figure (ns). */
    public static final long SPIN_NANOS = 50_000;
    private static final int PAD = 8;   // longs: one 64-byte line per task claim

    private final Work work;
    private final Thread[] threads;
    private final int tasks;
    /** Per task: the generation of the phase that last claimed it. */
    private final AtomicLongArray claimedIn;
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    /** 1 where a member is parked waiting for a phase: the caller unparks it. */
    private final AtomicIntegerArray parked;
    private volatile Thread caller;
    private volatile boolean callerParked;
    private volatile long generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    private final long spinNanos;
    private int phase;

    /** A team of {@code size} members (the caller and {@code size - 1} daemon threads named {@code name-m}). */
    public StepTeam(int size, String name, Work work) {
        this(size, name, work, SPIN_NANOS);
    }

    /**
     * A team whose waiting members spin for {@code spinNanos} before they park: long enough to cover the caller's usual
     * serial work between two phases, short enough to leave an idle core to others.
     */
    public StepTeam(int size, String name, Work work, long spinNanos) {
        if (size < 1 || spinNanos < 0) {
            throw new IllegalArgumentException("a team needs size >= 1 and spinNanos >= 0, got " + size + ", " + spinNanos);
        }
        this.spinNanos = spinNanos;
        this.work = work;
        this.threads = new Thread[size];
        this.tasks = size;
        this.claimedIn = new AtomicLongArray(size * PAD);
        this.parked = new AtomicIntegerArray(size);
        for (int m = 1; m < size; m++) {
            final int member = m;
            Thread t = new Thread(() -> loop(member), name + "-" + m);
            t.setDaemon(true);
            threads[m] = t;
            t.start();
        }
    }

    public int size() {
        return threads.length;
    }

    /** Runs every task of {@code phase} and waits for them (one caller at a time). */
    public void run(int phase) {
        caller = Thread.currentThread();
        this.phase = phase;
        claimed.set(0);
        finished.set(0);
        long g = generation + 1;
        generation = g;
        for (int m = 1; m < threads.length; m++) {
            if (parked.get(m) != 0) {
                LockSupport.unpark(threads[m]);
            }
        }
        runTasks(0, g, phase);
        awaitTasks();
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException("backend worker failed: " + f, f);
        }
    }

    /** Runs this member's own task if still free, then any other free task of generation {@code g}. */
    private void runTasks(int member, long g, int phase) {
        tryRun(member, g, phase);
        for (int k = 1; k < tasks && claimed.get() < tasks; k++) {
            tryRun((member + k) % tasks, g, phase);
        }
    }

    private void tryRun(int task, long g, int phase) {
        long last = claimedIn.get(task * PAD);
        // A member still holding an earlier generation finds every task claimed in a later one and runs nothing.
        if (last >= g || !claimedIn.compareAndSet(task * PAD, last, g)) {
            return;
        }
        claimed.incrementAndGet();
        try {
            work.run(phase, task);
        } catch (Throwable e) {
            fail(e);
        }
        if (finished.incrementAndGet() == tasks && callerParked) {
            LockSupport.unpark(caller);
        }
    }

    private void awaitTasks() {
        long deadline = System.nanoTime() + spinNanos;
        while (finished.get() != tasks) {
            if (System.nanoTime() < deadline) {
                spin();
            } else {
                // Announce before re-checking; the last task reads the announcement after counting itself.
                callerParked = true;
                if (finished.get() != tasks) {
                    LockSupport.park(this);
                }
                callerParked = false;
            }
        }
    }

    private void loop(int member) {
        long seen = 0;
        while (true) {
            long g = awaitPhase(seen, member);
            if (closed) {
                return;
            }
            seen = g;
            runTasks(member, g, phase);
        }
    }

    private long awaitPhase(long seen, int member) {
        long deadline = System.nanoTime() + spinNanos;
        while (true) {
            long g = generation;
            if (g != seen || closed) {
                return g;
            }
            if (System.nanoTime() < deadline) {
                spin();
            } else {
                // Announce before re-checking; the caller bumps the generation before reading the announcement,
                // so one of the two sees the other and no wake-up is lost.
                parked.set(member, 1);
                if (generation == seen && !closed) {
                    LockSupport.park(this);
                }
                parked.set(member, 0);
            }
        }
    }

    private static void spin() {
        for (int k = 0; k < 16; k++) {
            Thread.onSpinWait();
        }
    }

    private synchronized void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (int m = 1; m < threads.length; m++) {
            LockSupport.unpark(threads[m]);
        }
    }
}
