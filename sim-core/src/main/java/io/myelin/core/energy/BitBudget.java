package io.myelin.core.energy;

import io.myelin.core.InvalidInputException;

/**
 * The "bit budget" of Shen, Zhao, Li, Li and Zeng, "Is Conventional SNN Really Efficient? A Perspective from Network
 * Quantization" (arXiv:2311.10802, CVPR 2024). Their point: T binary time steps carry the same information as
 * log2-many activation bits of a quantized ANN, so the fair cost of a layer is the product of what it spends in
 * weight precision, activation precision and time:
 *
 * <pre>  bit budget = b_w x b_a x T</pre>
 *
 * with b_w the stored weight width, b_a the width of one activation the layer consumes (1 for a binary spike, 32
 * for a float ANN activation, ceil(log2(max count + 1)) for spike counts) and T the number of time steps (1 for an
 * ANN evaluated once). A conventional SNN with float weights, binary spikes and T = 4 has 32 x 1 x 4 = 128; a
 * float ANN 32 x 32 x 1 = 1024; a 4-bit-weight SNN with T = 4 16.
 *
 * <p>For a whole network whose layers differ, Myelin reports the synapse-weighted mean of the layers' budgets
 * ({@link #networkBudget}), which equals the paper's single figure when all layers share b_w, b_a and T, and the
 * sum over layers of synapses x budget ({@link #bitOperations}), the bit-level work of one dense evaluation.
 */
public final class BitBudget {
    private BitBudget() {
    }

    /** b_w x b_a x T (bits x bits x steps). */
    public static long of(int weightBits, int activationBits, long timeSteps) {
        if (weightBits < 0 || activationBits < 0 || timeSteps < 0) {
            throw new InvalidInputException("bit budget: widths and time steps must be >= 0, got " + weightBits + ", "
                    + activationBits + ", " + timeSteps);
        }
        return (long) weightBits * activationBits * timeSteps;
    }

    /** Bits needed to hold integer activations 0..maxValue (a spike count): ceil(log2(maxValue + 1)), at least 1. */
    public static int bitsForCount(long maxValue) {
        if (maxValue < 0) {
            throw new InvalidInputException("bit width of a count: the maximum must be >= 0, got " + maxValue);
        }
        return Math.max(1, 64 - Long.numberOfLeadingZeros(maxValue));
    }

    /** Synapse-weighted mean of the layers' bit budgets (layers without synapses are left out); 0 if none. */
    public static double networkBudget(Iterable<LayerActivity> layers) {
        double num = 0;
        double den = 0;
        for (LayerActivity l : layers) {
            if (l.synapses() > 0 && l.weightBits() > 0) {
                num += (double) l.synapses() * l.bitBudget();
                den += l.synapses();
            }
        }
        return den == 0 ? 0 : num / den;
    }

    /** Sum over layers of synapses x bit budget: bit operations of one dense evaluation of a sample. */
    public static double bitOperations(Iterable<LayerActivity> layers) {
        double s = 0;
        for (LayerActivity l : layers) {
            s += (double) l.synapses() * l.bitBudget();
        }
        return s;
    }
}
