package io.myelin.models.module;

import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Non-trained state a module keeps in its checkpoints and model files: BatchNorm running statistics, fixed delay
 * positions, a delay kernel's width. {@code restore} copies a stored tensor back (null: recorded for readers of the
 * file only, never read back).
 */
public final class Buffer {
    private final String name;
    private final int length;
    private final Supplier<float[]> read;
    private final Consumer<float[]> restore;

    private Buffer(String name, int length, Supplier<float[]> read, Consumer<float[]> restore) {
        this.name = name;
        this.length = length;
        this.read = read;
        this.restore = restore;
    }

    /** An array held by the module: stored as it is, restored by copying into it. */
    public static Buffer of(String name, float[] values) {
        return new Buffer(name, values.length, () -> values,
                v -> System.arraycopy(v, 0, values, 0, values.length));
    }

    /** A double carried bit for bit in two floats' bit patterns (high word first). */
    public static Buffer ofDouble(String name, DoubleSupplier get, DoubleConsumer set) {
        return new Buffer(name, 2, () -> doubleBits(get.getAsDouble()), v -> set.accept(fromDoubleBits(v)));
    }

    /** A value written for readers of the file (rounded, say) that the module never reads back. */
    public static Buffer recorded(String name, int length, Supplier<float[]> read) {
        return new Buffer(name, length, read, null);
    }

    public String name() {
        return name;
    }

    public int length() {
        return length;
    }

    /** The values to store (the live array, or a fresh encoding). */
    public float[] read() {
        return read.get();
    }

    public boolean restorable() {
        return restore != null;
    }

    public void restore(float[] values) {
        restore.accept(values);
    }

    static float[] doubleBits(double v) {
        long b = Double.doubleToRawLongBits(v);
        return new float[]{Float.intBitsToFloat((int) (b >>> 32)), Float.intBitsToFloat((int) b)};
    }

    static double fromDoubleBits(float[] f) {
        long hi = Float.floatToRawIntBits(f[0]) & 0xffffffffL, lo = Float.floatToRawIntBits(f[1]) & 0xffffffffL;
        return Double.longBitsToDouble((hi << 32) | lo);
    }
}
