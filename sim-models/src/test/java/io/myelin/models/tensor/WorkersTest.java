package io.myelin.models.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link Workers} splits a range: every index exactly once, large chunks first, small ones at the end. */
class WorkersTest {

    @ParameterizedTest(name = "n = {0}, {1} threads")
    @CsvSource({"1, 2", "2, 2", "3, 4", "256, 2", "1000, 3", "24320, 2", "7, 16"})
    void guidedBoundsCoverTheRangeWithShrinkingChunks(int n, int threads) {
        int[] b = Workers.guidedBounds(n, threads);
        assertEquals(0, b[0]);
        assertEquals(n, b[b.length - 1]);
        int min = Math.max(1, n / (threads * 32));
        for (int c = 0; c + 1 < b.length; c++) {
            int size = b[c + 1] - b[c];
            assertTrue(size >= 1, "chunk " + c + " is empty");
            assertTrue(size <= Math.max(min, (n - b[c] + 2 * threads - 1) / (2 * threads)),
                    "chunk " + c + " is more than its share of what is left");
            if (c + 2 < b.length) {
                assertTrue(b[c + 2] - b[c + 1] <= size, "chunks do not grow");
                assertTrue(size >= min, "only the last chunk may be under the minimum");
            }
        }
    }

    @Test
    void twoThreadsOver256SamplesEndOnSingleSamples() {
        int[] b = Workers.guidedBounds(256, 2);
        assertEquals(64, b[1], "the first chunk is a quarter of the range");
        assertEquals(1, b[b.length - 1] - b[b.length - 2], "the last chunk is one sample");
    }

    @ParameterizedTest(name = "{0} threads")
    @CsvSource({"1", "2", "3"})
    void forRangeRunsEveryIndexOnce(int threads) {
        int n = 1013;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        try (Workers w = new Workers(threads)) {
            w.forRange(n, (a, z) -> {
                for (int i = a; i < z; i++) {
                    seen.incrementAndGet(i);
                }
            });
            int[] want = new int[n], got = new int[n];
            java.util.Arrays.fill(want, 1);
            for (int i = 0; i < n; i++) {
                got[i] = seen.get(i);
            }
            assertArrayEquals(want, got);
            w.forRange(0, (a, z) -> {
                throw new AssertionError("an empty range runs nothing");
            });
        }
    }

    @Test
    void aFailingChunkReachesTheCallerAndTheWorkersRunOn() {
        try (Workers w = new Workers(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> w.forRange(1000, (a, z) -> {
                        if (a <= 500 && 500 < z) {
                            throw new IllegalStateException("chunk holding 500");
                        }
                    }));
            assertEquals("chunk holding 500", e.getMessage());
            AtomicLong sum = new AtomicLong();
            w.forRange(1000, (a, z) -> {
                for (int i = a; i < z; i++) {
                    sum.addAndGet(i);
                }
            });
            assertEquals(999L * 1000 / 2, sum.get());
        }
    }

    @Test
    void callsFromInsideABodyAndFromASecondThreadEachRunEveryIndexOnce() throws Exception {
        int n = 300;
        try (Workers w = new Workers(2)) {
            // nested: each outer index runs an inner range on the same workers
            AtomicIntegerArray inner = new AtomicIntegerArray(n * 8);
            w.forRange(n, (a, z) -> {
                for (int i = a; i < z; i++) {
                    final int row = i;
                    w.forRange(8, (c0, c1) -> {
                        for (int c = c0; c < c1; c++) {
                            inner.incrementAndGet(row * 8 + c);
                        }
                    });
                }
            });
            for (int k = 0; k < n * 8; k++) {
                assertEquals(1, inner.get(k), "nested index " + k);
            }
            // two callers at once
            AtomicIntegerArray seen = new AtomicIntegerArray(2 * n);
            Runnable second = () -> {
                for (int r = 0; r < 50; r++) {
                    w.forRange(n, (a, z) -> {
                        for (int i = a; i < z; i++) {
                            seen.incrementAndGet(n + i);
                        }
                    });
                }
            };
            Thread t = new Thread(second);
            t.start();
            for (int r = 0; r < 50; r++) {
                w.forRange(n, (a, z) -> {
                    for (int i = a; i < z; i++) {
                        seen.incrementAndGet(i);
                    }
                });
            }
            t.join();
            for (int k = 0; k < 2 * n; k++) {
                assertEquals(50, seen.get(k), "index " + k);
            }
        }
    }

    @Test
    void anInterruptedCallerStopsAtItsNextParallelCall() {
        try (Workers w = new Workers(2)) {
            AtomicIntegerArray seen = new AtomicIntegerArray(100);
            Thread.currentThread().interrupt();
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> w.forRange(100, (a, z) -> {
                            for (int i = a; i < z; i++) {
                                seen.incrementAndGet(i);
                            }
                        }));
                assertEquals("interrupted", e.getMessage());
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
            } finally {
                Thread.interrupted();
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(1, seen.get(i), "the call that saw the interrupt still ran index " + i);
            }
        }
    }
}
