package io.myelin.models.layer.dcls;

/** The ways a DCLS layer computes the gradient of its input. */
public enum InputGradientPath {
    /** Dense vector rows over each synapse's window, four synapses at a time ({@link WindowedInputGradient}). */
    WINDOWED,
    /** The output gradient copied once per tap, shifted, and added per window ({@link ShiftedRowInputGradient}). */
    SHIFTED_ROWS,
    /**
     * Per (sample, kept input) one sum over every synapse's window taps, the time row in registers
     * ({@link BlockedInputGradient}); the bits of {@link #WINDOWED}.
     */
    BLOCKED,
    /**
     * Through the discrete Fourier transform over time, a complex matrix product per frequency
     * ({@link SpectralInputGradient}): within float rounding of the direct sums, not their bits.
     */
    SPECTRAL
}
