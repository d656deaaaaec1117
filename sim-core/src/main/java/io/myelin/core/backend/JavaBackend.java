package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.engine.DelayRingBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The reference backend: plain Java loops over the flat arrays of a {@link CompiledNetwork}.
 *
 * <p>Per step and neuron, for the continuous LIF ({@code KIND_LIF}), with {@code inE, inI} the fixed-point input of
 * the ring-buffer slot converted to float ({@code sum * 2^-bits}):
 * <pre>
 *   I_exc = I_exc + inE,  I_inh = I_inh + inI          (exponential synapses; a delta synapse's input is a jump)
 *   V = V_rest + (V - V_rest)·vDecay + I_exc·excToV + I_inh·inhToV + bias·biasToV + (inE_delta + inI_delta)
 *   I_exc = I_exc·excDecay,  I_inh = I_inh·inhDecay
 *   refractory: V = V_reset (held) and count down;  else if V &ge; V_th: spike, V = V_reset, refractory = steps
 * </pre>
 * and for the discrete-time LIF: {@code V = V - V/τ + (inE + inI + bias)}, spike if {@code V >= V_th}, then
 * {@code V = V_reset}. Float operations are evaluated exactly in this order and grouping (left to right, no fused
 * multiply-add; {@code bias·biasToV} is precomputed per neuron): device backends do the same to stay bit-identical.
 * A current receives {@code + inE} only in steps where input arrived (it makes no difference to any value but the
 * sign of a zero current).
 *
 * <p>Work per step is neurons + synaptic events: the scatter remembers which ring entries it made non-zero, so
 * delivery visits only those instead of the whole slot. With several threads, neurons are updated in contiguous
 * ranges and spikes are scattered with atomic integer adds; integer addition is associative, so every thread count
 * gives bit-identical results.
 */
public final class JavaBackend implements Backend {
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    /** Below this many neurons per thread a parallel phase costs more than it saves. */
    private static final int MIN_NEURONS_PER_TASK = 4096;

    private final int threads;
    private ExecutorService pool;

    private CompiledNetwork net;
    private DelayRingBuffer ring;
    private int[] ringData;
    private int slots, slotSize;
    private int[] inputIndex;        // receptor * N + target, per synapse
    private boolean[] toCurrent;     // per input index: true = into a synaptic current, false = a jump / discrete input
    private float[] v, iExc, iInh;
    private float[] biasDrive;       // LIF: bias * (1 - e^(-dt/tau_m)); discrete: bias
    private float[] pending;         // [2N] input of this step that is not a synaptic current
    private int[] pendingList;
    private int pendingCount;
    private int[] refractory;
    private long[] spikeCounts;
    private int[] spikes;
    private int spikeCount, neuronSpikeCount;
    // Ring entries made non-zero since their slot was last delivered, per scatter writer and slot.
    private int[][][] touched;
    private int[][] touchedCount;
    // Per update task: its neuron range, its spikes, and its currently refractory neurons (a small fraction of all).
    private int[] rangeStart;
    private int[][] rangeSpikes;
    private int[] rangeSpikeCount;
    private int[][] refractoryList;
    private int[] refractoryListSize;

    public JavaBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        this.threads = threads;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String device() {
        return "Java " + Runtime.version().feature() + " on CPU, " + threads + (threads == 1 ? " thread" : " threads");
    }

    @Override
    public void load(CompiledNetwork network) {
        this.net = network;
        int n = network.neuronCount;
        ring = new DelayRingBuffer(network.ringSlots(), n);
        ringData = ring.data();
        slots = ring.slots();
        slotSize = 2 * n;
        inputIndex = new int[network.synapseCount()];
        for (int s = 0; s < inputIndex.length; s++) {
            inputIndex[s] = network.receptor[s] * n + network.target[s];
        }
        toCurrent = new boolean[2 * n];
        biasDrive = new float[n];
        for (int i = 0; i < n; i++) {
            int p = network.neuronPopulation[i];
            boolean lif = network.pKind[p] == CompiledNetwork.KIND_LIF;
            toCurrent[i] = lif && (network.pDeltaMask[p] & 1) == 0;
            toCurrent[n + i] = lif && (network.pDeltaMask[p] & 2) == 0;
            biasDrive[i] = lif ? network.bias[i] * network.pBiasToV[p] : network.bias[i];
        }
        v = new float[n];
        iExc = new float[n];
        iInh = new float[n];
        pending = new float[2 * n];
        pendingList = new int[64];
        refractory = new int[n];
        spikeCounts = new long[network.totalCount];
        spikes = new int[Math.max(16, n)];
        int writers = threads;
        touched = new int[writers][slots][64];
        touchedCount = new int[writers][slots];
        int tasks = Math.max(1, Math.min(threads, n / MIN_NEURONS_PER_TASK));
        rangeStart = new int[tasks + 1];
        for (int t = 0; t <= tasks; t++) {
            rangeStart[t] = (int) ((long) n * t / tasks);
        }
        rangeSpikes = new int[tasks][];
        rangeSpikeCount = new int[tasks];
        refractoryList = new int[tasks][];
        refractoryListSize = new int[tasks];
        for (int t = 0; t < tasks; t++) {
            rangeSpikes[t] = new int[rangeStart[t + 1] - rangeStart[t]];
            refractoryList[t] = new int[rangeStart[t + 1] - rangeStart[t]];
        }
        if (threads > 1 && pool == null) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread th = new Thread(r, "myelin-java-backend");
                th.setDaemon(true);
                return th;
            });
        }
        reset();
    }

    @Override
    public void reset() {
        System.arraycopy(net.initialV, 0, v, 0, v.length);
        Arrays.fill(iExc, 0f);
        Arrays.fill(iInh, 0f);
        Arrays.fill(pending, 0f);
        pendingCount = 0;
        Arrays.fill(refractory, 0);
        Arrays.fill(refractoryListSize, 0);
        Arrays.fill(spikeCounts, 0);
        for (int[] c : touchedCount) {
            Arrays.fill(c, 0);
        }
        ring.clear();
        spikeCount = 0;
        neuronSpikeCount = 0;
    }

    @Override
    public int deliverAndUpdate(long step) {
        deliver(step);
        int tasks = rangeStart.length - 1;
        if (tasks == 1 || pool == null) {
            for (int t = 0; t < tasks; t++) {
                rangeSpikeCount[t] = updateRange(t, rangeStart[t], rangeStart[t + 1], rangeSpikes[t]);
            }
        } else {
            List<Callable<Void>> jobs = new ArrayList<>(tasks);
            for (int t = 0; t < tasks; t++) {
                final int task = t;
                jobs.add(() -> {
                    rangeSpikeCount[task] = updateRange(task, rangeStart[task], rangeStart[task + 1], rangeSpikes[task]);
                    return null;
                });
            }
            runAll(jobs);
        }
        for (int k = 0; k < pendingCount; k++) {
            pending[pendingList[k]] = 0f;
        }
        pendingCount = 0;
        int count = 0;
        for (int t = 0; t < tasks; t++) {
            System.arraycopy(rangeSpikes[t], 0, spikes, count, rangeSpikeCount[t]);
            count += rangeSpikeCount[t];
        }
        neuronSpikeCount = count;
        spikeCount = count;
        return count;
    }

    /** Moves the input due at {@code step} out of the ring: into synaptic currents, or into {@code pending}. */
    private void deliver(long step) {
        int slot = (int) (step % slots);
        int base = slot * slotSize;
        int n = net.neuronCount;
        float inv = net.scale.inverse();
        for (int w = 0; w < touched.length; w++) {
            int[] list = touched[w][slot];
            for (int k = 0, size = touchedCount[w][slot]; k < size; k++) {
                int idx = list[k];
                int value = ringData[base + idx];
                if (value == 0) {
                    continue; // listed twice, or the inputs cancelled
                }
                ringData[base + idx] = 0;
                float in = value * inv;
                if (!toCurrent[idx]) {
                    if (pendingCount == pendingList.length) {
                        pendingList = Arrays.copyOf(pendingList, pendingCount * 2);
                    }
                    pending[idx] = in;
                    pendingList[pendingCount++] = idx;
                } else if (idx < n) {
                    iExc[idx] = iExc[idx] + in;
                } else {
                    iInh[idx - n] = iInh[idx - n] + in;
                }
            }
            touchedCount[w][slot] = 0;
        }
    }

    /**
     * Updates neurons [lo, hi) of one task in three phases, each a simple loop the JIT can vectorise or predict:
     * integrate every neuron as if none were refractory; hold the task's refractory neurons at V_reset (where a
     * refractory neuron always is: its reset put it there); detect threshold crossings. The result equals, operation
     * for operation, the one-pass description in the class comment.
     */
    private int updateRange(int task, int lo, int hi, int[] out) {
        int n = net.neuronCount;
        for (CompiledNetwork.PopulationLayout pop : net.populations) {
            int from = Math.max(lo, pop.offset());
            int to = Math.min(hi, pop.offset() + pop.size());
            if (from < to) {
                if (net.pKind[pop.index()] == CompiledNetwork.KIND_LIF) {
                    integrateLif(pop.index(), from, to, n);
                } else {
                    integrateDiscrete(pop.index(), from, to, n);
                }
            }
        }
        holdRefractory(task);
        int count = 0;
        for (CompiledNetwork.PopulationLayout pop : net.populations) {
            int from = Math.max(lo, pop.offset());
            int to = Math.min(hi, pop.offset() + pop.size());
            if (from < to) {
                count = detectSpikes(task, pop.index(), from, to, out, count);
            }
        }
        return count;
    }

    private void integrateLif(int p, int from, int to, int n) {
        final float[] v = this.v, iExc = this.iExc, iInh = this.iInh, biasDrive = this.biasDrive, pending = this.pending;
        final float vRest = net.pVRest[p], vDecay = net.pVDecay[p], excToV = net.pExcToV[p], inhToV = net.pInhToV[p];
        final float excDecay = net.pExcDecay[p], inhDecay = net.pInhDecay[p];
        // Short loops over few arrays vectorise; one fused loop over all the state does not (measured 1.8x slower).
        if (net.pDeltaMask[p] == 0) {
            for (int i = from; i < to; i++) {
                v[i] = vRest + (v[i] - vRest) * vDecay + iExc[i] * excToV + iInh[i] * inhToV + biasDrive[i];
            }
        } else {
            for (int i = from; i < to; i++) {
                float jump = pending[i] + pending[n + i];
                v[i] = vRest + (v[i] - vRest) * vDecay + iExc[i] * excToV + iInh[i] * inhToV + biasDrive[i] + jump;
            }
        }
        for (int i = from; i < to; i++) {
            iExc[i] = iExc[i] * excDecay;
        }
        for (int i = from; i < to; i++) {
            iInh[i] = iInh[i] * inhDecay;
        }
    }

    private void integrateDiscrete(int p, int from, int to, int n) {
        final float[] v = this.v, biasDrive = this.biasDrive, pending = this.pending;
        final float tau = net.pTauSteps[p];
        for (int i = from; i < to; i++) {
            float x = pending[i] + pending[n + i] + biasDrive[i];
            float vi = v[i];
            v[i] = vi - vi / tau + x;
        }
    }

    /** Holds every refractory neuron of the task at V_reset and counts its refractory period down. */
    private void holdRefractory(int task) {
        int[] list = refractoryList[task];
        int size = refractoryListSize[task];
        int kept = 0;
        for (int k = 0; k < size; k++) {
            int i = list[k];
            v[i] = net.pVReset[net.neuronPopulation[i]];
            int left = refractory[i] - 1;
            refractory[i] = left;
            if (left > 0) {
                list[kept++] = i;
            }
        }
        refractoryListSize[task] = kept;
    }

    private int detectSpikes(int task, int p, int from, int to, int[] out, int count) {
        final float[] v = this.v;
        final float vTh = net.pVThreshold[p], vReset = net.pVReset[p];
        final int refSteps = net.pKind[p] == CompiledNetwork.KIND_LIF ? net.pRefractorySteps[p] : 0;
        for (int i = from; i < to; i++) {
            if (v[i] >= vTh) {
                v[i] = vReset;
                out[count++] = i;
                if (refSteps > 0) {
                    refractory[i] = refSteps;
                    refractoryList[task][refractoryListSize[task]++] = i;
                }
            }
        }
        return count;
    }

    @Override
    public void propagate(long step, int[] sourceSpikes, int sourceCount) {
        int total = neuronSpikeCount + sourceCount;
        if (spikes.length < total) {
            spikes = Arrays.copyOf(spikes, Math.max(total, spikes.length * 2));
        }
        System.arraycopy(sourceSpikes, 0, spikes, neuronSpikeCount, sourceCount);
        spikeCount = total;
        for (int k = 0; k < total; k++) {
            spikeCounts[spikes[k]]++;
        }
        int current = (int) (step % slots);
        if (pool == null || total < 64) {
            scatter(0, 0, total, current);
        } else {
            List<Callable<Void>> jobs = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                final int writer = t;
                final int lo = (int) ((long) total * t / threads), hi = (int) ((long) total * (t + 1) / threads);
                jobs.add(() -> {
                    scatter(writer, lo, hi, current);
                    return null;
                });
            }
            runAll(jobs);
        }
    }

    /** Scatters spikes [lo, hi) of the spike list; writer 0 alone may use plain adds, others must be atomic. */
    private void scatter(int writer, int lo, int hi, int current) {
        final int[] rowStart = net.rowStart, delay = net.delaySteps, w = net.weightFixed, idx = inputIndex;
        final int[] ringData = this.ringData, spikes = this.spikes;
        final boolean atomic = pool != null;
        final int slots = this.slots, slotSize = this.slotSize;
        final int[][] lists = touched[writer];
        final int[] counts = touchedCount[writer];
        for (int k = lo; k < hi; k++) {
            int pre = spikes[k];
            for (int s = rowStart[pre], end = rowStart[pre + 1]; s < end; s++) {
                int slot = current + delay[s];
                if (slot >= slots) {
                    slot -= slots;
                }
                int at = slot * slotSize + idx[s];
                int old;
                if (atomic) {
                    old = (int) INTS.getAndAdd(ringData, at, w[s]);
                } else {
                    old = ringData[at];
                    ringData[at] = old + w[s];
                }
                if (old == 0) {
                    int c = counts[slot];
                    if (c == lists[slot].length) {
                        lists[slot] = Arrays.copyOf(lists[slot], c * 2);
                    }
                    lists[slot][c] = idx[s];
                    counts[slot] = c + 1;
                }
            }
        }
    }

    private void runAll(List<Callable<Void>> jobs) {
        try {
            for (Future<Void> f : pool.invokeAll(jobs)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulation interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("backend worker failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public int spikeCount() {
        return spikeCount;
    }

    @Override
    public void copySpikes(int[] dst) {
        System.arraycopy(spikes, 0, dst, 0, spikeCount);
    }

    @Override
    public long[] spikeCountsPerIndex() {
        return spikeCounts.clone();
    }

    @Override
    public void readState(int[] neurons, float[] vOut, float[] iExcOut, float[] iInhOut) {
        for (int k = 0; k < neurons.length; k++) {
            int n = neurons[k];
            if (vOut != null) {
                vOut[k] = v[n];
            }
            if (iExcOut != null) {
                iExcOut[k] = iExc[n];
            }
            if (iInhOut != null) {
                iInhOut[k] = iInh[n];
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
    }
}
