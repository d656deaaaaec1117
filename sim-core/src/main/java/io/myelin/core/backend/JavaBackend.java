package io.myelin.core.backend;

import io.myelin.core.InvalidInputException;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.parallel.StepTeam;

import java.util.Arrays;

/**
 * The reference backend: Java loops over the flat arrays of a {@link CompiledNetwork}.
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
 * sign of a zero current). The jump term is added only in populations with a delta receptor.
 *
 * <p>How a step runs. The neurons are cut into contiguous ranges of whole cache lines, one per thread. In
 * {@link #deliverAndUpdate} each thread reads its range's entries of the slot due now, clears them and updates its
 * neurons in one pass ({@link VectorNeuronUpdate} on the JDK's Vector API, 16 neurons a register on AVX-512, or
 * {@link ScalarNeuronUpdate}; the same bits). Where every delay is one step and every receptor feeds a current (CUBA),
 * it first delivers only the entries the last step's spikes wrote, walking their synapses again, and the update then
 * reads no ring at all ({@link NeuronState#delivered}). In {@link #propagate} each thread scatters every spike's synapses that
 * end in its own range ({@link TargetPartitions}): no thread writes another's entries, so there are no atomics, and
 * integer sums make the order of addition irrelevant. Spikes are listed range by range, so they come out ascending
 * whatever the thread count: every thread count gives bit-identical results. The threads are a {@link StepTeam}
 * that hands each phase over in well under a microsecond.
 */
public final class JavaBackend implements Backend {
    /**
     * Below this many neurons per thread a parallel phase costs more than it saves. Measured on a quiet 2-core VM
     * (BENCHMARKS.md, CUBA): 2 threads were slower than 1 at 4k, 8k and 16k neurons (a step of 4k neurons takes about
     * 1.7 us, less than handing the phases of a step over and back), and faster from 40k.
     */
    static final int MIN_NEURONS_PER_TASK = 16384;
    /** Below this many spikes in a step the caller scatters all partitions itself. */
    private static final int MIN_SPIKES_FOR_TEAM = 8;
    /** Neurons per alignment block of the thread ranges (a cache line of 1-byte flags). */
    private static final int ALIGN = 64;
    private static final int UPDATE = 0;
    private static final int SCATTER = 1;
    private static final int SCATTER_THEN_UPDATE = 2;

    private final int threads;
    private final int minNeuronsPerTask;
    private final boolean vector;
    private StepTeam team;

    private CompiledNetwork net;
    private int[] ringData;
    private int slots, slotSize, ringSize;
    private NeuronState state;
    private NeuronUpdate kernel;
    private TargetPartitions partitions;
    private long[] spikeCounts;
    private int[] spikes;
    private int spikeCount, neuronSpikeCount;
    // The step being worked on by the team's phases.
    private int slotBase, scatterBase;
    // Per task: its neuron range and its spikes; counts 16 ints apart so tasks never write one cache line.
    private int[] rangeStart;
    private int[][] rangeSpikes;
    private int[] rangeSpikeCount;
    private RefractoryNeurons refractoryNeurons;
    /**
     * Where the input is delivered before the update ({@link NeuronState#delivered}): the spikes scattered since the
     * last update, whose synapses' entries each range delivers at the start of its next update.
     */
    private int[] pending;
    private int pendingCount;
    /** The step whose neurons {@link #propagateAndUpdateNext} has already updated, or -1. */
    private long updatedAhead = -1;

    /** A backend on {@code threads} threads, on the Vector API where the JVM offers it. */
    public JavaBackend(int threads) {
        this(threads, true);
    }

    /**
     * @param threads threads that update and scatter (results do not depend on it)
     * @param vector  whether to use the JDK's Vector API where available (false: the scalar kernel; same results)
     */
    public JavaBackend(int threads, boolean vector) {
        this(threads, vector, MIN_NEURONS_PER_TASK);
    }

    /** As {@link #JavaBackend(int, boolean)}, splitting work over threads from {@code minNeuronsPerTask} neurons each. */
    JavaBackend(int threads, boolean vector, int minNeuronsPerTask) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (minNeuronsPerTask < 1) {
            throw new IllegalArgumentException("minNeuronsPerTask must be >= 1");
        }
        this.threads = threads;
        this.vector = vector;
        this.minNeuronsPerTask = minNeuronsPerTask;
    }

    /** Whether the neuron update of this backend runs on the Vector API. */
    public boolean vectorized() {
        return vector && NeuronUpdates.vectorAvailable();
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String device() {
        return "Java " + Runtime.version().feature() + " on CPU, " + threads + (threads == 1 ? " thread" : " threads")
                + (vectorized() ? ", Vector API" : "");
    }

    @Override
    public void load(CompiledNetwork network) {
        close();
        this.net = network;
        int n = network.neuronCount;
        int stride = NeuronState.padded(n);
        rangeStart = ranges(n, Math.max(1, Math.min(threads, n / minNeuronsPerTask)));
        int tasks = rangeStart.length - 1;
        // The slot read at step t is free again before step t's spikes are scattered: the longest delay lands there.
        slots = Math.max(1, network.maxDelaySteps);
        slotSize = 2 * stride;
        long size = (long) slots * slotSize;
        if (size > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("delay ring buffer of " + slots + " slots x " + n
                    + " neurons x 2 receptors is too large (" + size + " entries); shorten the longest delay or use a coarser dt");
        }
        ringSize = (int) size;
        ringData = new int[ringSize];
        partitions = new TargetPartitions(network, rangeStart, stride, slots);
        float[] biasDrive = new float[n];
        for (int i = 0; i < n; i++) {
            int p = network.neuronPopulation[i];
            boolean lif = network.pKind[p] == CompiledNetwork.KIND_LIF;
            biasDrive[i] = lif ? network.bias[i] * network.pBiasToV[p] : network.bias[i];
        }
        state = new NeuronState(new float[n], new float[2 * stride], new byte[n], biasDrive,
                uniformBias(network, biasDrive), ringData, stride, network.scale.inverse(), delivers(network, slots));
        pending = new int[16];
        kernel = NeuronUpdates.create(network, state, vector);
        spikeCounts = new long[network.totalCount];
        spikes = new int[Math.max(16, n)];
        rangeSpikes = new int[tasks][];
        rangeSpikeCount = new int[tasks * NeuronState.LINE];
        refractoryNeurons = new RefractoryNeurons(network, state, rangeStart);
        for (int t = 0; t < tasks; t++) {
            rangeSpikes[t] = new int[rangeStart[t + 1] - rangeStart[t]];
        }
        if (tasks > 1) {
            team = new StepTeam(tasks, "myelin-java-backend", this::work);
        }
        reset();
    }

    /**
     * Whether the input can be delivered before the update from the spikes' synapses ({@link NeuronState#delivered}):
     * the ring has one slot (every delay is one step, as in CUBA), so the entries written since the last update are
     * exactly those of the spikes scattered since, and every population is a LIF whose receptors both feed currents
     * (a delta receptor's jump or a discrete neuron's input is summed with others in the update, not into a current).
     */
    private static boolean delivers(CompiledNetwork network, int slots) {
        if (slots != 1) {
            return false;
        }
        for (int p = 0; p < network.populations.size(); p++) {
            if (network.pKind[p] != CompiledNetwork.KIND_LIF || network.pDeltaMask[p] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether this backend delivers the input before the update (see {@link NeuronState#delivered}); for tests. */
    boolean deliversInput() {
        return state.delivered();
    }

    /** Per population: {@link NeuronState#LINE} copies of the bias drive all its neurons share, or null. */
    private static float[][] uniformBias(CompiledNetwork network, float[] biasDrive) {
        float[][] uniform = new float[network.populations.size()][];
        for (CompiledNetwork.PopulationLayout pop : network.populations) {
            int bits = Float.floatToRawIntBits(biasDrive[pop.offset()]);
            boolean same = true;
            for (int i = pop.offset(); i < pop.offset() + pop.size() && same; i++) {
                same = Float.floatToRawIntBits(biasDrive[i]) == bits;
            }
            if (same) {
                uniform[pop.index()] = new float[NeuronState.LINE];
                Arrays.fill(uniform[pop.index()], biasDrive[pop.offset()]);
            }
        }
        return uniform;
    }

    /**
     * {@code tasks} ranges covering {@code [0, n)}, as equal as whole blocks of {@link #ALIGN} neurons allow: every
     * state array's range then starts on a cache line of its own (64 one-byte refractory flags to a line).
     */
    private static int[] ranges(int n, int tasks) {
        int blocks = (n + ALIGN - 1) / ALIGN;
        int[] start = new int[tasks + 1];
        for (int t = 0; t <= tasks; t++) {
            start[t] = (int) Math.min(n, (long) blocks * t / tasks * ALIGN);
        }
        return start;
    }

    @Override
    public void reset() {
        System.arraycopy(net.initialV, 0, state.v(), 0, net.neuronCount);
        Arrays.fill(state.current(), 0f);
        pendingCount = 0;
        Arrays.fill(state.refractory(), (byte) 0);
        refractoryNeurons.clear();
        updatedAhead = -1;
        Arrays.fill(spikeCounts, 0);
        Arrays.fill(ringData, 0);
        spikeCount = 0;
        neuronSpikeCount = 0;
    }

    @Override
    public int deliverAndUpdate(long step) {
        if (updatedAhead != step) {
            slotBase = slotBase(step);
            if (team == null) {
                for (int t = 0; t < tasks(); t++) {
                    updateRange(t);
                }
            } else {
                team.run(UPDATE);
            }
            pendingCount = 0;
        }
        updatedAhead = -1;
        int count = 0;
        for (int t = 0; t < tasks(); t++) {
            int c = rangeSpikeCount[t * NeuronState.LINE];
            System.arraycopy(rangeSpikes[t], 0, spikes, count, c);
            count += c;
        }
        neuronSpikeCount = count;
        spikeCount = count;
        return count;
    }

    @Override
    public void propagate(long step, int[] sourceSpikes, int sourceCount) {
        int total = listSpikes(sourceSpikes, sourceCount);
        if (total == 0) {
            return;
        }
        scatterBase = slotBase(step);
        if (team == null || total < MIN_SPIKES_FOR_TEAM) {
            for (int t = 0; t < tasks(); t++) {
                partitions.scatter(t, ringData, ringSize, scatterBase, spikes, total);
            }
        } else {
            team.run(SCATTER);
        }
    }

    /**
     * With several threads, each scatters this step's spikes into its own range and goes straight on to update that
     * range for the next step: one hand-over per step instead of two. A range's next update reads only ring entries
     * its own thread wrote, so no thread waits for another in between.
     */
    @Override
    public void propagateAndUpdateNext(long step, int[] sourceSpikes, int sourceCount) {
        if (team == null) {
            propagate(step, sourceSpikes, sourceCount);
            return;
        }
        listSpikes(sourceSpikes, sourceCount);
        scatterBase = slotBase(step);
        slotBase = slotBase(step + 1);
        team.run(SCATTER_THEN_UPDATE);
        pendingCount = 0;
        updatedAhead = step + 1;
    }

    /** Appends the source spikes to this step's neuron spikes and counts the sources' ones; returns the total. */
    private int listSpikes(int[] sourceSpikes, int sourceCount) {
        int total = neuronSpikeCount + sourceCount;
        if (spikes.length < total) {
            spikes = Arrays.copyOf(spikes, Math.max(total, spikes.length * 2));
        }
        System.arraycopy(sourceSpikes, 0, spikes, neuronSpikeCount, sourceCount);
        spikeCount = total;
        for (int k = neuronSpikeCount; k < total; k++) {
            spikeCounts[spikes[k]]++;   // the neurons' spikes were counted by their ranges' updates
        }
        if (state.delivered() && total > 0) {
            if (pending.length < pendingCount + total) {
                pending = Arrays.copyOf(pending, Math.max(pendingCount + total, pending.length * 2));
            }
            System.arraycopy(spikes, 0, pending, pendingCount, total);
            pendingCount += total;
        }
        return total;
    }

    private int slotBase(long step) {
        return (int) (step % slots) * slotSize;
    }

    private int tasks() {
        return rangeStart.length - 1;
    }

    private void work(int phase, int task) {
        if (phase != UPDATE && spikeCount > 0) {
            partitions.scatter(task, ringData, ringSize, scatterBase, spikes, spikeCount);
        }
        if (phase != SCATTER) {
            updateRange(task);
        }
    }

    /**
     * Delivers the input of the range's neurons where that is done apart ({@link NeuronState#delivered}), updates them
     * population by population, then releases and starts refractory periods.
     */
    private void updateRange(int task) {
        if (pendingCount > 0) {
            partitions.deliver(task, ringData, state.current(), state.inverse(), pending, pendingCount);
        }
        int lo = rangeStart[task], hi = rangeStart[task + 1];
        int[] out = rangeSpikes[task];
        int count = 0;
        for (CompiledNetwork.PopulationLayout pop : net.populations) {
            int from = Math.max(lo, pop.offset());
            int to = Math.min(hi, pop.offset() + pop.size());
            if (from < to) {
                count = kernel.update(pop.index(), from, to, slotBase, out, count);
            }
        }
        refractoryNeurons.advance(task, out, count);
        for (int k = 0; k < count; k++) {
            spikeCounts[out[k]]++;
        }
        rangeSpikeCount[task * NeuronState.LINE] = count;
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
        float[] current = state.current();
        int stride = state.stride();
        for (int k = 0; k < neurons.length; k++) {
            int n = neurons[k];
            if (vOut != null) {
                vOut[k] = refractoryNeurons.heldV(n);
            }
            if (iExcOut != null) {
                iExcOut[k] = current[n];
            }
            if (iInhOut != null) {
                iInhOut[k] = current[stride + n];
            }
        }
    }

    @Override
    public void close() {
        if (team != null) {
            team.close();
            team = null;
        }
    }
}
