package io.myelin.core.engine;

import java.util.Arrays;

/**
 * The passes of one population's sums through a chunk ({@link SpikeRowKernels#sums}), listed by kernel. A pass reads
 * the live synapses of one span of a segment over a block of up to eight vectors of steps and adds them into that
 * segment's sums. Passes over the same kind of row into the same receptor's sums with the same block width are listed
 * together, so each kernel is called once per list and runs its passes one after another.
 *
 * <p>Why lists: on the exported spoken-digits network a chunk holds about six passes per neuron of 30 synapses each.
 * One call per pass through the kernel table (an interface call whose target changes from call to call, a frame, the
 * set-up of the loop) made the engines' sums about a sixth slower per vector than {@code eval}'s, which calls its
 * kernels once per neuron over whole rows.
 */
final class SumPasses {
    /**
     * Ints per pass: the first and end position of its synapses ({@code pos[k]}, {@code k} in {@code [k0, k1)}), the
     * segment's first synapse ({@code s = base + pos[k]}), the pass's first step in the chunk ({@code t}, a multiple of
     * the lanes) and where its sums start ({@code acc[at ..]}, the segment's sums plus {@code t}).
     */
    static final int FIELDS = 5;
    /** Rows of neurons: -1 in a step with a spike, so a synapse adds {@code w & row}. */
    static final int NEURON_ROWS = 0;
    /** Rows of sources: spike counts, so a synapse adds {@code w * row}. */
    static final int SOURCE_ROWS = 1;
    /**
     * Widest block of vectors one pass sums. Every width up to this has its kernel: a padded vector costs a load and
     * an add per synapse, and another pass reloads every synapse's position, weight and row offset.
     */
    static final int MAX_WIDTH = 8;
    private static final int LISTS = 2 * 2 * (MAX_WIDTH + 1);

    private final int[][] lists = new int[LISTS][];
    private final int[] ends = new int[LISTS];

    SumPasses() {
        for (int k = 0; k < LISTS; k++) {
            lists[k] = new int[16 * FIELDS];
        }
    }

    /** The list of passes over rows of {@code kind} into the sums of {@code receptor} (0 or 1) with block {@code width}. */
    static int list(int kind, int receptor, int width) {
        return (kind * 2 + receptor) * (MAX_WIDTH + 1) + width;
    }

    /** Forgets every pass. */
    void clear() {
        Arrays.fill(ends, 0);
    }

    /**
     * Adds the passes of one span: synapses {@code pos[k0 .. k1)} of the segment starting at synapse {@code base}, read
     * over vectors {@code [v0, v1)} of {@code lanes} steps, into the sums at {@code acc[at ..]}, in blocks of at most
     * {@link #MAX_WIDTH} vectors: {@link #addForSegments} for one segment.
     */
    void add(int kind, int receptor, int k0, int k1, int base, int v0, int v1, int at, int lanes) {
        addForSegments(kind, receptor, k0, k1, v0, v1, lanes, new int[]{base}, new int[]{at}, 0, 1);
    }

    /**
     * Adds the passes of one span of several segments: synapses {@code pos[k0 .. k1)} over vectors {@code [v0, v1)} of
     * {@code lanes} steps, in blocks of at most {@link #MAX_WIDTH} vectors, for segments {@code m} in {@code [m0, m1)},
     * whose first synapse is {@code base[m]} and whose sums start at {@code acc[at[m] ..]}; block by block, each
     * block's passes in segment order.
     */
    void addForSegments(int kind, int receptor, int k0, int k1, int v0, int v1, int lanes, int[] base, int[] at, int m0,
                        int m1) {
        int count = m1 - m0;
        for (int v = v0; v < v1; ) {
            int width = Math.min(v1 - v, MAX_WIDTH), t = v * lanes;
            int list = list(kind, receptor, width), end = ends[list];
            int[] a = lists[list];
            if (end + count * FIELDS > a.length) {
                a = lists[list] = Arrays.copyOf(a, Math.max(2 * a.length, end + count * FIELDS));
            }
            for (int m = m0; m < m1; m++, end += FIELDS) {
                a[end] = k0;
                a[end + 1] = k1;
                a[end + 2] = base[m];
                a[end + 3] = t;
                a[end + 4] = at[m] + t;
            }
            ends[list] = end;
            v += width;
        }
    }

    /** The passes of list {@code list} ({@link #list}): {@link #FIELDS} ints each, up to {@link #end}. */
    int[] passes(int list) {
        return lists[list];
    }

    /** One past the last int of list {@code list}'s passes (0: none). */
    int end(int list) {
        return ends[list];
    }
}
