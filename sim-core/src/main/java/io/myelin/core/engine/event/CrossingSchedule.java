package io.myelin.core.engine.event;

import java.util.Arrays;

/**
 * The next threshold-crossing time of every neuron, at most one per neuron, in an indexed binary min-heap keyed by
 * (time, neuron). Rescheduling a neuron moves its entry in place (O(log n)) instead of leaving a stale event behind,
 * so a neuron whose crossing is revised by every input (a suprathreshold bias) costs no extra queue traffic.
 */
public final class CrossingSchedule {
    private final double[] time;   // per neuron; +infinity when none
    private final int[] heap;      // neurons, heap-ordered
    private final int[] position;  // neuron -> index in heap, -1 when absent
    private int size;

    public CrossingSchedule(int neurons) {
        time = new double[neurons];
        heap = new int[neurons];
        position = new int[neurons];
        clear();
    }

    public void clear() {
        Arrays.fill(time, Double.POSITIVE_INFINITY);
        Arrays.fill(position, -1);
        size = 0;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** Earliest crossing time; only valid when not empty. */
    public double minTime() {
        return time[heap[0]];
    }

    /** Neuron of the earliest crossing; only valid when not empty. */
    public int minNeuron() {
        return heap[0];
    }

    /** Scheduled crossing of {@code neuron}, +infinity if none. */
    public double timeOf(int neuron) {
        return time[neuron];
    }

    /** Schedules (or moves) the crossing of {@code neuron} to {@code t}; +infinity removes it. */
    public void set(int neuron, double t) {
        int at = position[neuron];
        if (t == Double.POSITIVE_INFINITY) {
            if (at >= 0) {
                removeAt(at);
            }
            time[neuron] = t;
            return;
        }
        time[neuron] = t;
        if (at < 0) {
            at = size++;
            heap[at] = neuron;
            position[neuron] = at;
            siftUp(at);
        } else {
            siftUp(at);
            siftDown(position[neuron]);
        }
    }

    /** Removes and returns the neuron with the earliest crossing. */
    public int popMin() {
        int n = heap[0];
        removeAt(0);
        time[n] = Double.POSITIVE_INFINITY;
        return n;
    }

    private void removeAt(int at) {
        int n = heap[at];
        position[n] = -1;
        int last = heap[--size];
        if (at < size) {
            heap[at] = last;
            position[last] = at;
            siftDown(at);
            siftUp(position[last]);
        }
    }

    private void siftUp(int at) {
        int n = heap[at];
        double t = time[n];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            int p = heap[parent];
            if (!(t < time[p] || (t == time[p] && n < p))) {
                break;
            }
            heap[at] = p;
            position[p] = at;
            at = parent;
        }
        heap[at] = n;
        position[n] = at;
    }

    private void siftDown(int at) {
        int n = heap[at];
        double t = time[n];
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            int c = heap[child];
            int right = child + 1;
            if (right < size) {
                int r = heap[right];
                if (time[r] < time[c] || (time[r] == time[c] && r < c)) {
                    child = right;
                    c = r;
                }
            }
            if (!(time[c] < t || (time[c] == t && c < n))) {
                break;
            }
            heap[at] = c;
            position[c] = at;
            at = child;
        }
        heap[at] = n;
        position[n] = at;
    }
}
