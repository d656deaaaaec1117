package io.myelin.core.engine.event;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventQueueTest {

    private record Ev(double time, long seq, long payload) {
    }

    /**
     * Random interleavings of pushes and pops, times never before the last popped time, many exact ties
     * (times on a coarse grid), some far beyond the calendar's horizon: every pop must return the minimum by
     * (time, seq) of a reference list, which is kept sorted by a plain comparator.
     */
    private static void checkAgainstReferenceSort(Supplier<EventQueue> factory, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        EventQueue q = factory.get();
        List<Ev> reference = new ArrayList<>();
        Comparator<Ev> order = Comparator.comparingDouble(Ev::time).thenComparingLong(Ev::seq);
        double now = 0;
        long pops = 0;
        for (int op = 0; op < 20_000; op++) {
            boolean push = reference.isEmpty() || rng.nextDouble() < 0.55;
            if (push) {
                double delay;
                double r = rng.nextDouble();
                if (r < 0.3) {
                    delay = 0.25 * rng.nextInt(8);          // ties on a grid, including "now"
                } else if (r < 0.95) {
                    delay = rng.nextDouble() * 5.0;          // within the ring
                } else {
                    delay = 50 + rng.nextDouble() * 500;     // far future: overflow
                }
                long payload = rng.nextLong();
                long seq = q.push(now + delay, payload);
                reference.add(new Ev(now + delay, seq, payload));
            } else {
                reference.sort(order);
                Ev expected = reference.remove(0);
                assertEquals(expected.time(), q.minTime(), "min time at pop " + pops);
                q.pop();
                assertEquals(expected.time(), q.poppedTime(), "time at pop " + pops);
                assertEquals(expected.seq(), q.poppedSeq(), "seq at pop " + pops);
                assertEquals(expected.payload(), q.poppedPayload(), "payload at pop " + pops);
                now = q.poppedTime();
                pops++;
            }
            assertEquals(reference.size(), q.size());
        }
        reference.sort(order);
        for (Ev e : reference) {
            q.pop();
            assertEquals(e.seq(), q.poppedSeq());
        }
        assertTrue(q.isEmpty());
        assertTrue(pops > 5000);
    }

    @Test
    void heapPopsInTimeThenSequenceOrder() {
        for (long seed = 1; seed <= 3; seed++) {
            checkAgainstReferenceSort(BinaryHeapEventQueue::new, seed);
        }
    }

    @Test
    void calendarPopsInTimeThenSequenceOrder() {
        for (long seed = 1; seed <= 3; seed++) {
            checkAgainstReferenceSort(() -> new CalendarEventQueue(0.1, 5.0), seed);
            checkAgainstReferenceSort(() -> new CalendarEventQueue(1.0, 2.0), seed);   // tiny ring: much overflow
            checkAgainstReferenceSort(() -> new CalendarEventQueue(0.013, 40.0), seed); // many buckets
        }
    }

    @Test
    void calendarAcceptsPushesBehindAPeek() {
        // minTime() moves the calendar to the next non-empty bucket; a later push into an earlier bucket must still
        // come out first.
        CalendarEventQueue q = new CalendarEventQueue(1.0, 4.0);
        q.push(0.5, 1);
        q.pop();
        q.push(3.5, 2);
        assertEquals(3.5, q.minTime());
        q.push(1.5, 3);
        q.push(3.5, 4);
        q.pop();
        assertEquals(3, q.poppedPayload());
        q.pop();
        assertEquals(2, q.poppedPayload());
        q.pop();
        assertEquals(4, q.poppedPayload());
        assertTrue(q.isEmpty());
    }

    @Test
    void popFromEmptyQueueFails() {
        assertThrows(IllegalStateException.class, () -> new BinaryHeapEventQueue().pop());
        assertThrows(IllegalStateException.class, () -> new CalendarEventQueue(1, 1).pop());
    }

    @Test
    void clearRestartsSequenceNumbers() {
        for (EventQueue q : new EventQueue[]{new BinaryHeapEventQueue(), new CalendarEventQueue(0.5, 3)}) {
            q.push(1, 1);
            q.push(2, 2);
            q.clear();
            assertTrue(q.isEmpty());
            assertEquals(0, q.push(0.25, 7));
            q.pop();
            assertEquals(7, q.poppedPayload());
        }
    }

    @Test
    void crossingScheduleKeepsOneEntryPerNeuronInTimeThenNeuronOrder() {
        SplittableRandom rng = new SplittableRandom(17);
        int neurons = 300;
        CrossingSchedule c = new CrossingSchedule(neurons);
        double[] reference = new double[neurons];
        java.util.Arrays.fill(reference, Double.POSITIVE_INFINITY);
        for (int op = 0; op < 50_000; op++) {
            if (rng.nextDouble() < 0.7) {
                int n = rng.nextInt(neurons);
                double r = rng.nextDouble();
                double t = r < 0.1 ? Double.POSITIVE_INFINITY : 0.5 * rng.nextInt(40); // removals and many ties
                c.set(n, t);
                reference[n] = t;
            } else {
                int best = -1;
                for (int n = 0; n < neurons; n++) {
                    if (reference[n] != Double.POSITIVE_INFINITY && (best < 0 || reference[n] < reference[best])) {
                        best = n;   // strict <: the lowest neuron wins a tie
                    }
                }
                if (best < 0) {
                    assertTrue(c.isEmpty());
                    continue;
                }
                assertEquals(reference[best], c.minTime(), "op " + op);
                assertEquals(best, c.popMin(), "op " + op);
                reference[best] = Double.POSITIVE_INFINITY;
            }
            int live = 0;
            for (double t : reference) {
                live += t != Double.POSITIVE_INFINITY ? 1 : 0;
            }
            assertEquals(live, c.size());
        }
    }
}
