package io.myelin.core.engine.event;

import java.util.Arrays;

/**
 * The reference event queue: an implicit binary min-heap over parallel primitive arrays keyed by
 * (time, sequence number). O(log n) push and pop, no allocation once grown.
 */
public final class BinaryHeapEventQueue implements EventQueue {
    private double[] time;
    private long[] seq;
    private long[] payload;
    private int size;
    private long nextSeq;
    private double poppedTime;
    private long poppedPayload, poppedSeq;

    public BinaryHeapEventQueue() {
        this(256);
    }

    public BinaryHeapEventQueue(int capacity) {
        int c = Math.max(4, capacity);
        time = new double[c];
        seq = new long[c];
        payload = new long[c];
    }

    @Override
    public long push(double t, long p) {
        long s = nextSeq++;
        insert(t, s, p);
        return s;
    }

    /** Inserts with a sequence number given by the caller (a composite queue numbering events itself). */
    void insert(double t, long s, long p) {
        if (size == time.length) {
            int cap = time.length * 2;
            time = Arrays.copyOf(time, cap);
            seq = Arrays.copyOf(seq, cap);
            payload = Arrays.copyOf(payload, cap);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, s, time[parent], seq[parent])) {
                break;
            }
            time[i] = time[parent];
            seq[i] = seq[parent];
            payload[i] = payload[parent];
            i = parent;
        }
        time[i] = t;
        seq[i] = s;
        payload[i] = p;
    }

    private static boolean before(double t1, long s1, double t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public double minTime() {
        return time[0];
    }

    /** Sequence number of the earliest event; only valid when not empty. */
    long minSeq() {
        return seq[0];
    }

    @Override
    public void pop() {
        if (size == 0) {
            throw new IllegalStateException("pop from an empty event queue");
        }
        poppedTime = time[0];
        poppedSeq = seq[0];
        poppedPayload = payload[0];
        int n = --size;
        if (n == 0) {
            return;
        }
        double t = time[n];
        long s = seq[n];
        long p = payload[n];
        int i = 0;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < n && before(time[right], seq[right], time[child], seq[child])) {
                child = right;
            }
            if (!before(time[child], seq[child], t, s)) {
                break;
            }
            time[i] = time[child];
            seq[i] = seq[child];
            payload[i] = payload[child];
            i = child;
        }
        time[i] = t;
        seq[i] = s;
        payload[i] = p;
    }

    @Override
    public double poppedTime() {
        return poppedTime;
    }

    @Override
    public long poppedPayload() {
        return poppedPayload;
    }

    @Override
    public long poppedSeq() {
        return poppedSeq;
    }

    @Override
    public void clear() {
        size = 0;
        nextSeq = 0;
    }

    @Override
    public String name() {
        return "heap";
    }
}
