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
 * negated sums, see {@link NeuronState}): two sequential streams per spike. Where every presynaptic neuron's
 * synapses in a partition share one weight (CUBA: one excitatory and one inhibitory weight), the weight is kept once
 * per row instead: the scatter then reads one stream, which halves the synapse bytes it brings into cache.
 */
final class TargetPartitions {
    private final int[][] rowStart;
    private final int[][] offset;
    /** Per partition, each synapse's negated weight; null where its rows are uniform ({@link #rowWeight}). */
    private final int[][] weight;
    /** Per partition whose rows each share one weight, that negated weight per presynaptic index; else null. */
    private final int[][] rowWeight;

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
        rowWeight = new int[parts][];
        for (int t = 0; t < parts; t++) {
            rowWeight[t] = uniformRows(rowStart[t], weight[t]);
            if (rowWeight[t] != null) {
                weight[t] = null;
            }
        }
    }

    /** Each row's one weight where every row's synapses share one, else null. */
    private static int[] uniformRows(int[] rs, int[] w) {
        int[] row = new int[rs.length - 1];
        for (int pre = 0; pre < row.length; pre++) {
            if (rs[pre] < rs[pre + 1]) {
                row[pre] = w[rs[pre]];
            }
            for (int s = rs[pre]; s < rs[pre + 1]; s++) {
                if (w[s] != row[pre]) {
                    return null;
                }
            }
        }
        return row;
    }

    /** {@link #scatter} where each row has one weight. */
    private void scatterUniform(int part, int[] ring, int ringSize, int base, int[] spikes, int count) {
        final int[] rs = rowStart[part], off = offset[part], rw = rowWeight[part];
        if (base == 0) {
            for (int k = 0; k < count; k++) {
                int pre = spikes[k];
                int w = rw[pre];
                for (int s = rs[pre], end = rs[pre + 1]; s < end; s++) {
                    ring[off[s]] += w;
                }
            }
            return;
        }
        final int wrap = ringSize - base;
        for (int k = 0; k < count; k++) {
            int pre = spikes[k];
            int w = rw[pre];
            for (int s = rs[pre], end = rs[pre + 1]; s < end; s++) {
                int at = off[s] - wrap;
                if (at < 0) {
                    at += ringSize;
                }
                ring[at] += w;
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

    /** Whether partition {@code part} keeps one weight per row (for tests). */
    boolean uniformRows(int part) {
        return rowWeight[part] != null;
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
        final int[] rs = rowStart[part], off = offset[part], w = weight[part];
        if (w == null) {
            scatterUniform(part, ring, ringSize, base, spikes, count);
            return;
        }
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
}
