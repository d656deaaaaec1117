package io.myelin.core.engine;

import java.util.Arrays;

/** A growable list of primitive ints for per-step spike lists (no boxing on the hot path). */
public final class IntList {
    private int[] data;
    private int size;

    public IntList(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    public void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = v;
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int get(int i) {
        return data[i];
    }

    /** The backing array; valid entries are {@code 0..size()-1}. */
    public int[] array() {
        return data;
    }

    public int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
