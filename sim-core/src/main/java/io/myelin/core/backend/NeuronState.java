package io.myelin.core.backend;

/**
 * The per-neuron state of the Java backend and the delay ring it reads, shared by the update kernels and the scatter.
 *
 * <p>The ring is {@code int[D][2][stride]} (slot, receptor, neuron) holding, per entry, the <em>negated</em> sum of the
 * fixed-point weights arriving then: {@code t = -sum}. A current then takes its input as {@code I - t·2^-bits}, which
 * equals {@code I + sum·2^-bits} when input arrived and, when none did ({@code t = +0}), leaves I exactly as it was
 * (also a -0 current), so the update needs no "did input arrive" test per neuron. {@code D} is the longest delay: the
 * slot read (and cleared) at the start of a step is the one that spikes of that same step fill for {@code D} steps
 * later. {@code stride} is the neuron count rounded up to whole cache lines, so the ranges of different threads never
 * share a cache line.
 *
 * <p>The synaptic currents are laid out like one slot of the ring, {@code float[2][stride]} (receptor, neuron), so that
 * a ring entry's offset in its slot is also the offset of the current it feeds. Where every population's receptors
 * feed currents and every delay is one step ({@code delivered}), the ring has one slot and the input is delivered
 * before the update by walking the synapses of the spikes that wrote it ({@link TargetPartitions#deliver}): a few
 * percent of the entries instead of all of them, and the update kernels then stream only V and the two currents.
 *
 * @param v                membrane potentials (mV); a refractory neuron's entry is meaningless until its release
 *                         (read V through {@link RefractoryNeurons#heldV})
 * @param current          synaptic currents in mV of their contribution to V: excitatory at {@code [i]}, inhibitory
 *                         at {@code [stride + i]}
 * @param refractory       1 while a neuron is refractory (held at V_reset), else 0 (see {@link RefractoryNeurons})
 * @param biasDrive        per neuron: LIF {@code bias·(1 - e^(-dt/τm))}, discrete LIF {@code bias} (mV per step)
 * @param uniformBias      per population: {@link #LINE} copies of its bias drive where all its neurons share it, else
 *                         null (the update then reads one cached line instead of a stream)
 * @param ring             the delay ring's negated fixed-point sums
 * @param stride           entries per receptor in one slot (&ge; neurons, a multiple of {@link #LINE})
 * @param inverse          2^-bits, the value of one fixed-point unit
 * @param delivered        whether the input is delivered into the currents before the update (then the update
 *                         kernels do not read the ring; it is all zero by then)
 */
record NeuronState(float[] v, float[] current, byte[] refractory, float[] biasDrive,
                   float[][] uniformBias, int[] ring, int stride, float inverse, boolean delivered) {
    /** 4-byte entries per 64-byte cache line. */
    static final int LINE = 16;

    /** {@code n} rounded up to whole cache lines of 4-byte entries. */
    static int padded(int n) {
        return (n + LINE - 1) / LINE * LINE;
    }
}
