package io.myelin.core.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a network's {@link FixedPointScale} follows from its weights and its inputs, and the fixed-point weights at each
 * scale: the worst-case input of a (receptor, neuron) in one step is {@code sum |w| * m(pre)} over its synapses, where
 * {@code m} is the most spikes the presynaptic index emits in one step (1 for neurons and Poisson sources; counted for
 * spike-times sources). Sums run in presynaptic-index order, neurons first, so the part from the neurons can be kept
 * and only the sources' part recomputed when a source's spikes change ({@link CompiledNetwork#withSpikeTimes}); the
 * result is then the very number a fresh compile gives.
 */
final class FixedPointWeights {
    private final int[] rowStart, target;
    private final byte[] receptor;
    private final float[] weight;
    private final int neuronCount, totalCount;
    private double[] neuronSums;   // per receptor * N + neuron: the sum over neuron presynaptic indexes
    private double[] absWeight;    // |w| per synapse, as the sums take it
    private boolean[] consecutive; // per presynaptic index: its synapses reach consecutive neurons of one receptor
    private final Map<Integer, int[]> fixedByBits = new ConcurrentHashMap<>();

    FixedPointWeights(int[] rowStart, int[] target, byte[] receptor, float[] weight, int neuronCount, int totalCount) {
        this.rowStart = rowStart;
        this.target = target;
        this.receptor = receptor;
        this.weight = weight;
        this.neuronCount = neuronCount;
        this.totalCount = totalCount;
    }

    /** The scale for spike multiplicities {@code multiplicity[pre]} (global index). */
    FixedPointScale scale(int[] multiplicity) {
        double[] sum;
        synchronized (this) {
            if (neuronSums == null) {
                absWeight = new double[weight.length];
                for (int k = 0; k < weight.length; k++) {
                    absWeight[k] = Math.abs((double) weight[k]);
                }
                consecutive = new boolean[totalCount];
                for (int pre = 0; pre < totalCount; pre++) {
                    boolean c = true;
                    for (int k = rowStart[pre] + 1; k < rowStart[pre + 1] && c; k++) {
                        c = target[k] == target[k - 1] + 1 && receptor[k] == receptor[k - 1];
                    }
                    consecutive[pre] = c;
                }
                neuronSums = new double[2 * neuronCount];
                add(neuronSums, 0, neuronCount, null);
            }
            sum = neuronSums.clone();
        }
        add(sum, neuronCount, totalCount, multiplicity);
        double max = 0;
        for (double v : sum) {
            max = Math.max(max, v);
        }
        return FixedPointScale.forWorstCase(max);
    }

    private void add(double[] sum, int from, int to, int[] multiplicity) {
        final double[] a = absWeight;
        for (int pre = from; pre < to; pre++) {
            int m = multiplicity == null ? 1 : multiplicity[pre];
            int s0 = rowStart[pre], s1 = rowStart[pre + 1];
            if (consecutive[pre] && s1 > s0) {
                // each neuron still receives its terms in presynaptic order, each rounded alike: only vectorised
                SpikeRowKernels.addScaled(sum, receptor[s0] * neuronCount + target[s0], a, s0, s1 - s0, m);
            } else {
                for (int s = s0; s < s1; s++) {
                    sum[receptor[s] * neuronCount + target[s]] += a[s] * m;
                }
            }
        }
    }

    /** Every synapse's weight at {@code scale}, computed once per scale. Shared array: do not modify. */
    int[] fixed(FixedPointScale scale) {
        return fixedByBits.computeIfAbsent(scale.fractionalBits(), b -> {
            int[] f = new int[weight.length];
            for (int s = 0; s < f.length; s++) {
                f[s] = scale.toFixed(weight[s]);
            }
            return f;
        });
    }

    /** Spike multiplicities of every global index: 1 but for spike-times sources ({@code stepped}, by source index). */
    static int[] multiplicities(SteppedSpikes[] stepped, int totalCount) {
        int[] m = new int[totalCount];
        java.util.Arrays.fill(m, 1);
        for (SteppedSpikes s : stepped) {
            if (s != null) {
                s.maxPerStep(m);
            }
        }
        return m;
    }
}
