package io.myelin.kernels;

import io.myelin.core.InvalidInputException;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Java arrays that the garbage collector will not move, for Aparapi device buffers.
 *
 * <p>Aparapi ties each device buffer to the address of its Java array: when a collection moves the array, the next
 * launch releases the device buffer and creates a new one from the Java array's contents. With explicit buffer
 * management the Java copy is stale, so the device state would silently revert (observed on PoCL: wrong spike
 * counts after a few seconds of simulation, and a crash when a read-back hit a moved array). G1, the default
 * collector, never moves humongous objects (those of at least half a heap region), so every device array is
 * allocated at least that large. That costs up to half a region per array (1 MiB with a 4 GiB heap) on the host and
 * on the device.
 *
 * <p>Public for the other kernel packages of this module ({@code io.myelin.kernels.quant}); not an API for users.
 */
public final class PinnedArrays {
    private static final long MIN_BYTES = minBytes();

    private PinnedArrays() {
    }

    private static long minBytes() {
        boolean g1 = false;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            g1 |= gc.getName().startsWith("G1 ");
        }
        if (!g1) {
            return -1;
        }
        long region = 1 << 20;
        try {
            var hs = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            region = Long.parseLong(hs.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException | LinkageError e) {
            region = 32L << 20; // the largest G1 region: safe whatever the real size
        }
        return region / 2 + 64;
    }

    /** Fails unless this JVM runs G1 (the default collector), the only one under which the arrays stay put. */
    public static void requireG1() {
        if (MIN_BYTES < 0) {
            throw new InvalidInputException("the OpenCL backend needs the G1 garbage collector (the JVM default; remove "
                    + "-XX:+UseSerialGC/-XX:+UseParallelGC/-XX:+UseZGC): other collectors move the Java arrays Aparapi's "
                    + "device buffers are tied to, and device state would be lost");
        }
    }

    private static int length(long elements, int elementBytes) {
        long min = (MIN_BYTES + elementBytes - 1) / elementBytes;
        long n = Math.max(Math.max(1, elements), min);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("device array of " + elements + " elements is too large");
        }
        return (int) n;
    }

    /** An int array of at least {@code n} elements (more when pinning needs it) that G1 will not move. */
    public static int[] ints(long n) {
        return new int[length(n, 4)];
    }

    static float[] floats(long n) {
        return new float[length(n, 4)];
    }

    static long[] longs(long n) {
        return new long[length(n, 8)];
    }

    static int[] copy(int[] a) {
        int[] c = ints(a.length);
        System.arraycopy(a, 0, c, 0, a.length);
        return c;
    }

    static float[] copy(float[] a) {
        float[] c = floats(a.length);
        System.arraycopy(a, 0, c, 0, a.length);
        return c;
    }
}
