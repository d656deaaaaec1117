package io.myelin.nir.run;

/**
 * One compiled node: reads {@link #in} (its predecessors' outputs summed, or a predecessor's output array itself when
 * it has exactly one), writes {@link #out} in place. Arrays are allocated once; every step reuses them.
 */
abstract class Op {
    final String key;
    final String type;
    final double[] out;
    double[] in;
    /** Indices (in evaluation order) of the predecessors, one per edge. */
    int[] preds = new int[0];
    /** Whether {@link #in} is a predecessor's {@link #out} read directly (single predecessor, not itself). */
    boolean aliased;

    // Activity counters over the run (see NirActivity).
    long acs;
    long macs;
    long spikes;
    long updates;

    Op(String key, String type, int inSize, int outSize) {
        this.key = key;
        this.type = type;
        this.in = new double[inSize];
        this.out = new double[outSize];
    }

    /** Computes this step's output from {@link #in}. */
    abstract void compute(Parallel par);

    /** Clears state (membranes, delay lines) and outputs. */
    void reset() {
        java.util.Arrays.fill(out, 0);
        acs = macs = spikes = updates = 0;
    }

    /** Synapses (stored weights) feeding this op, 0 if none. */
    long synapses() {
        return 0;
    }

    /** Fan-out of synaptic operations counted per non-zero input when the input is dense: for ANN MACs. */
    long denseMacsPerStep() {
        return 0;
    }

    /**
     * Counts one step's synaptic work: {@code ops} operations triggered by non-zero inputs; ACs when every non-zero
     * input was exactly 1 (a spike), MACs otherwise.
     */
    final void count(long ops, boolean binary) {
        if (binary) {
            acs += ops;
        } else {
            macs += ops;
        }
    }
}
