package io.myelin.kernels.quant;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import io.myelin.core.InvalidInputException;
import io.myelin.kernels.KernelBuild;
import io.myelin.kernels.KernelBuildException;
import io.myelin.kernels.OpenClDevices;
import io.myelin.kernels.PinnedArrays;

/**
 * {@link IntegerOps} on an OpenCL device (a GPU, or a CPU through e.g. PoCL) via Aparapi: {@link AccumulateKernel}
 * and {@link AttentionKernel}, compiled once in the constructor and reused by every call. Results are bit-identical
 * to {@link JavaIntegerOps} (integer sums do not depend on their order).
 *
 * <p>Each call copies its inputs into the kernels' arrays, uploads them, launches, and reads the result back (explicit
 * buffer management: nothing else crosses the bus). The kernels' arrays grow to the largest shape seen and are then
 * reused, so a call transfers the arrays' whole length, which can exceed what its own shape needs. Arrays the kernels
 * write are pinned ({@link PinnedArrays}): the attention's {@code M} lives on the device between its two launches,
 * and a read-back must find its array where the device buffer was created.
 *
 * <p>Thread-safe: calls on one instance are serialised (they share the kernels' arrays). {@link #close()} releases
 * the device buffers and kernels.
 */
public final class AparapiIntegerOps implements IntegerOps {
    private final OpenCLDevice device;
    private final String deviceName;
    private final int groupSize;
    private final AccumulateKernel accumulate = new AccumulateKernel();
    private final AttentionKernel attention = new AttentionKernel();
    private boolean accumulateLaunched, attentionLaunched, closed;

    /**
     * Integer ops on {@code device}, their kernels compiled now.
     *
     * @throws KernelBuildException  when the device's OpenCL compiler rejects the kernels (message with build log)
     * @throws InvalidInputException when this JVM does not run the G1 collector (see {@link PinnedArrays})
     */
    public AparapiIntegerOps(OpenCLDevice device) {
        this.device = device;
        this.deviceName = OpenClDevices.describe(device);
        PinnedArrays.requireG1();
        // Pinned from the start: pinnedAtLeast reuses any array that is long enough, so none may begin unpinned.
        accumulate.acc = PinnedArrays.ints(1);
        attention.m = PinnedArrays.ints(1);
        attention.a = PinnedArrays.ints(1);
        accumulate.setExplicit(true);
        attention.setExplicit(true);
        KernelBuild.compile(accumulate, device);
        KernelBuild.compile(attention, device);
        int max = Math.min(maxGroupSize(accumulate), maxGroupSize(attention));
        this.groupSize = Math.max(1, Math.min(device.getType() == Device.TYPE.GPU ? 256 : 64, max));
    }

    /**
     * Integer ops on the device {@code selector} names, chosen as {@code --backend opencl} chooses: null or blank =
     * the first device (a GPU when there is one); "gpu", "cpu", "acc" = the first of that kind; anything else = the
     * first device whose name or vendor contains it (case-insensitive).
     *
     * @throws InvalidInputException when there is no OpenCL device here (with the reason) or none matches (listing
     *                               the devices), or {@link KernelBuildException} when the kernels do not build
     */
    public static AparapiIntegerOps select(String selector) {
        String reason = unavailableReason();
        if (reason != null) {
            throw new InvalidInputException("OpenCL integer ops are not available here: " + reason);
        }
        return new AparapiIntegerOps(OpenClDevices.select(selector));
    }

    /** Why {@link #select} cannot find any OpenCL device here; null when there is one. */
    public static String unavailableReason() {
        return OpenClDevices.unavailableReason();
    }

    private int maxGroupSize(Kernel k) {
        try {
            return k.getKernelMaxWorkGroupSize(device);
        } catch (Exception e) {
            return 64;
        }
    }

    @Override
    public synchronized int[] accumulate(int[] weights, int out, int in, int[] counts, int rows, int levels) {
        IntegerOps.checkAccumulate(weights, out, in, counts, rows, levels);
        requireOpen();
        int items = launchSize("accumulate", (long) rows * out);
        if (items == 0) {
            return new int[0];
        }
        AccumulateKernel k = accumulate;
        k.weightsT = atLeast(k.weightsT, weights.length);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                k.weightsT[i * out + o] = weights[o * in + i];
            }
        }
        k.counts = atLeast(k.counts, counts.length);
        System.arraycopy(counts, 0, k.counts, 0, counts.length);
        k.acc = pinnedAtLeast(k.acc, items);
        k.inputs = in;
        k.outputs = out;
        k.levels = levels;
        k.items = items;
        k.put(k.weightsT).put(k.counts);
        execute(k, items);
        accumulateLaunched = true;
        k.get(k.acc);
        int[] result = new int[items];
        System.arraycopy(k.acc, 0, result, 0, items);
        return result;
    }

    @Override
    public synchronized int[] linearAttention(int[] q, int[] k, int[] v, int tokens, int batch, int channels,
                                              int heads, int[] valid) {
        IntegerOps.checkAttention(q, k, v, tokens, batch, channels, heads, valid);
        requireOpen();
        if (tokens == 0) {
            return new int[0];
        }
        int d = channels / heads;
        int mItems = launchSize("attention", (long) batch * channels * d);
        int aItems = q.length;
        AttentionKernel kn = attention;
        kn.q = copyInto(kn.q, q);
        kn.k = copyInto(kn.k, k);
        kn.v = copyInto(kn.v, v);
        kn.valid = copyInto(kn.valid, valid);
        kn.m = pinnedAtLeast(kn.m, mItems);
        kn.a = pinnedAtLeast(kn.a, aItems);
        kn.batch = batch;
        kn.channels = channels;
        kn.heads = heads;
        kn.d = d;
        kn.put(kn.q).put(kn.k).put(kn.v).put(kn.valid);
        kn.phase = AttentionKernel.KV;
        kn.items = mItems;
        execute(kn, mItems);
        attentionLaunched = true;
        kn.phase = AttentionKernel.QM;
        kn.items = aItems;
        execute(kn, aItems);
        kn.get(kn.a);
        int[] result = new int[aItems];
        System.arraycopy(kn.a, 0, result, 0, aItems);
        return result;
    }

    /** {@code "opencl:"} and the device in words, e.g. {@code "opencl:GPU NVIDIA H100 (NVIDIA Corporation)"}. */
    @Override
    public String name() {
        return "opencl:" + deviceName;
    }

    /** Releases the kernels and their device buffers; later calls throw {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Aparapi 3.0.2 crashes (SIGSEGV in JNIContext::dispose) disposing a compiled kernel that never ran: run an
        // empty launch first.
        if (!accumulateLaunched) {
            accumulate.items = 0;
            execute(accumulate, 1);
        }
        if (!attentionLaunched) {
            attention.items = 0;
            execute(attention, 1);
        }
        accumulate.dispose();
        attention.dispose();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
    }

    /** {@code items} as an int, or a clear error when one launch (and one Java result array) cannot hold it. */
    private static int launchSize(String op, long items) {
        if (items > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(op + ": " + items + " results do not fit in one Java array");
        }
        return (int) items;
    }

    /** Launches at least {@code items} work-items, rounded up to whole work-groups (kernels ignore the excess). */
    private void execute(Kernel kernel, int items) {
        long global = ((long) items + groupSize - 1) / groupSize * groupSize;
        if (global > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("launch of " + items + " work-items is too large for one OpenCL range");
        }
        kernel.execute(Range.create(device, (int) global, groupSize));
        if (!kernel.isRunningCL()) {
            throw new IllegalStateException("OpenCL execution failed on " + deviceName
                    + " and Aparapi fell back to Java");
        }
    }

    /** {@code a} when it holds {@code n} values, else a new array of exactly {@code n} (at least 1: no empty buffers). */
    private static int[] atLeast(int[] a, int n) {
        return a.length >= n ? a : new int[Math.max(1, n)];
    }

    private static int[] pinnedAtLeast(int[] a, int n) {
        return a.length >= n ? a : PinnedArrays.ints(n);
    }

    private static int[] copyInto(int[] dst, int[] src) {
        int[] a = atLeast(dst, src.length);
        System.arraycopy(src, 0, a, 0, src.length);
        return a;
    }
}
