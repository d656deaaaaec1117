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
 * <p>The neuron update is, per step and neuron, for the continuous LIF ({@code KIND_LIF}), with inputs
 * {@code inE, inI} read from the ring buffer:
 * <pre>
 *   I_exc += inE, I_inh += inI                  (exponential synapses; delta synapses add to jump instead)
 *   if refractory: count down, V held
 *   else V = V_rest + (V - V_rest)·e^(-dt/τm) + I_exc·P_e + I_inh·P_i + bias·(1 - e^(-dt/τm)) + jump
 *   I_exc ·= e^(-dt/τe), I_inh ·= e^(-dt/τi)
 *   V &ge; V_th  ⇒  spike, V = V_reset, refractory for round(t_ref/dt) steps
 * </pre>
 * and for the discrete-time LIF: {@code H = V - V/τ + (inE + inI + bias)}, spike if {@code H >= V_th}, then
 * {@code V = V_reset} or {@code H}. Float operations are evaluated exactly in this order (no fused multiply-add):
 * device backends must do the same to stay bit-identical.
 *
 * <p>With several threads, neurons are updated in contiguous ranges and spikes are scattered with atomic integer
 * adds; integer addition is associative, so every thread count gives bit-identical results.
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
    private int[] inputIndex; // receptor * N + target, per synapse
    private float[] v, iExc, iInh;
    private int[] refractory;
    private long[] spikeCounts;
    private int[] spikes;
    private int spikeCount, neuronSpikeCount;
    private int[][] rangeSpikes;
    private int[] rangeSpikeCount;
    private int[] rangeStart;

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
        inputIndex = new int[network.synapseCount()];
        for (int s = 0; s < inputIndex.length; s++) {
            inputIndex[s] = network.receptor[s] * n + network.target[s];
        }
        v = new float[n];
        iExc = new float[n];
        iInh = new float[n];
        refractory = new int[n];
        spikeCounts = new long[network.totalCount];
        spikes = new int[Math.max(16, n)];
        int tasks = Math.max(1, Math.min(threads, n / MIN_NEURONS_PER_TASK));
        rangeStart = new int[tasks + 1];
        for (int t = 0; t <= tasks; t++) {
            rangeStart[t] = (int) ((long) n * t / tasks);
        }
        rangeSpikes = new int[tasks][];
        rangeSpikeCount = new int[tasks];
        for (int t = 0; t < tasks; t++) {
            rangeSpikes[t] = new int[rangeStart[t + 1] - rangeStart[t]];
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
        Arrays.fill(refractory, 0);
        Arrays.fill(spikeCounts, 0);
        ring.clear();
        spikeCount = 0;
        neuronSpikeCount = 0;
    }

    @Override
    public int deliverAndUpdate(long step) {
        int base = ring.slotBase(step);
        int tasks = rangeStart.length - 1;
        if (tasks == 1 || pool == null) {
            for (int t = 0; t < tasks; t++) {
                rangeSpikeCount[t] = updateRange(rangeStart[t], rangeStart[t + 1], base, rangeSpikes[t]);
            }
        } else {
            List<Callable<Void>> jobs = new ArrayList<>(tasks);
            for (int t = 0; t < tasks; t++) {
                final int task = t;
                jobs.add(() -> {
                    rangeSpikeCount[task] = updateRange(rangeStart[task], rangeStart[task + 1], base, rangeSpikes[task]);
                    return null;
                });
            }
            runAll(jobs);
        }
        int count = 0;
        for (int t = 0; t < tasks; t++) {
            System.arraycopy(rangeSpikes[t], 0, spikes, count, rangeSpikeCount[t]);
            count += rangeSpikeCount[t];
        }
        neuronSpikeCount = count;
        spikeCount = count;
        return count;
    }

    /** Updates neurons [lo, hi), population by population so parameters are loop-invariant. */
    private int updateRange(int lo, int hi, int base, int[] out) {
        int count = 0;
        int n = net.neuronCount;
        float inv = net.scale.inverse();
        for (CompiledNetwork.PopulationLayout pop : net.populations) {
            int from = Math.max(lo, pop.offset());
            int to = Math.min(hi, pop.offset() + pop.size());
            if (from >= to) {
                continue;
            }
            int p = pop.index();
            if (net.pKind[p] == CompiledNetwork.KIND_LIF) {
                count = updateLif(p, from, to, base, n, inv, out, count);
            } else {
                count = updateDiscrete(p, from, to, base, n, inv, out, count);
            }
        }
        return count;
    }

    private int updateLif(int p, int from, int to, int base, int n, float inv, int[] out, int count) {
        final int[] ringData = this.ringData;
        final float[] v = this.v, iExc = this.iExc, iInh = this.iInh, bias = net.bias;
        final int[] refractory = this.refractory;
        final float vRest = net.pVRest[p], vDecay = net.pVDecay[p], excToV = net.pExcToV[p], inhToV = net.pInhToV[p];
        final float excDecay = net.pExcDecay[p], inhDecay = net.pInhDecay[p], biasToV = net.pBiasToV[p];
        final float vReset = net.pVReset[p], vTh = net.pVThreshold[p];
        final int refSteps = net.pRefractorySteps[p];
        final boolean deltaExc = (net.pDeltaMask[p] & 1) != 0, deltaInh = (net.pDeltaMask[p] & 2) != 0;
        final int inhBase = base + n;
        for (int i = from; i < to; i++) {
            float inE = ringData[base + i] * inv;
            float inI = ringData[inhBase + i] * inv;
            ringData[base + i] = 0;
            ringData[inhBase + i] = 0;
            float ie = iExc[i];
            float ii = iInh[i];
            float jump = 0f;
            if (deltaExc) {
                jump = jump + inE;
            } else {
                ie = ie + inE;
            }
            if (deltaInh) {
                jump = jump + inI;
            } else {
                ii = ii + inI;
            }
            float vi = v[i];
            int ref = refractory[i];
            if (ref > 0) {
                refractory[i] = ref - 1;
            } else {
                vi = vRest + (vi - vRest) * vDecay + ie * excToV + ii * inhToV + bias[i] * biasToV + jump;
                if (vi >= vTh) {
                    vi = vReset;
                    refractory[i] = refSteps;
                    out[count++] = i;
                }
            }
            v[i] = vi;
            iExc[i] = ie * excDecay;
            iInh[i] = ii * inhDecay;
        }
        return count;
    }

    private int updateDiscrete(int p, int from, int to, int base, int n, float inv, int[] out, int count) {
        final int[] ringData = this.ringData;
        final float[] v = this.v, bias = net.bias;
        final float tau = net.pTauSteps[p], vTh = net.pVThreshold[p], vReset = net.pVReset[p];
        final int inhBase = base + n;
        for (int i = from; i < to; i++) {
            float x = ringData[base + i] * inv + ringData[inhBase + i] * inv + bias[i];
            ringData[base + i] = 0;
            ringData[inhBase + i] = 0;
            float vi = v[i];
            float h = vi - vi / tau + x;
            if (h >= vTh) {
                h = vReset;
                out[count++] = i;
            }
            v[i] = h;
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
        int slots = ring.slots();
        int current = (int) (step % slots);
        int slotSize = 2 * net.neuronCount;
        if (pool == null || total < 64) {
            scatter(0, total, current, slots, slotSize, false);
        } else {
            List<Callable<Void>> jobs = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                final int lo = (int) ((long) total * t / threads), hi = (int) ((long) total * (t + 1) / threads);
                jobs.add(() -> {
                    scatter(lo, hi, current, slots, slotSize, true);
                    return null;
                });
            }
            runAll(jobs);
        }
    }

    private void scatter(int lo, int hi, int current, int slots, int slotSize, boolean atomic) {
        final int[] rowStart = net.rowStart, delay = net.delaySteps, w = net.weightFixed, idx = inputIndex;
        final int[] ringData = this.ringData, spikes = this.spikes;
        for (int k = lo; k < hi; k++) {
            int pre = spikes[k];
            for (int s = rowStart[pre], end = rowStart[pre + 1]; s < end; s++) {
                int slot = current + delay[s];
                if (slot >= slots) {
                    slot -= slots;
                }
                int at = slot * slotSize + idx[s];
                if (atomic) {
                    INTS.getAndAdd(ringData, at, w[s]);
                } else {
                    ringData[at] += w[s];
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
