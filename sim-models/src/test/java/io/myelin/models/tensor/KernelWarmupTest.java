package io.myelin.models.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JIT warm-up of the Vector API kernels: it covers every kernel width, runs once per process, and the kernels
 * give the chains of fused multiply-adds their contracts state, bit for bit, before and after it (whether they ran
 * interpreted, in C1 or in C2 code).
 */
class KernelWarmupTest {
    @Test
    void coversEveryBlockWidthOfEachShapeAndTheRowKernels() {
        // shiftedTerms and shiftedTermPairs in widths 1-8, tableRows in 1, 2, 4 and 8, shiftedTermQuads in 1-4, the
        // two-tap tapRows kernel, the four-synapse three-tap gather, six BatchNorm / LIF row kernels
        assertEquals(8 + 8 + 4 + 4 + 1 + 1 + 6, KernelWarmup.kernels(WindowOps.lanes()).size());
    }

    @Test
    void aOneVectorCallAtC2SpeedCountsAsCompiledAndC1SpeedDoesNot() {
        // 32 calls of the one-vector shiftedTerms kernel (8 terms, 16 ns allowed for them) on the 2-vCPU Zen 4 VM:
        // 1.3-1.7 us in C2's code (most of it the call itself), 37-48 us in C1's (-XX:TieredStopAtLevel=1)
        assertTrue(KernelWarmup.compiled(1_700, 16));
        assertFalse(KernelWarmup.compiled(37_000, 16));
        // the two-vector shiftedTermQuads (four sums of 2 vectors x 8 terms, 128 ns allowed): C1 took 317-374 us
        assertFalse(KernelWarmup.compiled(317_000, 128));
    }

    @Test
    void runsOnceAndLeavesTheKernelsResultsAsTheirFormula() {
        int lanes = WindowOps.lanes(), len = 11 * lanes, terms = 37;
        Random rnd = new Random(5);
        float[] src = new float[len + 64], coefA = new float[terms], coefB = new float[terms];
        float[] table = new float[terms * len];
        int[] offset = new int[terms], row = new int[terms];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) rnd.nextGaussian();
        }
        for (int m = 0; m < terms; m++) {
            offset[m] = rnd.nextInt(64);
            row[m] = rnd.nextInt(terms) * len;
            coefA[m] = (float) rnd.nextGaussian();
            coefB[m] = (float) rnd.nextGaussian();
        }
        float[][] before = sums(src, offset, coefA, coefB, table, row, len, terms);
        int first = KernelWarmup.once();
        int second = KernelWarmup.once();
        assertEquals(-1, second, "the warm-up runs once per process");
        assertTrue(first >= -1);
        KernelWarmup.run(200_000_000L);
        float[][] after = sums(src, offset, coefA, coefB, table, row, len, terms);
        for (int k = 0; k < before.length; k++) {
            assertArrayEquals(before[k], after[k]);
        }
        // the formula: each element a chain of fused multiply-adds in the order of the terms, from zero
        float[] a = new float[len], b = new float[len], t = new float[len];
        for (int k = 0; k < len; k++) {
            for (int m = 0; m < terms; m++) {
                a[k] = Math.fma(src[offset[m] + k], coefA[m], a[k]);
                b[k] = Math.fma(src[offset[m] + k], coefB[m], b[k]);
                t[k] = Math.fma(table[row[m] + k], coefA[m], t[k]);
            }
        }
        assertArrayEquals(a, after[0]);
        assertArrayEquals(a, java.util.Arrays.copyOfRange(after[1], 0, len));
        assertArrayEquals(b, java.util.Arrays.copyOfRange(after[1], len, 2 * len));
        assertArrayEquals(t, after[2]);
    }

    @Test
    void aCallerWaitsForAWarmUpStartedInTheBackgroundAndNothingRunsTwice() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> thread = new java.util.concurrent.atomic.AtomicReference<>();
        KernelWarmup.Once once = new KernelWarmup.Once(() -> {
            runs.incrementAndGet();
            thread.set(Thread.currentThread().getName());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 7;
        });
        once.startInBackground("warmup-under-test");
        once.startInBackground("warmup-under-test-again");
        java.util.concurrent.CompletableFuture<Integer> caller =
                java.util.concurrent.CompletableFuture.supplyAsync(once::runOrAwait);
        Thread.sleep(100);
        assertTrue(!caller.isDone() && !once.finished(), "the caller waits while the background warm-up runs");
        release.countDown();
        assertEquals(-1, caller.get(10, java.util.concurrent.TimeUnit.SECONDS), "the caller ran nothing itself");
        assertTrue(once.finished());
        assertEquals(1, runs.get());
        assertEquals("warmup-under-test", thread.get());
        assertEquals(-1, once.runOrAwait());
        assertEquals(1, runs.get());
    }

    @Test
    void theFirstCallerRunsTheTaskItselfWhenNothingStartedIt() {
        KernelWarmup.Once once = new KernelWarmup.Once(() -> 3);
        assertEquals(3, once.runOrAwait());
        once.startInBackground("too-late");
        assertEquals(-1, once.runOrAwait());
        assertTrue(once.finished());
    }

    @Test
    void aFailedBackgroundWarmUpLetsTheCallerGoOn() {
        KernelWarmup.Once once = new KernelWarmup.Once(() -> {
            throw new IllegalStateException("no compiler");
        });
        once.startInBackground("failing-warmup");
        assertEquals(-1, once.runOrAwait());
        assertTrue(once.finished());
    }

    private static float[][] sums(float[] src, int[] offset, float[] coefA, float[] coefB, float[] table, int[] row,
                                  int len, int terms) {
        float[] one = new float[len], pair = new float[2 * len], rows = new float[len];
        BlockSums.shiftedTerms(src, 0, offset, coefA, 0, terms, one, 0, len);
        BlockSums.shiftedTermPairs(src, 0, offset, coefA, coefB, 0, terms, pair, 0, len, len);
        BlockSums.tableRows(table, row, coefA, 0, terms, rows, 0, len);
        return new float[][]{one, pair, rows};
    }
}
