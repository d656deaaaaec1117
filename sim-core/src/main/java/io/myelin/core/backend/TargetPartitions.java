package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;

/**
 * The synapses split by which thread owns their target: partition {@code t} holds, in CSR by presynaptic index, the
 * synapses whose target lies in neuron range {@code t}. The thread owning a range then scatters every spike's
 * synapses into that range only, so no two threads ever write the same ring entry (no atomics, no shared cache
 * lines when ranges are whole cache lines) and the entries it writes are the ones it reads in its own update.
 *
 * <p>Each synapse is stored as the offset of its ring entry relative to the current slot,
 * {@code (delay mod slots)·slotSize + receptor·stride + target}, and its negated fixed-point weight (the ring holds
 * negated sums, see {@link NeuronState}): two sequential streams of 4-byte entries per spike.
 *
 * <p>Compact rows. Where, in a partition of at most 65,536 neurons, each presynaptic neuron's synapses share one
 * weight, one delay and one receptor (CUBA: a neuron is excitatory or inhibitory, every delay one step), the weight
 * and the entry of the partition's first neuron are kept once per row and each synapse is only its target's 2-byte
 * index in the partition: a quarter of the bytes the scatter brings into cache per synaptic event, and the wrap
 * around the ring is computed once per row.
 */
final class TargetPartitions {
    /** Neurons a partition may have for its targets to be kept as 2-byte indices. */
    private static final int COMPACT_RANGE = 1 << 16;

    private final int[][] rowStart;
    /** Per partition, each synapse's entry offset; null where its rows are compact. */
    private final int[][] offset;
    /** Per partition, each synapse's negated weight; null where its rows are compact. */
    private final int[][] weight;
    /** Per partition with compact rows (else null): per presynaptic index, the negated weight of its synapses. */
    private final int[][] rowWeight;
    /** ... the entry offset of the partition's first neuron in its synapses' slot and receptor. */
    private final int[][] rowBase;
    /** ... per synapse, its target's index in the partition. */
    private final char[][] localTarget;
    /**
     * Per partition, {@link #WARMTH_APART} apart so that threads never write one cache line: a sum of the loads of
     * {@link #warmRows}, kept so that the compiler keeps them; never read.
     */
    private final int[] warmth;
    private static final int WARMTH_APART = 16;

    /**
     * @param rangeStart neuron ranges, partition t being {@code [rangeStart[t], rangeStart[t+1])}
     * @param stride     ring entries per receptor in a slot
     * @param slots      slots of the ring
     */
    TargetPartitions(CompiledNetwork net, int[] rangeStart, int stride, int slots) {
        int parts = rangeStart.length - 1;
        int total = net.totalCount;
        int n = net.neuronCount;
        long slotSize = 2L * stride;   // the ring (slots of this size) was allocated, so every offset fits an int
        byte[] partOf = new byte[0];
        int[] partOfWide = null;
        if (parts <= Byte.MAX_VALUE) {
            partOf = new byte[n];
            for (int t = 0; t < parts; t++) {
                java.util.Arrays.fill(partOf, rangeStart[t], rangeStart[t + 1], (byte) t);
            }
        } else {
            partOfWide = new int[n];
            for (int t = 0; t < parts; t++) {
                java.util.Arrays.fill(partOfWide, rangeStart[t], rangeStart[t + 1], t);
            }
        }
        rowStart = new int[parts][total + 1];
        final int[] csr = net.rowStart, target = net.target;
        for (int pre = 0; pre < total; pre++) {
            for (int s = csr[pre]; s < csr[pre + 1]; s++) {
                int t = partOfWide == null ? partOf[target[s]] : partOfWide[target[s]];
                rowStart[t][pre + 1]++;
            }
        }
        offset = new int[parts][];
        weight = new int[parts][];
        for (int t = 0; t < parts; t++) {
            int[] rs = rowStart[t];
            for (int pre = 0; pre < total; pre++) {
                rs[pre + 1] += rs[pre];
            }
            offset[t] = new int[rs[total]];
            weight[t] = new int[rs[total]];
        }
        int[] fill = new int[parts];
        for (int pre = 0; pre < total; pre++) {
            for (int t = 0; t < parts; t++) {
                fill[t] = rowStart[t][pre];
            }
            for (int s = csr[pre]; s < csr[pre + 1]; s++) {
                int tg = target[s];
                int t = partOfWide == null ? partOf[tg] : partOfWide[tg];
                int k = fill[t]++;
                offset[t][k] = (int) (net.delaySteps[s] % slots * slotSize + net.receptor[s] * (long) stride + tg);
                weight[t][k] = -net.weightFixed[s];
            }
        }
        warmth = new int[parts * WARMTH_APART];
        rowWeight = new int[parts][];
        rowBase = new int[parts][];
        localTarget = new char[parts][];
        for (int t = 0; t < parts; t++) {
            if (rangeStart[t + 1] - rangeStart[t] <= COMPACT_RANGE) {
                compact(t, rangeStart[t], stride);
            }
        }
    }

    /**
     * Keeps partition {@code t}'s rows compact where each row's synapses share weight, slot and receptor; its offsets
     * and weights are then dropped. An offset is {@code slot·2·stride + receptor·stride + target}, so the target is the
     * offset modulo the stride and the rest names slot and receptor.
     */
    private void compact(int t, int lo, int stride) {
        final int[] rs = rowStart[t], off = offset[t], w = weight[t];
        final int total = rs.length - 1;
        int[] rowW = new int[total], rowB = new int[total];
        char[] local = new char[off.length];
        for (int pre = 0; pre < total; pre++) {
            for (int s = rs[pre]; s < rs[pre + 1]; s++) {
                int target = off[s] % stride;
                int base = off[s] - target + lo;
                if (s == rs[pre]) {
                    rowW[pre] = w[s];
                    rowB[pre] = base;
                } else if (w[s] != rowW[pre] || base != rowB[pre]) {
                    return;
                }
                local[s] = (char) (target - lo);
            }
        }
        rowWeight[t] = rowW;
        rowBase[t] = rowB;
        localTarget[t] = local;
        offset[t] = null;
        weight[t] = null;
    }

    /** Whether partition {@code part} keeps compact rows (for tests). */
    boolean compactRows(int part) {
        return localTarget[part] != null;
    }

    /** Number of partitions. */
    int size() {
        return rowStart.length;
    }

    /**
     * Adds the weights of partition {@code part}'s synapses of {@code spikes[0..count)} into the ring.
     *
     * @param base     index of the first entry of the current step's slot
     * @param ringSize entries in the ring (offsets past it wrap around)
     */
    void scatter(int part, int[] ring, int ringSize, int base, int[] spikes, int count) {
        warmRows(part, spikes, count);
        if (localTarget[part] != null) {
            scatterCompact(part, ring, ringSize, base, spikes, count);
            return;
        }
        final int[] rs = rowStart[part], off = offset[part], w = weight[part];
        if (base == 0) {
            // Every step of a ring of one slot (all delays one step, as in CUBA) and one step in D of others.
            for (int k = 0; k < count; k++) {
                int pre = spikes[k];
                for (int s = rs[pre], end = rs[pre + 1]; s < end; s++) {
                    ring[off[s]] += w[s];
                }
            }
            return;
        }
        // offset - (ringSize - base) cannot overflow, unlike base + offset on a ring of over 2^30 entries.
        final int wrap = ringSize - base;
        for (int k = 0; k < count; k++) {
            int pre = spikes[k];
            for (int s = rs[pre], end = rs[pre + 1]; s < end; s++) {
                int at = off[s] - wrap;
                if (at < 0) {
                    at += ringSize;
                }
                ring[at] += w[s];
            }
        }
    }

    /**
     * Reads every spike's synapse row, one entry per 64 bytes from its start, before any row is used. A spike's row lies
     * at a random place in arrays of megabytes; read in turn, each row would wait for memory after the one before.
     * These loads do not depend on each other, so the processor has them all in flight at once.
     */
    private void warmRows(int part, int[] spikes, int count) {
        if (count < 2) {
            return;
        }
        final int[] rs = rowStart[part];
        int touched = 0;
        if (localTarget[part] != null) {
            final char[] local = localTarget[part];
            for (int k = 0; k < count; k++) {
                int pre = spikes[k];
                for (int s = rs[pre], end = rs[pre + 1]; s < end; s += 32) {   // 32 chars to a 64-byte line
                    touched += local[s];
                }
            }
        } else {
            final int[] off = offset[part], w = weight[part];
            for (int k = 0; k < count; k++) {
                int pre = spikes[k];
                for (int s = rs[pre], end = rs[pre + 1]; s < end; s += 16) {
                    touched += off[s] + w[s];
                }
            }
        }
        warmth[part * WARMTH_APART] = touched;
    }

    /** {@link #scatter} of a partition with compact rows. */
    private void scatterCompact(int part, int[] ring, int ringSize, int base, int[] spikes, int count) {
        final int[] rs = rowStart[part], rw = rowWeight[part], rb = rowBase[part];
        final char[] local = localTarget[part];
        final int wrap = ringSize - base;
        for (int k = 0; k < count; k++) {
            int pre = spikes[k];
            int w = rw[pre];
            int at = rb[pre] - wrap;   // a row's entries lie in one slot and receptor: it wraps as a whole
            if (at < 0) {
                at += ringSize;
            }
            for (int s = rs[pre], end = rs[pre + 1]; s < end; s++) {
                ring[at + local[s]] += w;
            }
        }
    }

    /**
     * Delivers the input that partition {@code part}'s synapses of {@code spikes[0..count)} wrote into a ring of one
     * slot: for each, {@code current[e] = current[e] - ring[e]·inverse} and {@code ring[e] = 0}, with {@code e} its
     * entry. This is the operation the update kernels do for every entry, done only for entries that can hold input; an
     * entry met again (several synapses onto one target, duplicate source spikes) is zero by then and adds
     * {@code - (+0)}, which changes no current, so the result is bit for bit that of the full pass.
     *
     * @param current the currents, laid out like a slot of the ring (see {@link NeuronState})
     */
    void deliver(int part, int[] ring, float[] current, float inverse, int[] spikes, int count) {
        if (localTarget[part] != null) {
            deliverCompact(part, ring, current, inverse, spikes, count);
            return;
        }
        final int[] rs = rowStart[part], off = offset[part];
        for (int k = 0; k < count; k++) {
            int pre = spikes[k];
            for (int s = rs[pre], end = rs[pre + 1]; s < end; s++) {
                int e = off[s];
                current[e] = current[e] - ring[e] * inverse;
                ring[e] = 0;
            }
        }
    }

    /** {@link #deliver} of a partition with compact rows. */
    private void deliverCompact(int part, int[] ring, float[] current, float inverse, int[] spikes, int count) {
        final int[] rs = rowStart[part], rb = rowBase[part];
        final char[] local = localTarget[part];
        for (int k = 0; k < count; k++) {
            int pre = spikes[k];
            int base = rb[pre];
            for (int s = rs[pre], end = rs[pre + 1]; s < end; s++) {
                int e = base + local[s];
                current[e] = current[e] - ring[e] * inverse;
                ring[e] = 0;
            }
        }
    }
}
