package io.myelin.models.layer.dcls;

/** The ways a DCLS layer computes its forward sums; every one gives the same output within float rounding. */
public enum ForwardPath {
    /** Dense vector rows over each synapse's window, four synapses at a time ({@link WindowedForward}). */
    WINDOWED,
    /** Shifted input rows added per (input, tap) into every output that has the tap ({@link FeatureMajorForward}). */
    FEATURE_MAJOR,
    /** Each input event times the kernel's rows over the outputs, per tap ({@link TapRowScatterForward}). */
    TAP_ROW_SCATTER,
    /** Each input event times each synapse's few window taps, per output ({@link SynapseScatterForward}). */
    SYNAPSE_SCATTER,
    /**
     * Each output row sums, in registers, the kernel's rows (all outputs, per tap) of the input events that reach it
     * ({@link EventTapRowForward}); the bits of {@link #WINDOWED}.
     */
    EVENT_TAP_ROWS,
    /**
     * {@link #EVENT_TAP_ROWS} in cache tiles, so that a kernel table larger than the caches is read once per group of
     * samples instead of once per sample ({@link TiledEventTapRowForward}); the bits of {@link #WINDOWED}.
     */
    EVENT_TAP_TILES,
    /**
     * Per (sample, output) one sum over the window taps of the synapses from the inputs that fired, the time row in
     * registers ({@link BlockedForward}); the bits of {@link #WINDOWED}.
     */
    BLOCKED,
    /**
     * Each input event times every synapse's whole window, one vector per (event, synapse), into the outputs' time
     * columns ({@link EventWindowForward}); the bits of {@link #WINDOWED}.
     */
    EVENT_WINDOWS
}
