package io.myelin.core.engine.event;

import java.util.Arrays;

/**
 * A calendar (bucket) queue: time is cut into buckets of fixed width, a ring of {@code 2^k} buckets covers the
 * near future, and anything beyond the ring's horizon waits in an overflow heap. Pushing into a future bucket is an
 * O(1) append; when the queue reaches a bucket it sorts it once (stable by time, so equal times keep their push
 * order) and then pops sequentially. Events pushed into the bucket being drained (or, after a peek moved ahead,
 * into an earlier one) go to a small side heap merged on pop.
 *
 * <p>Works best when the bucket width is about the typical spacing of events and the ring spans the longest
 * synaptic delay: then almost every push is an append and every pop a sequential read. The order of events is
 * exactly that of {@link BinaryHeapEventQueue}: (time, then sequence number).
 */
public final class CalendarEventQueue implements EventQueue {
    private final double width;
    private final int mask;
    private final double[][] bTime;
    private final long[][] bSeq;
    private final long[][] bPayload;
    private final int[] bCount;
    private int ringCount;

    // The bucket being drained, sorted.
    private double[] curTime = new double[64];
    private long[] curSeq = new long[64];
    private long[] curPayload = new long[64];
    private int curPos, curLen;
    private int[] order = new int[64], scratch = new int[64];

    private final BinaryHeapEventQueue side = new BinaryHeapEventQueue(64);
    private final BinaryHeapEventQueue overflow = new BinaryHeapEventQueue(64);
    private long cur = -1;
    private long nextSeq;
    private double poppedTime;
    private long poppedPayload, poppedSeq;

    /**
     * @param bucketWidth width of one bucket, in the queue's time unit (&gt; 0)
     * @param horizon     time span the ring should cover (e.g. the longest delay); the bucket count is the next
     *                    power of two of {@code horizon / bucketWidth + 2}, at most 2^20
     */
    public CalendarEventQueue(double bucketWidth, double horizon) {
        if (!(bucketWidth > 0) || Double.isInfinite(bucketWidth)) {
            throw new IllegalArgumentException("bucket width must be finite and > 0, got " + bucketWidth);
        }
        this.width = bucketWidth;
        double wanted = Math.min(1 << 20, Math.max(2, Math.ceil(Math.max(0, horizon) / bucketWidth) + 2));
        int n = Integer.highestOneBit((int) wanted);
        if (n < wanted) {
            n <<= 1;
        }
        mask = n - 1;
        bTime = new double[n][];
        bSeq = new long[n][];
        bPayload = new long[n][];
        bCount = new int[n];
    }

    /** Number of buckets in the ring. */
    public int buckets() {
        return mask + 1;
    }

    private long bucketOf(double t) {
        return (long) Math.floor(t / width);
    }

    @Override
    public long push(double t, long p) {
        long s = nextSeq++;
        long idx = bucketOf(t);
        if (idx <= cur) {
            side.insert(t, s, p);
        } else if (idx <= cur + mask) {
            int b = (int) (idx & mask);
            int c = bCount[b];
            if (bTime[b] == null) {
                bTime[b] = new double[16];
                bSeq[b] = new long[16];
                bPayload[b] = new long[16];
            } else if (c == bTime[b].length) {
                bTime[b] = Arrays.copyOf(bTime[b], 2 * c);
                bSeq[b] = Arrays.copyOf(bSeq[b], 2 * c);
                bPayload[b] = Arrays.copyOf(bPayload[b], 2 * c);
            }
            bTime[b][c] = t;
            bSeq[b][c] = s;
            bPayload[b][c] = p;
            bCount[b] = c + 1;
            ringCount++;
        } else {
            overflow.insert(t, s, p);
        }
        return s;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public int size() {
        return ringCount + (curLen - curPos) + side.size() + overflow.size();
    }

    @Override
    public double minTime() {
        ensureCurrent();
        if (curPos < curLen && (side.isEmpty() || before(curTime[curPos], curSeq[curPos], side.minTime(), side.minSeq()))) {
            return curTime[curPos];
        }
        return side.minTime();
    }

    @Override
    public void pop() {
        ensureCurrent();
        if (curPos < curLen && (side.isEmpty() || before(curTime[curPos], curSeq[curPos], side.minTime(), side.minSeq()))) {
            poppedTime = curTime[curPos];
            poppedSeq = curSeq[curPos];
            poppedPayload = curPayload[curPos];
            curPos++;
        } else {
            side.pop();
            poppedTime = side.poppedTime();
            poppedSeq = side.poppedSeq();
            poppedPayload = side.poppedPayload();
        }
    }

    private static boolean before(double t1, long s1, double t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    /** Moves to the next non-empty bucket when the current one is drained. */
    private void ensureCurrent() {
        if (curPos < curLen || !side.isEmpty()) {
            return;
        }
        if (ringCount == 0 && overflow.isEmpty()) {
            throw new IllegalStateException("the event queue is empty");
        }
        long next = Long.MAX_VALUE;
        if (ringCount > 0) {
            for (long j = cur + 1; ; j++) {
                if (bCount[(int) (j & mask)] > 0) {
                    next = j;
                    break;
                }
            }
        }
        if (!overflow.isEmpty()) {
            next = Math.min(next, bucketOf(overflow.minTime()));
        }
        cur = next;
        curPos = 0;
        curLen = 0;
        int b = (int) (cur & mask);
        int c = bCount[b];
        if (c > 0) {
            load(b, c);
        }
        while (!overflow.isEmpty() && bucketOf(overflow.minTime()) == cur) {
            overflow.pop();
            side.insert(overflow.poppedTime(), overflow.poppedSeq(), overflow.poppedPayload());
        }
    }

    /** Copies bucket b into the drain arrays sorted by time; a stable sort keeps equal times in sequence order. */
    private void load(int b, int c) {
        if (curTime.length < c) {
            int cap = Math.max(c, curTime.length * 2);
            curTime = new double[cap];
            curSeq = new long[cap];
            curPayload = new long[cap];
            order = new int[cap];
            scratch = new int[cap];
        }
        double[] t = bTime[b];
        for (int k = 0; k < c; k++) {
            order[k] = k;
        }
        StableIndexSort.sort(t, order, 0, c, scratch);
        long[] s = bSeq[b], p = bPayload[b];
        for (int k = 0; k < c; k++) {
            int from = order[k];
            curTime[k] = t[from];
            curSeq[k] = s[from];
            curPayload[k] = p[from];
        }
        curLen = c;
        bCount[b] = 0;
        ringCount -= c;
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
        Arrays.fill(bCount, 0);
        ringCount = 0;
        curPos = curLen = 0;
        side.clear();
        overflow.clear();
        cur = -1;
        nextSeq = 0;
    }

    @Override
    public String name() {
        return "calendar";
    }
}
