package io.myelin.core.engine;

import io.myelin.core.engine.event.StableIndexSort;

/**
 * The synapses of a {@link CompiledNetwork} regrouped for event-driven delivery: each presynaptic row is sorted by
 * delay (stably, so equal delays keep CSR order) and cut into runs of equal delay. A spike then schedules one event
 * per run rather than one per synapse; when a projection has one shared delay that is one event per spike.
 */
final class DelayRuns {
    /** Per synapse, in run order. */
    final int[] target;
    final double[] weight;
    final int[] weightFixed;
    final byte[] receptor;
    /** Synapses of run r: {@code runStart[r]..runStart[r+1]-1}; all arrive after {@code runDelay[r]}. */
    final int[] runStart;
    final double[] runDelay;
    /** Runs of presynaptic index i: {@code preRunStart[i]..preRunStart[i+1]-1}. */
    final int[] preRunStart;

    /**
     * @param inSteps group by {@code delaySteps} (discrete mode, delays in steps) rather than by the exact
     *                {@code delayMs}
     */
    DelayRuns(CompiledNetwork net, boolean inSteps) {
        int synapses = net.synapseCount();
        double[] key = new double[synapses];
        for (int s = 0; s < synapses; s++) {
            key[s] = inSteps ? net.delaySteps[s] : net.delayMs[s];
        }
        int[] order = new int[synapses];
        for (int s = 0; s < synapses; s++) {
            order[s] = s;
        }
        int maxRow = 0;
        for (int i = 0; i < net.totalCount; i++) {
            maxRow = Math.max(maxRow, net.rowStart[i + 1] - net.rowStart[i]);
        }
        int[] tmp = new int[maxRow];
        int runs = 0;
        for (int i = 0; i < net.totalCount; i++) {
            int from = net.rowStart[i], n = net.rowStart[i + 1] - from;
            if (n > 1 && !allEqual(key, from, n)) {
                StableIndexSort.sort(key, order, from, n, tmp);
            }
            for (int k = 0; k < n; k++) {
                if (k == 0 || key[order[from + k]] != key[order[from + k - 1]]) {
                    runs++;
                }
            }
        }
        target = new int[synapses];
        weight = new double[synapses];
        weightFixed = new int[synapses];
        receptor = new byte[synapses];
        runStart = new int[runs + 1];
        runDelay = new double[runs];
        preRunStart = new int[net.totalCount + 1];
        int r = 0;
        for (int i = 0; i < net.totalCount; i++) {
            preRunStart[i] = r;
            for (int at = net.rowStart[i]; at < net.rowStart[i + 1]; at++) {
                int s = order[at];
                if (at == net.rowStart[i] || key[s] != key[order[at - 1]]) {
                    runStart[r] = at;
                    runDelay[r] = key[s];
                    r++;
                }
                target[at] = net.target[s];
                weight[at] = net.weight[s];
                weightFixed[at] = net.weightFixed[s];
                receptor[at] = net.receptor[s];
            }
        }
        preRunStart[net.totalCount] = r;
        runStart[runs] = synapses;
    }

    private static boolean allEqual(double[] key, int from, int n) {
        for (int k = from + 1; k < from + n; k++) {
            if (key[k] != key[from]) {
                return false;
            }
        }
        return true;
    }

    int runCount() {
        return runDelay.length;
    }

    /** Smallest delay of any synapse (ms or steps); +infinity without synapses. */
    double minDelay() {
        double m = Double.POSITIVE_INFINITY;
        for (double d : runDelay) {
            m = Math.min(m, d);
        }
        return m;
    }

    /** Mean delay difference between successive runs of a presynaptic neuron; +infinity if no neuron has two runs. */
    double meanRunGap() {
        double sum = 0;
        long gaps = 0;
        for (int i = 0; i + 1 < preRunStart.length; i++) {
            int first = preRunStart[i], last = preRunStart[i + 1] - 1;
            if (last > first) {
                sum += runDelay[last] - runDelay[first];
                gaps += last - first;
            }
        }
        return gaps == 0 ? Double.POSITIVE_INFINITY : sum / gaps;
    }

    double maxDelay() {
        double m = 0;
        for (double d : runDelay) {
            m = Math.max(m, d);
        }
        return m;
    }
}
