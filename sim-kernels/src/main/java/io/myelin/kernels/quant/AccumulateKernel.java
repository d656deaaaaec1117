package io.myelin.kernels.quant;

import com.aparapi.Kernel;

/**
 * {@link IntegerOps#accumulate} as an Aparapi kernel: one work-item per (row, output) pair, flat index
 * {@code row * outputs + output}. Each work-item walks the inputs and, per input, the {@link #levels} virtual binary
 * time steps, adding the weight on every step the input spikes: additions only, as spike-driven hardware would.
 *
 * <p>Weights arrive transposed ({@code [in][out]}) so that neighbouring work-items (neighbouring outputs of one row)
 * read neighbouring weights: coalesced on a GPU, vector loads on a CPU device. Arrays may be longer than the current
 * shape needs (they are reused across calls); work-items past {@link #items} do nothing.
 */
final class AccumulateKernel extends Kernel {
    int inputs;
    int outputs;
    int levels;
    /** {@code rows * outputs}; 0 turns a launch into a no-op. */
    int items;

    /** {@code [in][out]}. */
    int[] weightsT = new int[1];
    /** {@code [rows][in]}. */
    int[] counts = new int[1];
    /** {@code [rows][out]}. */
    int[] acc = new int[1];

    @Override
    public void run() {
        int gid = getGlobalId();
        if (gid < items) {
            int row = gid / outputs;
            int o = gid - row * outputs;
            int countBase = row * inputs;
            int sum = 0;
            for (int i = 0; i < inputs; i++) {
                int c = counts[countBase + i];
                // Silent inputs (most of them) skip the step loop; it would add nothing.
                if (c != 0) {
                    int w = weightsT[i * outputs + o];
                    for (int step = 1; step <= levels; step++) {
                        if (c >= step) {
                            sum += w;
                        }
                    }
                }
            }
            acc[gid] = sum;
        }
    }
}
