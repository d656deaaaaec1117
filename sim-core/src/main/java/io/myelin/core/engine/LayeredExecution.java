package io.myelin.core.engine;

import io.myelin.core.monitor.StateSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ExecutionStrategy#LAYERED} execution of a feed-forward network of discrete-time LIF populations: time
 * advances in chunks of up to {@link #MAX_CHUNK} steps, and within a chunk one population at a time, in an order
 * where every population comes after those that project to it. No global step loop is needed, because a population's
 * input at step t depends only on spikes at {@code t - delay <= t - 1} of populations already run through the chunk.
 *
 * <p>Spikes live in time rows of bytes: {@code rows[g * stride + H + tau]} holds the spikes of global index g in
 * step {@code t0 + tau} of the chunk starting at t0, with the {@code H} = longest delay steps before it kept as
 * history: -1 or 0 for a neuron (which spikes at most once a step; a mask, so a synapse adds {@code w & row}), the
 * spike count for a source neuron ({@code w * row}), at most 127; a source's spikes past 127 in one step are kept as
 * a list and added to the sums one synapse at a time (integers: the same sums). A neuron's input over the chunk is
 * then a sum of whole rows, shifted by each synapse's delay and scaled by its fixed-point weight ({@link SpikeRowKernels#sums}: vectors over steps): the same integers
 * the stepwise engines accumulate one arrival at a time, since integer addition does not care about order. Its
 * membrane then runs through the chunk with exactly the stepwise engines' float expression
 * {@code V = V - V/tau + (inE * 2^-b + inI * 2^-b + bias)}, {@code V >= V_th}: spike and {@code V = V_reset}.
 * Hence the same spikes, membranes and operation counts, bit for bit, and stopping after any step (a chunk of one
 * step) is exactly running on.
 *
 * <p>Work per chunk is synapses x vectors of steps, whatever the spikes: a sum over time rather than a scatter of
 * events. It pays where rows are dense enough (trained SNNs fire in a good fraction of steps); a network of rare
 * spikes runs faster stepwise, which {@link ExecutionStrategy#STEPWISE} selects.
 */
final class LayeredExecution {
    /** Steps per chunk at most, on any vector width: eight vectors of 16 lanes. */
    static final int MAX_CHUNK = 128;
    /** Vectors of steps per chunk at most: the widest sum kernel's block, and the span keys' range. */
    private static final int MAX_VECTORS = SumPasses.MAX_WIDTH;
    /** Row entries (bytes) the strategy allocates at most. */
    private static final long MAX_ROW_ENTRIES = 1L << 26;

    /** Where the steps of a chunk are reported (monitors), step by step once the chunk is done. */
    interface Report {
        boolean wantSpikes();

        boolean wantStates();

        /** Whether the states wanted include neurons of this population (the others' membranes go unrecorded). */
        boolean wantStates(String population);

        /**
         * Step {@code step} is complete: its spikes (neurons ascending, then source spikes in emission order; null
         * unless {@link #wantSpikes()}) and the state after it ({@code states}, valid during the call).
         */
        void step(long step, int[] spikes, int count, StateSource states);
    }

    private CompiledNetwork net;
    private final boolean countUpdates;
    private final int lanes, history, stride;
    /**
     * Steps per chunk: {@link #MAX_VECTORS} vectors of this JVM's lanes, at most {@link #MAX_CHUNK} (64 steps with
     * 8-lane vectors, as on AVX2; 128 with 16).
     */
    private final int chunkSteps;
    private final int[] order;
    private final Population[] pops;
    private final byte[] rows;
    /** Source spikes past 127 in one step, one entry per spike: global index and step, while a delay reaches them. */
    private int[] excessSource = new int[16];
    private long[] excessStep = new long[16];
    private int excess;
    private SpikeSchedule schedule;
    private final IntList emitted = new IntList(64);
    private final long[] spikeCounts;
    private final long[] updates;
    private long step;
    // chunk scratch, sized for the largest population
    /**
     * A population's fixed-point sums over the chunk ({@code [neuron * MAX_CHUNK + step]}), all zero between the runs
     * of populations: {@link SpikeRowKernels#takeInput} clears what the sums filled.
     */
    private final int[] accE, accI;
    /** Whether a population's run is under way, its sums not yet taken (only a run cut short leaves it set). */
    private boolean sumsInUse;
    private final int[] arrivals;
    private final float[] x, tile, arrivalTile;
    /**
     * A tile's spikes per lane j: the count at j, the first spike's step at {@code lanes + j} and the last's at
     * {@code 2 * lanes + j} ({@link SpikeRowKernels#lif}).
     */
    private final float[] tileSpikes;
    /** With {@link SpikeRowKernels#transposes()}: a tile's spikes per neuron. */
    private final float[] spikeScratch;
    /** Event engine: the membranes of a pair of tiles through their first steps, lane by lane. */
    private final float[] prefixTrace;
    /** The second tile and its spikes where two tiles run together. */
    private final float[] tile2, tileSpikes2;
    /**
     * Event engine, per neuron of the population run: one past the last step of the chunk without an arrival (0 where
     * every step has one).
     */
    private final int[] afterLastZero;
    /** Event engine: the spikes of the tiles' counted first steps (as {@link #tileSpikes}). */
    private final float[] prefixSpikes, prefixSpikes2;
    // per chunk, for reports: source spikes per step (flat) and where each step's start
    private int[] chunkSources = new int[64];
    private final int[] chunkSourceStart = new int[MAX_CHUNK + 1];
    private int[] stepSpikes = new int[64];
    private final Map<int[], int[][]> weightsByFixed = new IdentityHashMap<>();
    /** The sums' passes of the population being run, by kernel. */
    private final SumPasses passes = new SumPasses();
    /**
     * Per global index: the first and the last entry of its row holding a spike, among those the chunk reads
     * ({@code [0, H + c)}; {@code liveLast} -1 for none), kept exact as the rows are written: a source's as its spikes
     * are emitted, a neuron's from its tile's LIF ({@link SpikeRowKernels#lif}), both moved into the history at the
     * chunk's end. Rows are then never scanned for their spikes.
     */
    private final int[] liveFirst, liveLast;

    /** One population's synapses by postsynaptic neuron and its state. */
    private static final class Population {
        final int index, offset, size, padded;
        final float tau, vTh, vReset;
        /**
         * Synapses of local neuron j: excitatory {@code [start[2j], start[2j+1])}, inhibitory {@code [start[2j+1],
         * start[2j+2])}, each by presynaptic index, so neurons before sources; {@code mid[r]} splits segment r
         * ({@code 2j + receptor}) there.
         */
        final int[] start, mid;
        final int[] synapse;   // CSR index, per synapse in this order
        final int[] off;       // rows offset: pre * stride + H - delay
        final int[] pre;       // presynaptic global index
        /**
         * Segments with the same presynaptic sequence share a group ({@code groupOf[r]}; a dense layer is one group):
         * per chunk, the positions in the group's first segment ({@code groupRep}) whose presynaptic row holds any
         * spike the chunk can read are listed once ({@code pos[groupStart[g] ..]}, neuron rows up to
         * {@code groupMid[g]}, source rows up to {@code groupEnd[g]}) and every segment of the group sums only those.
         */
        final int[] groupOf, groupRep, groupStart, groupMid, groupEnd, pos;
        /**
         * The segments that group g fills into the sums of receptor q, {@code m} in {@code [memberStart[2g + q],
         * memberStart[2g + q + 1])}, in neuron order (inhibitory segments only in a population that has them): the
         * segment's first synapse ({@code memberBase[m]}, {@code start[r]}) and where its sums start
         * ({@code memberAt[m]}, {@code j * MAX_CHUNK}).
         */
        final int[] memberStart, memberBase, memberAt;
        /** Per group: the shortest and longest delay of its segments' synapses (steps). */
        final int[] groupDMin, groupDMax;
        /**
         * Per group and chunk: its live positions in spans of rows whose spikes reach the same vectors of steps
         * ({@link SpikeRowKernels#sums}: from, to, first vector, end vector), {@code neuronSpans[g]} spans of neuron
         * rows then {@code sourceSpans[g]} of source rows.
         */
        final int[][] spans;
        final int[] neuronSpans, sourceSpans;
        int[] w;               // fixed-point weight
        /** Per segment r: the shortest and longest delay (steps) of its synapses (0 and -1 when it has none). */
        final int[] dMin, dMax;
        /**
         * Per group and chunk ({@link #listLiveSynapses}): the first and last row entry where a live row of the group
         * that reaches the chunk holds a spike ({@code spikeLast < spikeFirst}: none). Event counting reads them.
         */
        final int[] spikeFirst, spikeLast;
        final boolean inhibitory;
        final float[] v, bias, silentX, active;
        float[] trace;         // [tau][padded] membranes after each step of the chunk, when states are wanted

        Population(int index, int offset, int size, int lanes, float tau, float vTh, float vReset, int[] start,
                   int[] mid, int[] synapse, int[] off, int[] pre, boolean inhibitory) {
            this.index = index;
            this.offset = offset;
            this.size = size;
            this.padded = (size + lanes - 1) / lanes * lanes;
            this.tau = tau;
            this.vTh = vTh;
            this.vReset = vReset;
            this.start = start;
            this.mid = mid;
            this.synapse = synapse;
            this.off = off;
            this.pre = pre;
            this.inhibitory = inhibitory;
            groupOf = new int[2 * size];
            java.util.HashMap<PreSequence, Integer> groups = new java.util.HashMap<>();
            int[] rep = new int[2 * size];
            int[] first = new int[2 * size + 1];
            int g = 0;
            for (int r = 0; r < 2 * size; r++) {
                PreSequence key = new PreSequence(pre, start[r], start[r + 1]);
                Integer known = groups.putIfAbsent(key, g);
                if (known == null) {
                    rep[g] = r;
                    first[g + 1] = first[g] + (start[r + 1] - start[r]);
                    groupOf[r] = g++;
                } else {
                    groupOf[r] = known;
                }
            }
            groupRep = Arrays.copyOf(rep, g);
            groupStart = Arrays.copyOf(first, g);
            // the segments each (group, receptor) fills, in neuron order: a chunk lists a group's spans once for all
            memberStart = new int[2 * g + 1];
            for (int r = 0; r < 2 * size; r++) {
                if (r % 2 == 0 || inhibitory) {
                    memberStart[2 * groupOf[r] + r % 2 + 1]++;
                }
            }
            for (int k = 0; k < 2 * g; k++) {
                memberStart[k + 1] += memberStart[k];
            }
            memberBase = new int[memberStart[2 * g]];
            memberAt = new int[memberBase.length];
            int[] fill = Arrays.copyOf(memberStart, 2 * g);
            for (int r = 0; r < 2 * size; r++) {
                if (r % 2 == 0 || inhibitory) {
                    int m = fill[2 * groupOf[r] + r % 2]++;
                    memberBase[m] = start[r];
                    memberAt[m] = (r / 2) * MAX_CHUNK;
                }
            }
            groupMid = new int[g];
            groupEnd = new int[g];
            groupDMin = new int[g];
            groupDMax = new int[g];
            spans = new int[g][4 * 2 * SPAN_KEYS];
            neuronSpans = new int[g];
            sourceSpans = new int[g];
            spikeFirst = new int[g];
            spikeLast = new int[g];
            dMin = new int[2 * size];
            dMax = new int[2 * size];
            pos = new int[first[g]];
            v = new float[padded];
            bias = new float[padded];
            silentX = new float[padded];
            active = new float[padded];
        }
    }

    /** A range of presynaptic indices, compared by content. */
    private static final class PreSequence {
        private final int[] a;
        private final int from, to, hash;

        PreSequence(int[] a, int from, int to) {
            this.a = a;
            this.from = from;
            this.to = to;
            int h = to - from;
            for (int k = from; k < to; k++) {
                h = 31 * h + a[k];
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PreSequence q && Arrays.equals(a, from, to, q.a, q.from, q.to);
        }
    }

    /**
     * Null when {@code net} can run layered, else why not: every population discrete-time LIF, no loop through the
     * projections, and rows of reasonable size.
     */
    static String whyNot(CompiledNetwork net) {
        for (CompiledNetwork.PopulationLayout p : net.populations) {
            if (net.pKind[p.index()] != CompiledNetwork.KIND_DISCRETE_LIF) {
                return "population '" + p.name() + "' is not a discrete-time LIF";
            }
        }
        if (topologicalOrder(net) == null) {
            return "its projections form a loop (a population that feeds back on itself or an earlier one)";
        }
        if ((long) net.totalCount * (net.maxDelaySteps + MAX_CHUNK) > MAX_ROW_ENTRIES) {
            return "its spike rows (" + net.totalCount + " neurons x " + (net.maxDelaySteps + MAX_CHUNK)
                    + " steps) would be too large";
        }
        return null;
    }

    /** Populations so that each comes after every population projecting to it (ties by index); null with a loop. */
    private static int[] topologicalOrder(CompiledNetwork net) {
        int n = net.populations.size();
        Map<String, Integer> index = new java.util.HashMap<>();
        for (CompiledNetwork.PopulationLayout p : net.populations) {
            index.put(p.name(), p.index());
        }
        List<List<Integer>> next = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            next.add(new ArrayList<>());
        }
        int[] inDegree = new int[n];
        for (CompiledNetwork.ProjectionLayout pr : net.projections) {
            Integer a = index.get(pr.pre()), b = index.get(pr.post());
            if (a != null && b != null) {
                next.get(a).add(b);
                inDegree[b]++;
            }
        }
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (inDegree[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int p = ready.poll();
            order[k++] = p;
            for (int q : next.get(p)) {
                if (--inDegree[q] == 0) {
                    ready.add(q);
                }
            }
        }
        return k == n ? order : null;
    }

    /**
     * @param countUpdates count membrane updates as the event engine performs them (input arrived, or still active),
     *                     rather than one per neuron and step
     */
    LayeredExecution(CompiledNetwork net, boolean countUpdates) {
        String why = whyNot(net);
        if (why != null) {
            throw new io.myelin.core.InvalidInputException("the network cannot run layered: " + why);
        }
        this.net = net;
        this.countUpdates = countUpdates;
        this.lanes = SpikeRowKernels.lanes();
        this.chunkSteps = Math.min(MAX_CHUNK, MAX_VECTORS * lanes);
        this.history = net.maxDelaySteps;
        this.stride = history + MAX_CHUNK;
        this.order = topologicalOrder(net);
        this.rows = new byte[Math.addExact(Math.multiplyExact(net.totalCount, stride), SpikeRowKernels.rowSlack())];
        this.spikeCounts = new long[net.totalCount];
        this.liveFirst = new int[net.totalCount];
        this.liveLast = new int[net.totalCount];
        this.updates = new long[net.populations.size()];
        this.pops = new Population[net.populations.size()];
        int maxPadded = lanes;
        for (CompiledNetwork.PopulationLayout p : net.populations) {
            pops[p.index()] = build(p);
            maxPadded = Math.max(maxPadded, pops[p.index()].padded);
        }
        accE = new int[maxPadded * MAX_CHUNK];
        accI = new int[maxPadded * MAX_CHUNK];
        arrivals = countUpdates ? new int[maxPadded * MAX_CHUNK] : null;
        x = new float[maxPadded * MAX_CHUNK];
        tile = new float[lanes * MAX_CHUNK];
        arrivalTile = new float[lanes * MAX_CHUNK];
        tileSpikes = new float[3 * lanes];
        boolean transposes = SpikeRowKernels.transposes();
        prefixTrace = transposes && countUpdates ? new float[2 * lanes * MAX_CHUNK] : null;
        spikeScratch = transposes ? new float[lanes * MAX_CHUNK] : null;
        tile2 = transposes ? new float[lanes * MAX_CHUNK] : null;
        tileSpikes2 = new float[3 * lanes];
        prefixSpikes = new float[3 * lanes];
        prefixSpikes2 = new float[3 * lanes];
        afterLastZero = new int[countUpdates ? maxPadded : 0];
        bindWeights();
        reset();
    }

    /** Post-major synapse order of one population: by neuron, then receptor, then CSR order. */
    private Population build(CompiledNetwork.PopulationLayout p) {
        int n = p.size(), lo = p.offset(), hi = lo + n;
        int[] start = new int[2 * n + 1];
        boolean inh = false;
        for (int s = 0; s < net.target.length; s++) {
            int t = net.target[s];
            if (t >= lo && t < hi) {
                start[2 * (t - lo) + net.receptor[s] + 1]++;
                inh |= net.receptor[s] != 0;
            }
        }
        for (int k = 0; k < 2 * n; k++) {
            start[k + 1] += start[k];
        }
        int[] fill = Arrays.copyOf(start, 2 * n);
        int[] synapse = new int[start[2 * n]], off = new int[start[2 * n]], preOf = new int[start[2 * n]];
        for (int pre = 0; pre < net.totalCount; pre++) {
            for (int s = net.rowStart[pre]; s < net.rowStart[pre + 1]; s++) {
                int t = net.target[s];
                if (t >= lo && t < hi) {
                    int at = fill[2 * (t - lo) + net.receptor[s]]++;
                    synapse[at] = s;
                    off[at] = pre * stride + history - net.delaySteps[s];
                    preOf[at] = pre;
                }
            }
        }
        int[] mid = new int[2 * n];
        for (int r = 0; r < 2 * n; r++) {
            int k = start[r];
            while (k < start[r + 1] && preOf[k] < net.neuronCount) {
                k++;
            }
            mid[r] = k;
        }
        int q = p.index();
        Population pop = new Population(q, lo, n, lanes, net.pTauSteps[q], net.pVThreshold[q], net.pVReset[q], start,
                mid, synapse, off, preOf, inh);
        for (int r = 0; r < 2 * n; r++) {
            int dMin = Integer.MAX_VALUE, dMax = -1;
            for (int k = start[r]; k < start[r + 1]; k++) {
                dMin = Math.min(dMin, net.delaySteps[synapse[k]]);
                dMax = Math.max(dMax, net.delaySteps[synapse[k]]);
            }
            pop.dMin[r] = dMax < 0 ? 0 : dMin;
            pop.dMax[r] = dMax;
        }
        Arrays.fill(pop.groupDMin, Integer.MAX_VALUE);
        Arrays.fill(pop.groupDMax, -1);
        for (int r = 0; r < 2 * n; r++) {
            if (pop.dMax[r] >= 0) {
                int g = pop.groupOf[r];
                pop.groupDMin[g] = Math.min(pop.groupDMin[g], pop.dMin[r]);
                pop.groupDMax[g] = Math.max(pop.groupDMax[g], pop.dMax[r]);
            }
        }
        return pop;
    }

    /** The fixed-point weights in each population's order, gathered once per weight array (scale). */
    private void bindWeights() {
        int[][] w = weightsByFixed.computeIfAbsent(net.weightFixed, f -> {
            int[][] g = new int[pops.length][];
            for (Population p : pops) {
                g[p.index] = new int[p.synapse.length];
                for (int k = 0; k < p.synapse.length; k++) {
                    g[p.index][k] = f[p.synapse[k]];
                }
            }
            return g;
        });
        for (Population p : pops) {
            p.w = w[p.index];
        }
    }

    /** The same network with other source spikes or another scale ({@link CompiledNetwork#withSpikeTimes}); resets. */
    void rebind(CompiledNetwork next) {
        if (next.target != net.target || next.rowStart != net.rowStart) {
            throw new IllegalArgumentException("rebind needs the same synapses");
        }
        net = next;
        schedule = null;
        bindWeights();
        reset();
    }

    void reset() {
        if (sumsInUse) {
            Arrays.fill(accE, 0);
            Arrays.fill(accI, 0);
            sumsInUse = false;
        }
        // Only the history before step 0 is read before it is written: a chunk's own steps are written (neurons) or
        // cleared (sources) before any population reads them, and lanes past the chunk are computed but unused.
        for (int g = 0; g < net.totalCount; g++) {
            Arrays.fill(rows, g * stride, g * stride + history, (byte) 0);
        }
        Arrays.fill(spikeCounts, 0);
        Arrays.fill(updates, 0);
        Arrays.fill(liveFirst, Integer.MAX_VALUE);
        Arrays.fill(liveLast, -1);
        excess = 0;
        if (schedule == null) {
            schedule = new SpikeSchedule(net);
        } else {
            schedule.reset();
        }
        float inv = net.scale.inverse();
        for (Population p : pops) {
            for (int j = 0; j < p.size; j++) {
                int g = p.offset + j;
                p.v[j] = net.initialV[g];
                p.bias[j] = net.bias[g];
                // exactly the event engine's silent input
                p.silentX[j] = 0 * inv + 0 * inv + net.bias[g];
            }
            // nothing is known about the initial state: the event engine updates every neuron in step 0
            Arrays.fill(p.active, 0, p.size, 1f);
        }
        step = 0;
    }

    long step() {
        return step;
    }

    long[] spikeCounts() {
        return spikeCounts;
    }

    /** Membrane updates per population ({@code countUpdates}: as the event engine performs them). */
    long[] updates() {
        return updates;
    }

    /** Runs {@code steps} steps in chunks, reporting each step to {@code report} (null: nobody listens). */
    void run(long steps, Report report) {
        while (steps > 0) {
            int c = (int) Math.min(steps, chunkSteps);
            chunk(c, report);
            steps -= c;
        }
    }

    private void chunk(int c, Report report) {
        boolean states = report != null && report.wantStates();
        boolean spikes = report != null && report.wantSpikes();
        emitSources(c, spikes);
        int vectors = (c + lanes - 1) / lanes;
        int width = vectors * lanes;
        float inv = net.scale.inverse();
        for (int q : order) {
            Population p = pops[q];
            // membranes are traced only for the populations a state monitor reads
            runPopulation(p, c, vectors, width, inv, states && report.wantStates(net.populations.get(p.index).name()));
        }
        if (report != null) {
            report(c, report, spikes, states);
        }
        for (int g = 0; g < net.totalCount; g++) {
            System.arraycopy(rows, g * stride + c, rows, g * stride, history);
            intoHistory(g, c);
        }
        step += c;
    }

    /**
     * Source spikes of the chunk's steps into their rows (several in one step count several). Where no report wants
     * the spikes of each step (and no Poisson source needs drawing step by step), straight from each source's spikes.
     */
    private void emitSources(int c, boolean spikes) {
        for (CompiledNetwork.SourceLayout l : net.sources) {
            for (int g = l.offset(); g < l.offset() + l.size(); g++) {
                Arrays.fill(rows, g * stride + history, g * stride + history + c, (byte) 0);
            }
        }
        // spikes past 127 that no delay carries into this chunk any more
        int kept = 0;
        for (int k = 0; k < excess; k++) {
            if (excessStep[k] + history >= step) {
                excessSource[kept] = excessSource[k];
                excessStep[kept++] = excessStep[k];
            }
        }
        excess = kept;
        if (!spikes && schedule.emitRange(step, c, sourceSpike)) {
            return;
        }
        int n = 0;
        for (int tau = 0; tau < c; tau++) {
            chunkSourceStart[tau] = n;
            schedule.emit(step + tau, emitted);
            for (int k = 0; k < emitted.size(); k++) {
                int g = emitted.get(k);
                sourceSpike(tau, g);
                if (n == chunkSources.length) {
                    chunkSources = Arrays.copyOf(chunkSources, 2 * n);
                }
                chunkSources[n++] = g;
            }
        }
        chunkSourceStart[c] = n;
    }

    private final SpikeSchedule.Sink sourceSpike = this::sourceSpike;

    /** A spike of source index g in step tau of the chunk: its row counts it, past 127 the excess list. */
    private void sourceSpike(int tau, int g) {
        int at = g * stride + history + tau;
        liveFirst[g] = Math.min(liveFirst[g], history + tau);
        liveLast[g] = Math.max(liveLast[g], history + tau);
        if (rows[at] < Byte.MAX_VALUE) {
            rows[at]++;
        } else {
            if (excess == excessSource.length) {
                excessSource = Arrays.copyOf(excessSource, 2 * excess);
                excessStep = Arrays.copyOf(excessStep, 2 * excess);
            }
            excessSource[excess] = g;
            excessStep[excess++] = step + tau;
        }
        spikeCounts[g]++;
    }

    /**
     * Lists, per synapse group of p, the synapses whose presynaptic row holds a spike that this chunk can read (in the
     * history or the chunk's own steps, which every presynaptic population has written by now): silent inputs would
     * add zeros. On the exported spoken-digits network about half the input channels are silent in a sample.
     */
    private void listLiveSynapses(Population p, int c) {
        for (int g = 0; g < p.groupRep.length; g++) {
            int r = p.groupRep[g], base = p.start[r], mid = p.mid[r], end = p.start[r + 1];
            int k = p.groupStart[g];
            for (int s = base; s < mid; s++) {
                p.pos[k] = s - base;
                k += live(p.pre[s]) ? 1 : 0;
            }
            p.groupMid[g] = k;
            for (int s = mid; s < end; s++) {
                p.pos[k] = s - base;
                k += live(p.pre[s]) ? 1 : 0;
            }
            p.groupEnd[g] = k;
            int vectors = (c + lanes - 1) / lanes, dMin = p.groupDMin[g], dMax = p.groupDMax[g];
            int q0 = p.groupStart[g], q1 = p.groupMid[g], q2 = p.groupEnd[g];
            int[] spans = p.spans[g];
            keptFirst = Integer.MAX_VALUE;
            keptLast = -1;
            int neurons = bySpan(p, base, q0, q1, dMin, dMax, vectors, q0);
            p.neuronSpans[g] = writeSpans(spans, 0, q0);
            int sources = bySpan(p, base, q1, q2, dMin, dMax, vectors, q0 + neurons);
            p.groupMid[g] = q0 + neurons;
            p.groupEnd[g] = q0 + neurons + sources;
            p.sourceSpans[g] = writeSpans(spans, p.neuronSpans[g], q0 + neurons);
            p.spikeFirst[g] = keptFirst;
            p.spikeLast[g] = keptLast;
        }
    }

    /** Keys of the spans, {@code v0 * 9 + v1} for vectors {@code [v0, v1)} of a chunk of at most eight vectors. */
    private static final int SPAN_BASE = MAX_VECTORS + 1, SPAN_KEYS = SPAN_BASE * SPAN_BASE;
    /** Per span key: its positions, and where the next goes, while sorting ({@link #bySpan}). */
    private final int[] spanCount = new int[SPAN_KEYS + 1];
    private final int[] spanLast = new int[SPAN_KEYS + 1];
    private int[] spanScratch = new int[16], spanKey = new int[16];
    /** The first and last spike entry of the rows {@link #bySpan} kept, over its calls for one group. */
    private int keptFirst, keptLast;

    /**
     * Sorts the live positions {@code p.pos[q0 .. q1)} by the vectors of steps their rows' spikes reach (through
     * delays dMin..dMax) into {@code p.pos[outAt ..]} ({@code outAt <= q0}), leaving out rows that reach none;
     * returns how many remain. The span counts stay in {@link #spanCount} for {@link #writeSpans}.
     */
    private int bySpan(Population p, int base, int q0, int q1, int dMin, int dMax, int vectors, int outAt) {
        int n = q1 - q0;
        if (spanKey.length < n) {
            spanKey = new int[n];
            spanScratch = new int[Math.max(spanScratch.length, n)];
        }
        Arrays.fill(spanCount, 0);
        int first = keptFirst, last = keptLast;
        for (int q = q0; q < q1; q++) {
            int row = p.pre[base + p.pos[q]];
            int v0 = reachFrom(liveFirst[row], dMin), v1 = reachTo(liveLast[row], dMax, vectors);
            int key = v1 > v0 ? v0 * SPAN_BASE + v1 : -1;
            spanKey[q - q0] = key;
            if (key >= 0) {
                spanCount[key + 1]++;
                first = Math.min(first, liveFirst[row]);
                last = Math.max(last, liveLast[row]);
            }
        }
        keptFirst = first;
        keptLast = last;
        for (int k = 0; k < SPAN_KEYS; k++) {
            spanCount[k + 1] += spanCount[k];
        }
        System.arraycopy(spanCount, 0, spanLast, 0, SPAN_KEYS + 1);
        for (int q = q0; q < q1; q++) {
            int key = spanKey[q - q0];
            if (key >= 0) {
                spanScratch[spanLast[key]++] = p.pos[q];
            }
        }
        int kept = spanCount[SPAN_KEYS];
        System.arraycopy(spanScratch, 0, p.pos, outAt, kept);
        return kept;
    }

    /**
     * A pass over a span costs about this many row vectors more than its synapses' own (its entry in the pass lists,
     * the sums loaded and stored, its loop's start and end): spans are merged where that costs fewer vectors of extra
     * reading. Measured with one kernel call per pass (4, 16 and 64 on a Zen 5 host; 16, 64 and 256 on a Zen 4 host:
     * 16 best or level on both); since passes are listed, 4, 8, 16 and 32 were level within that host's spread.
     */
    private static final int SPAN_PASS_COST = 16;

    /**
     * Spans of the last {@link #bySpan} (positions from {@code from}) into {@code spans} after {@code before}, in key
     * order; neighbours merge while the vectors the merge adds to their rows cost less than a pass.
     */
    private int writeSpans(int[] spans, int before, int from) {
        int n = 0;
        for (int key = 0; key < SPAN_KEYS; key++) {
            int rows = spanCount[key + 1] - spanCount[key];
            if (rows == 0) {
                continue;
            }
            int v0 = key / SPAN_BASE, v1 = key % SPAN_BASE;
            if (n > 0) {
                int q = 4 * (before + n - 1);
                int had = spans[q + 1] - spans[q], w0 = spans[q + 2], w1 = spans[q + 3];
                int m0 = Math.min(v0, w0), m1 = Math.max(v1, w1);
                int extra = had * ((m1 - m0) - (w1 - w0)) + rows * ((m1 - m0) - (v1 - v0));
                if (extra < SPAN_PASS_COST) {
                    spans[q + 1] = from + spanCount[key + 1];
                    spans[q + 2] = m0;
                    spans[q + 3] = m1;
                    continue;
                }
            }
            int q = 4 * (before + n++);
            spans[q] = from + spanCount[key];
            spans[q + 1] = from + spanCount[key + 1];
            spans[q + 2] = v0;
            spans[q + 3] = v1;
        }
        return n;
    }

    /**
     * Row g's spike bounds once the chunk's {@code c} steps have moved into its history: entries before c leave it,
     * the rest move down by c. Where the first spike leaves while a later one stays, the history is scanned for the
     * new first (only when a run takes several chunks).
     */
    private void intoHistory(int g, int c) {
        int last = liveLast[g] - c;
        if (last < 0) {
            liveFirst[g] = Integer.MAX_VALUE;
            liveLast[g] = -1;
            return;
        }
        int first = liveFirst[g] - c, at = g * stride;
        if (first < 0) {
            first = 0;
            while (rows[at + first] == 0) {
                first++;
            }
        }
        liveFirst[g] = first;
        liveLast[g] = last;
    }

    /** Whether row g holds any spike the current chunk can read. */
    private boolean live(int g) {
        return liveLast[g] >= 0;
    }

    private void runPopulation(Population p, int c, int vectors, int width, float inv, boolean states) {
        int[] groupOf = p.groupOf;
        listLiveSynapses(p, c);
        passes.clear();
        sumsInUse = true;
        for (int g = 0; g < p.groupRep.length; g++) {
            listPasses(p, g, 0);
            listPasses(p, g, 1);
        }
        SpikeRowKernels.sums(rows, p.off, p.w, p.pos, passes, accE, accI);
        if (excess > 0) {
            addExcess(p, c);
        }
        int[] inh = p.inhibitory ? accI : null;
        for (int j = 0; j < p.size; j++) {
            int at = j * MAX_CHUNK;
            if (countUpdates) {
                afterLastZero[j] = SpikeRowKernels.takeInputAndArrivals(accE, inh, at, inv, p.bias[j], x, at, width, c,
                        arrivals);
            } else {
                SpikeRowKernels.takeInput(accE, inh, at, inv, p.bias[j], x, at, width);
            }
        }
        sumsInUse = false;
        if (countUpdates) {
            for (int j = 0; j < p.size; j++) {
                afterLastZero[j] = keepArrivals(p, j, groupOf[2 * j], groupOf[2 * j + 1], j * MAX_CHUNK, c,
                        afterLastZero[j]);
            }
        }
        if (states && p.trace == null) {
            p.trace = new float[MAX_CHUNK * p.padded];
        }
        float[] trace = states ? p.trace : null;
        if (SpikeRowKernels.transposes()) {
            runNeuronsTransposed(p, c, vectors, width, trace);
            return;
        }
        long spikes = 0;
        for (int j0 = 0; j0 < p.size; j0 += lanes) {
            int m = Math.min(lanes, p.size - j0);
            // neurons across the lanes: the input rows into a [step][lane] tile, the spikes back out into rows
            for (int j = 0; j < lanes; j++) {
                int at = (j0 + j) * MAX_CHUNK;
                if (j < m) {
                    for (int t = 0; t < c; t++) {
                        tile[t * lanes + j] = x[at + t];
                    }
                    if (countUpdates) {
                        // arrivals are kept up to the neuron's last step without one; every later step has one
                        for (int t = 0, after = afterLastZero[j0 + j]; t < c; t++) {
                            arrivalTile[t * lanes + j] = t >= after ? 1f : arrivals[at + t];
                        }
                    }
                } else {
                    // lanes past the population: no input, no arrival, inactive, never counted
                    for (int t = 0; t < c; t++) {
                        tile[t * lanes + j] = 0f;
                        arrivalTile[t * lanes + j] = 0f;
                    }
                }
            }
            if (countUpdates) {
                updates[p.index] += SpikeRowKernels.lifCounted(tile, arrivalTile, c, p.tau, p.vTh, p.vReset, p.v, j0,
                        tileSpikes, trace, p.padded, j0, p.silentX, j0, activeSlice(p, j0));
                copyBack(p, j0);
            } else {
                SpikeRowKernels.lif(tile, c, p.tau, p.vTh, p.vReset, p.v, j0, tileSpikes, trace, p.padded, j0);
            }
            for (int j = 0; j < m; j++) {
                int g = p.offset + j0 + j, base = g * stride + history;
                for (int t = 0; t < c; t++) {
                    rows[base + t] = (byte) -(int) tile[t * lanes + j];   // a neuron's row holds -1 where it spiked
                    if (tile[t * lanes + j] != 0f) {
                        liveFirst[g] = Math.min(liveFirst[g], history + t);
                        liveLast[g] = history + t;
                    }
                }
                spikeCounts[g] += (long) tileSpikes[j];
                spikes += (long) tileSpikes[j];
            }
        }
        if (!countUpdates) {
            updates[p.index] += (long) p.size * c;
        }
    }

    /**
     * Event engine: one past neuron j's last step of the chunk without an arrival (0 where every step has one), from
     * {@code afterZero}, one past its last zero sum, and its sums' OR in {@code arrivals[at ..]}, non-zero where input
     * arrived ({@link SpikeRowKernels#takeInputAndArrivals}); its arrivals are kept up to that step.
     */
    private int keepArrivals(Population p, int j, int e, int i, int at, int c, int afterZero) {
        // A non-zero sum means some synapse delivered a spike; only where a sum is zero (nothing arrived, or
        // arrivals that cancel) are the rows OR-ed, a vector of steps at a time. Arrivals are kept only up to
        // the vector of the last zero sum: every step after it has one (usually a sample's first vector). Source
        // spikes past 127 in a step (addExcess) are in the sums; their rows hold 127 there, so an OR sees them too.
        if (afterZero > 0) {
            int zeroVectors = (afterZero + lanes - 1) / lanes;
            int reach = Math.min(groupReach(p, e), p.inhibitory ? groupReach(p, i) : Integer.MAX_VALUE);
            if (afterZero > reach) {
                // a zero sum after the groups' first spike can arrive (before it, nothing was delivered)
                afterZero = 0;
                for (int k = 0; k < zeroVectors; k++) {
                    int t = k * lanes, valid = Math.min(lanes, c - t);
                    int z = SpikeRowKernels.afterLastZero(arrivals, at + t, valid);
                    if (t + z > reach) {
                        boolean or = false;
                        if (mayArrive(p, e, 2 * j, t, c, at + t)) {
                            orReaching(p, 2 * j, e, k, at + t);
                            or = true;
                        }
                        if (p.inhibitory && mayArrive(p, i, 2 * j + 1, t, c, at + t)) {
                            orReaching(p, 2 * j + 1, i, k, at + t);
                            or = true;
                        }
                        if (or) {
                            z = SpikeRowKernels.afterLastZero(arrivals, at + t, valid);
                        }
                    }
                    afterZero = z > 0 ? t + z : afterZero;
                }
            }
        }
        return afterZero;
    }

    /**
     * The neurons of p through the chunk, a vector's lanes per tile, with the tiles transposed in registers
     * ({@link SpikeRowKernels#transposeBlock}): inputs {@code x} from rows per neuron into {@code [step][lane]} tiles,
     * the spikes back into rows per neuron. The same values as the element-by-element copy.
     */
    private void runNeuronsTransposed(Population p, int c, int vectors, int width, float[] trace) {
        for (int j0 = 0; j0 < p.size; ) {
            // two tiles through one kernel: two independent chains of V - V / tau hide the division's latency, which
            // bounds one tile's steps
            boolean pair = j0 + lanes < p.size;
            // the event engine's counting needs each step's arrivals only before the step from which every neuron of
            // the tiles has an arrival in every step (all are updated then, active or not): in an exported network
            // the BatchNorm shift arrives in every step from the second on, so that is the tiles' first few steps,
            // whose membranes are kept for the count
            int from = 0;
            if (countUpdates) {
                from = arrivedFrom(p, j0, c);
                if (pair) {
                    from = Math.max(from, arrivedFrom(p, j0 + lanes, c));
                }
            }
            tileIn(p, j0, tile, vectors, width);
            if (pair) {
                tileIn(p, j0 + lanes, tile2, vectors, width);
            }
            if (from > 0) {
                lif(p, j0, pair, 0, from, prefixSpikes, prefixSpikes2, prefixTrace, 2 * lanes, 0);
                if (trace != null) {
                    for (int t = 0; t < from; t++) {
                        System.arraycopy(prefixTrace, t * 2 * lanes, trace, t * p.padded + j0, pair ? 2 * lanes : lanes);
                    }
                }
                updates[p.index] += countedSteps(p, j0, from, 0);
                if (pair) {
                    updates[p.index] += countedSteps(p, j0 + lanes, from, lanes);
                }
            }
            if (from < c) {
                lif(p, j0, pair, from, c, tileSpikes, tileSpikes2, trace, p.padded, j0);
                if (countUpdates) {
                    arrivedAfter(p, j0, c - from, from > 0 ? prefixSpikes : null, tileSpikes);
                    if (pair) {
                        arrivedAfter(p, j0 + lanes, c - from, from > 0 ? prefixSpikes2 : null, tileSpikes2);
                    }
                }
            } else {
                System.arraycopy(prefixSpikes, 0, tileSpikes, 0, 3 * lanes);
                System.arraycopy(prefixSpikes2, 0, tileSpikes2, 0, 3 * lanes);
            }
            tileOut(p, j0, tile, tileSpikes, c, vectors, width);
            if (pair) {
                tileOut(p, j0 + lanes, tile2, tileSpikes2, c, vectors, width);
            }
            j0 += pair ? 2 * lanes : lanes;
        }
        if (!countUpdates) {
            updates[p.index] += (long) p.size * c;
        }
    }

    /**
     * Steps {@code [from, to)} of the tile at {@code j0} (and of the next one, {@code pair}) through the LIF kernel,
     * their spikes in {@code spikesA} ({@code spikesB}, as {@link #tileSpikes}), membranes traced into {@code vTrace}
     * when it is not null.
     */
    private void lif(Population p, int j0, boolean pair, int from, int to, float[] spikesA, float[] spikesB,
                     float[] vTrace, int traceStride, int traceAt) {
        if (pair) {
            SpikeRowKernels.lif2(tile, tile2, from, to, p.tau, p.vTh, p.vReset, p.v, j0, spikesA, spikesB, vTrace,
                    traceStride, traceAt);
        } else {
            SpikeRowKernels.lif(tile, from, to, p.tau, p.vTh, p.vReset, p.v, j0, spikesA, vTrace, traceStride,
                    traceAt);
        }
    }

    /**
     * The first step from which every neuron of the tile at {@code j0} has an arrival in each step of the chunk
     * ({@code c} where the last step has none).
     */
    private int arrivedFrom(Population p, int j0, int c) {
        int from = 0;
        for (int j = 0, m = Math.min(lanes, p.size - j0); j < m && from < c; j++) {
            // past afterLastZero every step has an arrival
            from = Math.max(from, afterLastZero[j0 + j]);
        }
        return from;
    }

    /**
     * The event engine's updates in steps {@code 0 .. steps - 1} of the tile at {@code j0}, whose membranes after each
     * step are in {@link #prefixTrace} (lane j at {@code t * 2 * lanes + traceAt + j}): a neuron is updated in a step
     * where input arrives or while it is active, and stays active after an update whose silent successor
     * {@code V - V/tau + silentX} reaches threshold or moves V ({@link SpikeRowKernels#lifCounted}'s rule, lane by
     * lane). The membranes are those of updating every neuron in every step: a dormant neuron's is a fixed point of
     * its silent update. Leaves each neuron's active flag after the steps.
     */
    private long countedSteps(Population p, int j0, int steps, int traceAt) {
        long n = 0;
        float tau = p.tau, vTh = p.vTh;
        for (int j = 0, m = Math.min(lanes, p.size - j0); j < m; j++) {
            boolean active = p.active[j0 + j] != 0f;
            float silent = p.silentX[j0 + j];
            // arrivals are kept up to the neuron's last step without one; every later step has one
            int row = (j0 + j) * MAX_CHUNK, arrivingFrom = afterLastZero[j0 + j];
            for (int t = 0; t < steps; t++) {
                boolean updated = active || t >= arrivingFrom || arrivals[row + t] != 0;
                n += updated ? 1 : 0;
                active = updated && staysActive(prefixTrace[t * 2 * lanes + traceAt + j], tau, silent, vTh);
            }
            p.active[j0 + j] = active ? 1f : 0f;
        }
        return n;
    }

    /**
     * The tile at {@code j0} ran its last {@code steps} steps with an arrival in each, through the clock kernel: each
     * of its neurons was updated in every one of them, and stays active where its silent successor
     * {@code V - V/tau + silentX} reaches threshold or moves V (as {@link SpikeRowKernels#lifCounted} decides); the
     * spikes of the counted steps before them ({@code before}, null for none) join {@code spikes}.
     */
    private void arrivedAfter(Population p, int j0, int steps, float[] before, float[] spikes) {
        int m = Math.min(lanes, p.size - j0);
        updates[p.index] += (long) m * steps;
        for (int j = 0; j < m; j++) {
            p.active[j0 + j] = staysActive(p.v[j0 + j], p.tau, p.silentX[j0 + j], p.vTh) ? 1f : 0f;
            if (before != null && before[j] != 0f) {
                // the first spike is the earlier steps', the last theirs too where the later steps had none
                spikes[lanes + j] = before[lanes + j];
                if (spikes[j] == 0f) {
                    spikes[2 * lanes + j] = before[2 * lanes + j];
                }
                spikes[j] += before[j];
            }
        }
    }

    /**
     * Whether a neuron updated to membrane {@code v} stays active: its silent successor {@code v - v/tau + silent}
     * reaches threshold or differs from {@code v} in a bit ({@link SpikeRowKernels#lifCounted}'s rule).
     */
    private static boolean staysActive(float v, float tau, float silent, float vTh) {
        float next = v - v / tau + silent;
        return next >= vTh || Float.floatToRawIntBits(next) != Float.floatToRawIntBits(v);
    }

    /**
     * The {@code [step][lane]} tile of neurons {@code j0 ..} of p from their input rows in {@code x}; lanes past the
     * population get zeros (no input, inactive, never counted).
     */
    private void tileIn(Population p, int j0, float[] into, int vectors, int width) {
        for (int j = Math.min(lanes, p.size - j0); j < lanes; j++) {
            int at = (j0 + j) * MAX_CHUNK;
            Arrays.fill(x, at, at + width, 0f);
        }
        for (int k = 0; k < vectors; k++) {
            SpikeRowKernels.transposeBlock(x, j0 * MAX_CHUNK + k * lanes, MAX_CHUNK, into, k * lanes * lanes, lanes);
        }
    }

    /**
     * The spikes of a tile back into the rows of neurons {@code j0 ..} of p; their counts and bounds from {@code n}
     * (as {@link #tileSpikes}).
     */
    private void tileOut(Population p, int j0, float[] spikes, float[] n, int c, int vectors, int width) {
        // steps past the chunk: no spike (their row entries are never read as this chunk's steps)
        Arrays.fill(spikes, c * lanes, width * lanes, 0f);
        for (int k = 0; k < vectors; k++) {
            SpikeRowKernels.transposeBlock(spikes, k * lanes * lanes, lanes, spikeScratch, k * lanes, MAX_CHUNK);
        }
        for (int j = 0; j < Math.min(lanes, p.size - j0); j++) {
            int g = p.offset + j0 + j;
            SpikeRowKernels.spikeRow(spikeScratch, j * MAX_CHUNK, rows, g * stride + history, width);
            spikeCounts[g] += (long) n[j];
            if (n[j] != 0f) {
                liveFirst[g] = Math.min(liveFirst[g], history + (int) n[lanes + j]);
                liveLast[g] = history + (int) n[2 * lanes + j];
            }
        }
    }

    /**
     * Lists the passes that fill the sums of group g's segments of {@code receptor} (0 or 1; zero before them,
     * {@link #accE}) ({@link SpikeRowKernels#sums}): each span of rows over the vectors of steps its spikes reach, for
     * every segment of the group. A spike at entry i arrives in step {@code i - H + d}, d between the group's shortest
     * and longest delay, so a row is read from its first spike's earliest arrival to its last spike's latest, and
     * vectors no row reaches keep the zero without reading one: a sample's silent start and tail, a layer whose input
     * has not begun, a neuron that fires in a part of the sample only. Rows that reach the same vectors share a span
     * (and one pass per segment). The segments of a group share its spans, so each span is split into blocks once and
     * its passes written for all segments in one loop: listed segment by segment, through a call per pass, the listing
     * had taken 7.6 % of the clock engine's time.
     */
    private void listPasses(Population p, int g, int receptor) {
        int m0 = p.memberStart[2 * g + receptor], m1 = p.memberStart[2 * g + receptor + 1];
        if (m0 == m1) {
            return;
        }
        int[] spans = p.spans[g];
        int neuronSpans = p.neuronSpans[g];
        for (int b = 0, n = neuronSpans + p.sourceSpans[g]; b < n; b++) {
            int q = 4 * b;
            passes.addForSegments(b < neuronSpans ? SumPasses.NEURON_ROWS : SumPasses.SOURCE_ROWS, receptor, spans[q],
                    spans[q + 1], spans[q + 2], spans[q + 3], lanes, p.memberBase, p.memberAt, m0, m1);
        }
    }

    /** The first vector of steps a spike at row entry {@code first} can reach (through delays of at least dMin). */
    private int reachFrom(int first, int dMin) {
        return Math.max(0, first - history + dMin) / lanes;
    }

    /** One past the last vector of steps a spike at entry {@code last} can reach (delays up to dMax); 0 for none. */
    private int reachTo(int last, int dMax, int vectors) {
        int step = last - history + dMax;
        return last < 0 || step < 0 ? 0 : Math.min(vectors, step / lanes + 1);
    }

    /**
     * ORs into {@code arrivals[at ..]} vector k of the chunk's steps from the rows of segment r (group g) whose spikes
     * reach it: those of the group's spans over k ({@link #listLiveSynapses}; a row outside every span reaches none).
     */
    private void orReaching(Population p, int r, int g, int k, int at) {
        int[] spans = p.spans[g];
        for (int b = 0, n = p.neuronSpans[g] + p.sourceSpans[g]; b < n; b++) {
            int q = 4 * b;
            if (spans[q + 2] <= k && k < spans[q + 3]) {
                SpikeRowKernels.orRows(rows, p.off, p.start[r], p.pos, spans[q], spans[q + 1], k * lanes, arrivals, at);
            }
        }
    }

    /**
     * Whether a synapse of segment r (in group g) may deliver a spike in a step of {@code [t, t + lanes)} of the chunk
     * where the sums so far are zero ({@code arrivals[at + tau - t] == 0}): the entries that step reads through the
     * segment's delays overlap those between the first and the last spike of the group's live rows. Where none does, a
     * zero sum means that nothing arrived and the rows need not be OR-ed: the silent start and tail of a sample.
     */
    private boolean mayArrive(Population p, int g, int r, int t, int c, int at) {
        int dMin = p.dMin[r], dMax = p.dMax[r];
        if (dMax < 0) {
            return false;
        }
        int first = p.spikeFirst[g], last = p.spikeLast[g], readable = history + c, end = Math.min(c, t + lanes);
        for (int tau = t; tau < end; tau++) {
            if (arrivals[at + tau - t] == 0) {
                int lo = Math.max(0, history + tau - dMax), hi = Math.min(readable, history + tau - dMin + 1);
                if (lo < hi && hi > first && lo <= last) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The first step of the chunk that a spike of group g can arrive in (through its shortest delay; past the chunk
     * for a group without synapses or spikes): zero sums before it are the usual ones (a sample's first steps, before
     * the BatchNorm shift arrives), where no synapse of the group delivered anything. A quicker, coarser test than
     * {@link #mayArrive}.
     */
    private int groupReach(Population p, int g) {
        if (p.groupDMax[g] < 0) {
            return Integer.MAX_VALUE;   // no synapse
        }
        return p.spikeFirst[g] == Integer.MAX_VALUE ? Integer.MAX_VALUE : p.spikeFirst[g] - history + p.groupDMin[g];
    }

    /**
     * Adds the source spikes past 127 in a step to population p's sums of this chunk, synapse by synapse: the rows
     * gave each such synapse {@code w * 127}, and integer sums do not care in which order the rest arrives. Arrivals
     * are already flagged, since the row holds 127.
     */
    private void addExcess(Population p, int c) {
        int lo = p.offset, hi = lo + p.size;
        int[] wf = net.weightFixed;
        for (int k = 0; k < excess; k++) {
            int g = excessSource[k];
            for (int s = net.rowStart[g]; s < net.rowStart[g + 1]; s++) {
                int t = net.target[s];
                long tau = excessStep[k] + net.delaySteps[s] - step;
                if (t >= lo && t < hi && tau >= 0 && tau < c) {
                    int[] acc = net.receptor[s] == 0 ? accE : accI;
                    acc[(t - lo) * MAX_CHUNK + (int) tau] += wf[s];
                }
            }
        }
    }

    private final float[] activeScratch = new float[64];

    /** The active flags of a tile's lanes (padding lanes inactive). */
    private float[] activeSlice(Population p, int j0) {
        for (int j = 0; j < lanes; j++) {
            activeScratch[j] = j0 + j < p.size ? p.active[j0 + j] : 0f;
        }
        return activeScratch;
    }

    private void copyBack(Population p, int j0) {
        for (int j = 0; j < lanes && j0 + j < p.size; j++) {
            p.active[j0 + j] = activeScratch[j];
        }
    }

    private void report(int c, Report report, boolean spikes, boolean states) {
        for (int tau = 0; tau < c; tau++) {
            int n = 0;
            if (spikes) {
                for (int g = 0; g < net.neuronCount; g++) {
                    if (rows[g * stride + history + tau] != 0) {
                        if (n == stepSpikes.length) {
                            stepSpikes = Arrays.copyOf(stepSpikes, 2 * n);
                        }
                        stepSpikes[n++] = g;
                    }
                }
                for (int k = chunkSourceStart[tau]; k < chunkSourceStart[tau + 1]; k++) {
                    if (n == stepSpikes.length) {
                        stepSpikes = Arrays.copyOf(stepSpikes, 2 * n);
                    }
                    stepSpikes[n++] = chunkSources[k];
                }
            }
            final int at = tau;
            StateSource src = !states ? null : (neurons, v, e, i) -> {
                for (int k = 0; k < neurons.length; k++) {
                    Population p = pops[net.neuronPopulation[neurons[k]]];
                    if (v != null) {
                        v[k] = p.trace[at * p.padded + neurons[k] - p.offset];
                    }
                }
                if (e != null) {
                    Arrays.fill(e, 0f);
                }
                if (i != null) {
                    Arrays.fill(i, 0f);
                }
            };
            report.step(step + tau, spikes ? stepSpikes : null, n, src);
        }
    }

    /** Membranes now (after the last step run), for monitors that read outside a report. */
    void readState(int[] neurons, float[] v) {
        for (int k = 0; k < neurons.length; k++) {
            Population p = pops[net.neuronPopulation[neurons[k]]];
            v[k] = p.v[neurons[k] - p.offset];
        }
    }
}
