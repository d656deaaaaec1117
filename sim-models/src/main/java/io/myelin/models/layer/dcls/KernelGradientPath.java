package io.myelin.models.layer.dcls;

/** The ways a DCLS layer computes the gradient of its kernel coefficients, gathered at the input events. */
public enum KernelGradientPath {
    /** Vector rows over the live outputs of every tap ({@link TapRowKernelGradient}). */
    TAP_ROWS,
    /** Per synapse over its window taps, scalar sums ({@link SynapseGatherKernelGradient}). */
    SYNAPSE_GATHER,
    /** Per (input, tap) one sum over the input's events, the row of live outputs in registers ({@link BlockedKernelGradient}). */
    BLOCKED
}
