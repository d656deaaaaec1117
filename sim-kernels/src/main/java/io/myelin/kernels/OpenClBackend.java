package io.myelin.kernels;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import io.myelin.core.backend.Backend;
import io.myelin.core.engine.CompiledNetwork;

import java.util.Arrays;

/**
 * The clock-driven engine on an OpenCL device (a GPU, or a CPU through e.g. PoCL) via Aparapi.
 *
 * <p>All network state (membranes, currents, refractory counters, the fixed-point delay ring buffer, spike counts)
 * lives on the device from {@link #load} on. A step is two launches of {@link NetworkKernel}: the membrane update
 * (which appends spiking neurons to a device spike list through an atomic counter) and, when anything spiked, the
 * propagation (one work-item per spike and lane, scattering the spike's CSR row with integer {@code atomic_add}).
 * Per step the host reads back 8 bytes (the spike count, needed to size the propagation launch) and uploads this
 * step's source spikes; spike lists are read back only when {@link #copySpikes} is called (a spike listener exists),
 * membrane state only for the neurons {@link #readState} asks for, spike counts only in
 * {@link #spikeCountsPerIndex}.
 *
 * <p>Results are bit-identical to {@link io.myelin.core.backend.JavaBackend}: integer ring-buffer sums do not depend
 * on the order of the atomic adds, and the kernel's float arithmetic is Java's (see {@link NetworkKernel}).
 * The device's spike list is in arrival order; {@link #copySpikes} sorts it to the engine's ascending order.
 */
public final class OpenClBackend implements Backend {
    private final OpenCLDevice device;
    private final String deviceName;
    private final NetworkKernel kernel;
    private final int groupSize;

    private CompiledNetwork net;
    private Range updateRange;
    private int neuronSpikes, sourceCount;
    private boolean spikesFetched;
    private int[] hostSpikes = new int[64];
    private long[] sourceSpikeCounts;
    private int[] lastStateIndex;
    private boolean launched;

    /** A backend on {@code device}, its kernels compiled now (a build failure throws {@link KernelBuildException}). */
    public OpenClBackend(OpenCLDevice device) {
        this.device = device;
        this.deviceName = OpenClDevices.describe(device);
        PinnedArrays.requireG1();
        this.kernel = new NetworkKernel();
        kernel.setExplicit(true);
        KernelBuild.compile(kernel, device);
        int max;
        try {
            max = kernel.getKernelMaxWorkGroupSize(device);
        } catch (Exception e) {
            max = 64;
        }
        this.groupSize = Math.max(1, Math.min(device.getType() == Device.TYPE.GPU ? 256 : 64, max));
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String device() {
        return "OpenCL " + deviceName;
    }

    @Override
    public void load(CompiledNetwork network) {
        this.net = network;
        int n = network.neuronCount;
        NetworkKernel k = kernel;
        k.n = n;
        k.slots = network.ringSlots();
        k.slotSize = 2 * n;
        k.inv = network.scale.inverse();
        k.one = 1f;
        long ringSize = (long) network.ringSlots() * 2 * n;
        if (ringSize > Integer.MAX_VALUE - 8) {
            // Same limit and message as the Java backend's ring buffer.
            new io.myelin.core.engine.DelayRingBuffer(network.ringSlots(), n);
        }
        // Arrays the kernels change are pinned (see PinnedArrays). The others may move: their Java copy is always
        // current (constants; or written by the host before, or read back right after, the launch that uses them),
        // so a buffer Aparapi re-creates from the moved array holds the right contents.
        k.ring = PinnedArrays.ints(ringSize);
        k.v = PinnedArrays.floats(n);
        k.iExc = PinnedArrays.floats(n);
        k.iInh = PinnedArrays.floats(n);
        k.refractory = PinnedArrays.ints(n);
        k.spikeCounts = PinnedArrays.longs(n);
        k.biasDrive = new float[Math.max(1, n)];
        k.population = new int[Math.max(1, n)];
        for (int i = 0; i < n; i++) {
            int p = network.neuronPopulation[i];
            k.population[i] = p;
            // The same float expression as the Java backend's precomputed drive.
            k.biasDrive[i] = network.pKind[p] == CompiledNetwork.KIND_LIF
                    ? network.bias[i] * network.pBiasToV[p] : network.bias[i];
        }
        k.pKind = nonEmpty(network.pKind);
        k.pDeltaMask = nonEmpty(network.pDeltaMask);
        k.pRefractorySteps = nonEmpty(network.pRefractorySteps);
        k.pVRest = nonEmpty(network.pVRest);
        k.pVDecay = nonEmpty(network.pVDecay);
        k.pExcToV = nonEmpty(network.pExcToV);
        k.pInhToV = nonEmpty(network.pInhToV);
        k.pExcDecay = nonEmpty(network.pExcDecay);
        k.pInhDecay = nonEmpty(network.pInhDecay);
        k.pVReset = nonEmpty(network.pVReset);
        k.pVThreshold = nonEmpty(network.pVThreshold);
        k.pTauSteps = nonEmpty(network.pTauSteps);
        int synapses = network.synapseCount();
        k.rowStart = network.rowStart;
        k.inputIndex = new int[Math.max(1, synapses)];
        for (int s = 0; s < synapses; s++) {
            k.inputIndex[s] = network.receptor[s] * n + network.target[s];
        }
        k.delay = nonEmpty(network.delaySteps);
        k.weight = nonEmpty(network.weightFixed);
        k.spikeList = PinnedArrays.ints(n);
        k.counter = new int[2];
        k.sourceSpikes = new int[64];
        k.spikeOut = new int[64];
        k.stateIndex = new int[1];
        k.stateOut = new float[3];
        // Lanes per spike: a GPU wants neighbouring work-items on neighbouring synapses (coalesced); a CPU device
        // wants one work-item per spike walking its row (no idle lanes, cache-friendly).
        int lanes = 1;
        if (device.getType() == Device.TYPE.GPU && n > 0) {
            double meanFanOut = synapses / (double) Math.max(1, network.totalCount);
            while (lanes < 32 && lanes < meanFanOut) {
                lanes *= 2;
            }
        }
        k.lanes = lanes;
        updateRange = range(Math.max(1, n));
        sourceSpikeCounts = new long[network.totalCount - n];
        lastStateIndex = null;
        k.put(k.pKind).put(k.pDeltaMask).put(k.pRefractorySteps).put(k.pVRest).put(k.pVDecay).put(k.pExcToV)
                .put(k.pInhToV).put(k.pExcDecay).put(k.pInhDecay).put(k.pVReset).put(k.pVThreshold).put(k.pTauSteps)
                .put(k.rowStart).put(k.inputIndex).put(k.delay).put(k.weight).put(k.biasDrive).put(k.population)
                .put(k.spikeList).put(k.sourceSpikes).put(k.spikeOut).put(k.stateIndex).put(k.stateOut);
        reset();
    }

    private static int[] nonEmpty(int[] a) {
        return a.length == 0 ? new int[1] : a.clone();
    }

    private static float[] nonEmpty(float[] a) {
        return a.length == 0 ? new float[1] : a.clone();
    }

    /** A launch of at least {@code items} work-items, rounded up to whole work-groups (kernels ignore the excess). */
    private Range range(int items) {
        long global = ((long) items + groupSize - 1) / groupSize * groupSize;
        if (global > Integer.MAX_VALUE) {
            throw new IllegalStateException("launch of " + items + " work-items is too large for one OpenCL range");
        }
        return Range.create(device, (int) global, groupSize);
    }

    @Override
    public void reset() {
        NetworkKernel k = kernel;
        System.arraycopy(net.initialV, 0, k.v, 0, net.neuronCount);
        Arrays.fill(k.iExc, 0f);
        Arrays.fill(k.iInh, 0f);
        Arrays.fill(k.refractory, 0);
        Arrays.fill(k.spikeCounts, 0);
        Arrays.fill(k.ring, 0);
        k.counter[0] = 0;
        k.counter[1] = 0;
        k.put(k.v).put(k.iExc).put(k.iInh).put(k.refractory).put(k.spikeCounts).put(k.ring).put(k.counter);
        Arrays.fill(sourceSpikeCounts, 0);
        neuronSpikes = 0;
        sourceCount = 0;
        spikesFetched = true;
    }

    @Override
    public int deliverAndUpdate(long step) {
        NetworkKernel k = kernel;
        k.phase = NetworkKernel.UPDATE;
        k.base = (int) (step % k.slots) * k.slotSize;
        k.parity = (int) (step & 1);
        execute(updateRange);
        k.get(k.counter);
        neuronSpikes = k.counter[k.parity];
        sourceCount = 0;
        spikesFetched = false;
        return neuronSpikes;
    }

    @Override
    public void propagate(long step, int[] sources, int count) {
        NetworkKernel k = kernel;
        if (count > 0) {
            if (k.sourceSpikes.length < count) {
                k.sourceSpikes = new int[Math.max(count, k.sourceSpikes.length * 2)];
            }
            System.arraycopy(sources, 0, k.sourceSpikes, 0, count);
            k.put(k.sourceSpikes);
            int offset = net.neuronCount;
            for (int j = 0; j < count; j++) {
                sourceSpikeCounts[sources[j] - offset]++;
            }
        }
        sourceCount = count;
        int total = neuronSpikes + count;
        if (total == 0 || net.synapseCount() == 0) {
            return;
        }
        k.phase = NetworkKernel.PROPAGATE;
        k.currentSlot = (int) (step % k.slots);
        k.neuronSpikes = neuronSpikes;
        k.totalSpikes = total;
        execute(range((int) Math.min(Integer.MAX_VALUE, (long) total * k.lanes)));
    }

    private void execute(Range r) {
        launched = true;
        kernel.execute(r);
        if (!kernel.isRunningCL()) {
            throw new IllegalStateException("OpenCL execution failed on " + deviceName
                    + " and Aparapi fell back to Java; device state is lost");
        }
    }

    @Override
    public int spikeCount() {
        return neuronSpikes + sourceCount;
    }

    @Override
    public void copySpikes(int[] dst) {
        fetchSpikes();
        System.arraycopy(hostSpikes, 0, dst, 0, neuronSpikes);
        System.arraycopy(kernel.sourceSpikes, 0, dst, neuronSpikes, sourceCount);
    }

    /** Reads this step's neuron spikes into {@code hostSpikes}, ascending. */
    private void fetchSpikes() {
        if (spikesFetched) {
            return;
        }
        NetworkKernel k = kernel;
        if (hostSpikes.length < neuronSpikes) {
            hostSpikes = new int[Math.max(neuronSpikes, hostSpikes.length * 2)];
        }
        if (neuronSpikes > 0) {
            // Gathered into a small buffer first: the device spike list is pinned, hence large (see PinnedArrays).
            if (k.spikeOut.length < neuronSpikes) {
                k.spikeOut = new int[Integer.highestOneBit(neuronSpikes - 1) << 1];
                k.put(k.spikeOut);
            }
            k.phase = NetworkKernel.GATHER_SPIKES;
            k.gatherCount = neuronSpikes;
            execute(range(neuronSpikes));
            k.get(k.spikeOut);
            System.arraycopy(k.spikeOut, 0, hostSpikes, 0, neuronSpikes);
            Arrays.sort(hostSpikes, 0, neuronSpikes);
        }
        spikesFetched = true;
    }

    @Override
    public long[] spikeCountsPerIndex() {
        NetworkKernel k = kernel;
        int n = net.neuronCount;
        long[] counts = new long[net.totalCount];
        if (n > 0) {
            k.get(k.spikeCounts);
            System.arraycopy(k.spikeCounts, 0, counts, 0, n);
        }
        System.arraycopy(sourceSpikeCounts, 0, counts, n, sourceSpikeCounts.length);
        return counts;
    }

    @Override
    public void readState(int[] neurons, float[] vOut, float[] iExcOut, float[] iInhOut) {
        int m = neurons.length;
        if (m == 0) {
            return;
        }
        NetworkKernel k = kernel;
        if (lastStateIndex == null || !Arrays.equals(lastStateIndex, neurons)) {
            for (int j : neurons) {
                if (j < 0 || j >= net.neuronCount) {
                    throw new IndexOutOfBoundsException("neuron " + j + " of " + net.neuronCount);
                }
            }
            if (k.stateIndex.length < m) {
                k.stateIndex = new int[m];
                k.stateOut = new float[3 * m];
                k.put(k.stateOut);
            }
            System.arraycopy(neurons, 0, k.stateIndex, 0, m);
            k.put(k.stateIndex);
            lastStateIndex = neurons.clone();
        }
        k.phase = NetworkKernel.GATHER_STATE;
        k.gatherCount = m;
        execute(range(m));
        k.get(k.stateOut);
        for (int j = 0; j < m; j++) {
            if (vOut != null) {
                vOut[j] = k.stateOut[j];
            }
            if (iExcOut != null) {
                iExcOut[j] = k.stateOut[m + j];
            }
            if (iInhOut != null) {
                iInhOut[j] = k.stateOut[2 * m + j];
            }
        }
    }

    @Override
    public void close() {
        if (!launched) {
            // Aparapi 3.0.2 crashes (SIGSEGV in JNIContext::dispose) disposing a compiled kernel that never ran: run
            // an empty gather first.
            kernel.phase = NetworkKernel.GATHER_STATE;
            kernel.gatherCount = 0;
            execute(range(1));
        }
        kernel.dispose();
    }
}
