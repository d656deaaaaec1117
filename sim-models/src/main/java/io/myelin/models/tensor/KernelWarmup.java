package io.myelin.models.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Gets the block-sum kernels ({@link BlockSums}), the three-tap gathers ({@link ThreeTapGathers}) and the BatchNorm
 * and LIF row kernels ({@link NormOps}, {@link NormLifOps}) compiled by the JIT's optimising compiler (C2) on short
 * calls of scratch data before training runs them on real data. Only C2 turns the Vector API into vector instructions; the
 * interpreter and C1 run each vector operation as Java code on a boxed vector, tens of times slower. Training calls
 * these kernels with long loops (thousands of terms) and few calls at first, and HotSpot compiles a method that
 * loops long only after tens of thousands of loop iterations in the interpreter and again in C1-compiled code (the
 * on-stack-replacement thresholds), where short calls reach the thresholds by the number of calls after a few
 * thousand terms. Once the compile requests are in, it sleeps between rounds, so that C2 has a core to itself rather
 * than sharing it with training threads that run the kernels slowly meanwhile, and it stops when every kernel runs at
 * compiled speed. It runs once per process, on the calling thread, and reads and writes only its own arrays: no
 * result of the caller depends on it.
 *
 * <p>A run can start it early on a thread of its own ({@link #startInBackground}), while it reads its data: on two
 * cores the data loading leaves the second core to the compilers, and the first batch then waits only for what is
 * left of the warm-up ({@link #once} waits for a warm-up already started rather than running a second one).
 */
public final class KernelWarmup {
    /** Terms per call: enough that the loop, not the call, dominates what C2 learns from the profile. */
    private static final int TERMS = 8;
    /** Calls per round and kernel. */
    private static final int CALLS = 32;
    /**
     * A kernel runs compiled when a round takes at most this many ns per vector and term, plus {@link #CALL_NS} per
     * call: C2's code takes a fraction of a ns (a load and a fused multiply-add), C1's and the interpreter's tens of ns
     * (objects for every operation).
     */
    private static final double COMPILED_NS = 2.0;
    /** The same for the BatchNorm and LIF row kernels, per vector of a row (about ten operations each). */
    private static final double COMPILED_ROW_NS = 10.0;
    /**
     * What a call costs besides its terms, ns: the dispatch by width, the kernel table's interface call and the
     * kernel's set-up take 40-50 ns in C2's code on the 2-vCPU Zen 4 VM, more than the 16 ns that the eight terms of a
     * one-vector call are allowed. Without it the one-vector kernels never counted as compiled and every warm-up ran
     * to {@link #LIMIT_NS}. Four times what was measured, for slower cores: C1's code for those kernels takes over
     * 1,100 ns a call, so the allowance still tells the two apart.
     */
    private static final double CALL_NS = 200.0;
    /** The most the warm-up waits for the compilers (ns), whatever happens (no JIT at all, a starved machine). */
    private static final long LIMIT_NS = 4_000_000_000L;
    /** Sleep between rounds once the compilers have every kernel's calls counted (ms). */
    private static final long NAP_MS = 5;

    private static final Once WARMUP = new Once(() -> run(LIMIT_NS));

    private KernelWarmup() {
    }

    /**
     * Runs the warm-up on the calling thread the first time it is called in this process; later calls return at once,
     * or, while a warm-up started by {@link #startInBackground} still runs, once it has finished. Nothing without the
     * Vector API ({@link WindowOps#vectorized()}).
     *
     * @return the kernels still slow when it stopped (0: all compiled; -1: it did not run on this call)
     */
    public static int once() {
        return WindowOps.vectorized() ? WARMUP.runOrAwait() : -1;
    }

    /**
     * Starts the warm-up on a daemon thread of its own unless one has run or started in this process, and returns at
     * once: for a run to call before it reads its data, so that the compilers work while it does.
     */
    public static void startInBackground() {
        if (WindowOps.vectorized()) {
            WARMUP.startInBackground("myelin-kernel-warmup");
        }
    }

    /**
     * A task that runs at most once per instance, on the first caller's thread or on a thread of its own; a caller
     * that finds it started waits for it to end.
     */
    static final class Once {
        private final IntSupplier task;
        private final AtomicReference<CompletableFuture<Integer>> run = new AtomicReference<>();

        Once(IntSupplier task) {
            this.task = task;
        }

        /** The task's result where this call ran it; -1 where it had run or started before (having waited for it). */
        int runOrAwait() {
            CompletableFuture<Integer> started = run.get();
            if (started == null) {
                CompletableFuture<Integer> mine = new CompletableFuture<>();
                if (run.compareAndSet(null, mine)) {
                    return complete(mine);
                }
                started = run.get();
            }
            try {
                started.join();
            } catch (RuntimeException e) {
                // a failed warm-up leaves slow kernels, never wrong results: the caller goes on
            }
            return -1;
        }

        /** Starts the task on a daemon thread unless it has run or started; returns at once. */
        void startInBackground(String threadName) {
            CompletableFuture<Integer> mine = new CompletableFuture<>();
            if (run.compareAndSet(null, mine)) {
                Thread t = new Thread(() -> {
                    try {
                        mine.complete(task.getAsInt());
                    } catch (RuntimeException | Error e) {
                        mine.completeExceptionally(e);   // the waiting caller goes on; nothing else needs to know
                    }
                }, threadName);
                t.setDaemon(true);
                t.start();
            }
        }

        /** Whether the task has run to its end. */
        boolean finished() {
            CompletableFuture<Integer> f = run.get();
            return f != null && f.isDone();
        }

        private int complete(CompletableFuture<Integer> f) {
            try {
                int r = task.getAsInt();
                f.complete(r);
                return r;
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
                throw e;
            }
        }
    }

    /**
     * One warm-up of every kernel on the calling thread, for at most {@code limitNs}; returns the kernels still slow
     * then (0: all compiled).
     */
    static int run(long limitNs) {
        List<Kernel> slow = new ArrayList<>(kernels(WindowOps.lanes()));
        long start = System.nanoTime();
        int rounds = 0;
        while (!slow.isEmpty() && System.nanoTime() - start < limitNs) {
            slow.removeIf(Kernel::round);
            rounds++;
            // after a few hundred calls per kernel the compile requests are queued: let the compilers have the cores
            if (rounds > 20 && !slow.isEmpty()) {
                try {
                    Thread.sleep(NAP_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return slow.size();
    }

    /** One kernel shape and width, with its scratch arrays. */
    private static final class Kernel {
        private final Runnable call;
        /** The most a call's terms take once compiled, ns (the call itself is allowed {@link #CALL_NS} more). */
        private final double compiledNs;

        Kernel(double compiledNs, Runnable call) {
            this.call = call;
            this.compiledNs = compiledNs;
        }

        /**
         * {@link #CALLS} calls, twice if the first were slow (the first round after the warm-up's nap meets a cold
         * core: 6-10 us against 1.5 us for the same compiled kernel); true when they ran at compiled speed.
         */
        boolean round() {
            return compiled(timedCalls(), compiledNs) || compiled(timedCalls(), compiledNs);
        }

        private long timedCalls() {
            long t0 = System.nanoTime();
            for (int c = 0; c < CALLS; c++) {
                call.run();
            }
            return System.nanoTime() - t0;
        }
    }

    /**
     * Whether {@link #CALLS} calls that took {@code roundNs} together ran compiled code, for a kernel whose terms take
     * at most {@code compiledNs} a call in C2's code.
     */
    static boolean compiled(long roundNs, double compiledNs) {
        return roundNs <= (compiledNs + CALL_NS) * CALLS;
    }

    /**
     * Every block width of the five kernel shapes (the dispatchers pick the kernel by the length), and the three-tap
     * gathers.
     */
    static List<Kernel> kernels(int lanes) {
        List<Kernel> ks = new ArrayList<>();
        int[] offset = new int[TERMS], row = new int[TERMS];
        float[] coefA = new float[TERMS], coefB = new float[TERMS];
        for (int m = 0; m < TERMS; m++) {
            offset[m] = m;               // unaligned rows, as the delayed rows are
            row[m] = m * 8 * lanes;
            coefA[m] = 0.25f + m / 64f;
            coefB[m] = 0.5f - m / 64f;
        }
        float[] src = filled(8 * lanes + TERMS);
        float[] table = filled(TERMS * 8 * lanes);
        for (int w = 1; w <= 8; w++) {
            int len = w * lanes;
            float[] dst = new float[2 * len];
            ks.add(new Kernel(COMPILED_NS * w * TERMS,
                    () -> BlockSums.shiftedTerms(src, 0, offset, coefA, 0, TERMS, dst, 0, len)));
            float[] pairDst = new float[2 * len];
            ks.add(new Kernel(COMPILED_NS * 2 * w * TERMS,
                    () -> BlockSums.shiftedTermPairs(src, 0, offset, coefA, coefB, 0, TERMS, pairDst, 0, len, len)));
            if (Integer.bitCount(w) == 1) {   // the table kernels come in widths 1, 2, 4 and 8
                float[] rowDst = new float[len];
                ks.add(new Kernel(COMPILED_NS * w * TERMS,
                        () -> BlockSums.tableRows(table, row, coefA, 0, TERMS, rowDst, 0, len)));
            }
            if (w <= 4) {                      // four inputs' sums together come in widths 1 to 4
                float[] quadDst = new float[4 * len];
                int[] at = {0, len, 2 * len, 3 * len};
                float[][] coefs = {coefA, coefB, coefA, coefB};
                ks.add(new Kernel(COMPILED_NS * 4 * w * TERMS,
                        () -> BlockSums.shiftedTermQuads(src, 0, offset, coefs, 0, TERMS, quadDst, at, len)));
            }
        }
        // two taps' rows of four vectors at a time (the blocked kernel gradient's pair kernel)
        float[] tapDst = new float[2 * 4 * lanes];
        ks.add(new Kernel(COMPILED_NS * 2 * 4 * TERMS, () -> BlockSums.tapRows(table, row, 4 * lanes, 4 * lanes, 2,
                coefA, 0, TERMS, tapDst, 0, 4 * lanes, 4 * lanes)));
        // the floor sigma's kernel gradient: four synapses' three-tap windows gathered over an input's events
        float[] col = filled(TERMS + 6 + ThreeTapGathers.columnSlack());   // rows up to TERMS - 1 + 5
        float[] gatherDst = new float[12];
        ks.add(new Kernel(COMPILED_NS * 4 * TERMS, () -> ThreeTapGathers.four(col, col, col, col, 0, TERMS, offset,
                coefA, 2, 3, 4, 5, gatherDst, 0, 3, 6, 9)));
        rowKernels(lanes, ks);
        return ks;
    }

    /** The BatchNorm and fused BatchNorm-LIF-dropout row kernels ({@link NormOps}, {@link NormLifOps}). */
    private static void rowKernels(int lanes, List<Kernel> ks) {
        int rows = 2, n = 8 * lanes;
        double ns = COMPILED_ROW_NS * rows * 8;
        float[] x = filled(rows * n), g = filled(rows * n), out = new float[rows * n], h = new float[rows * n];
        float[] mean = new float[n], invStd = new float[n], gamma = new float[n], beta = new float[n],
                k = new float[n], mb = new float[n], mg = new float[n], mask = new float[n], v = new float[n];
        for (int c = 0; c < n; c++) {
            mean[c] = (c % 5) / 4096f;
            invStd[c] = 200f + c % 3;
            gamma[c] = 1f;
            k[c] = 0.5f;
            mb[c] = 1e-4f;
            mg[c] = 2e-4f;
            mask[c] = c % 4 == 0 ? 0f : 1.25f;
        }
        double[] sum = new double[n], sq = new double[n], db = new double[n], dg = new double[n];
        double[] meanD = new double[n];
        ks.add(new Kernel(ns, () -> NormOps.columnSums(x, 0, rows, n, 0, n, sum)));
        ks.add(new Kernel(ns, () -> NormOps.squaredDeviations(x, meanD, 0, rows, n, 0, n, sq)));
        ks.add(new Kernel(ns, () -> NormOps.gradientSums(g, x, mean, invStd, 0, rows, n, 0, n, db, dg)));
        ks.add(new Kernel(ns, () -> NormOps.inputGradient(g, x, out, mean, invStd, k, mb, mg, 0, rows, n)));
        ks.add(new Kernel(ns, () -> {
            for (int r = 0; r < rows; r++) {
                NormLifOps.forwardRow(x, h, out, v, 0, mask, 0, r * n, n, mean, invStd, gamma, beta, 2f, 1f);
            }
        }));
        ks.add(new Kernel(ns, () -> {
            for (int r = rows - 1; r >= 0; r--) {
                NormLifOps.backwardRow(g, mask, 0, h, out, v, 0, r * n, n, 1f, 0.5f, 2.5, 7.85);
            }
        }));
    }

    /** Small values that neither overflow nor turn subnormal however often the sums add them. */
    private static float[] filled(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = ((i % 7) - 3) / 1024f;
        }
        return a;
    }
}
