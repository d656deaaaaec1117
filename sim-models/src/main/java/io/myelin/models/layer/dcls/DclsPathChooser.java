package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.WindowOps;

/**
 * Chooses how a DCLS layer computes each of its sums, by the cost model measured on AVX-512 with 25 taps, unless a
 * choice is forced (tests, benchmarks). With the Vector API a Gaussian (training) kernel's forward pass runs driven
 * by the input events over the kernel's tap rows and its input gradient blocked per (sample, input), a single-tap
 * kernel's (evaluation, fixed delays) forward pass windowed; without it the forward pass takes the cheaper of
 * feature-major and event scatter, and the input gradient shifted rows. The kernel gradient is always spike-driven: for
 * wide windows in registers with the Vector API, as rows in memory without.
 * Every path of a sum gives the same bits as the one it replaced, except the blocked kernel gradient (fused
 * multiply-adds where the tap rows round every product; both within float rounding of the formula). Immutable.
 */
public final class DclsPathChooser {
    /**
     * Below these mean windows (taps per synapse) the spike-driven forward pass and the kernel gradient run per
     * synapse with scalar code rather than as whole vector rows over all taps (measured crossovers).
     */
    private static final double FORWARD_BY_SYNAPSE_WINDOW = 6;
    private static final double KERNEL_GRADIENT_BY_SYNAPSE_WINDOW = 12;
    /**
     * How much dearer a term of the event-driven tap rows is than one of the blocked forward sums, by the size of the
     * kernel table the rows come from ({@code in x taps x padded out} floats). Re-measured at the floor sigma on a
     * 2-core AVX-512 machine: 0.75 to 1.0 for the SHD recipe's layers (tables up to 6.5 MB; trained and untrained
     * spikes) and the SSC recipe's first layer (9 MB); for SSC's 512-wide hidden layers (32 MB, past a core's share of
     * the third-level cache) above 1.4 while every sample read the whole table, 1.0 since the tap rows run in cache
     * tiles (one thread, SIG 0.23: 0.46 s against the blocked 0.54 s at 9.5 % input density, 0.72 against 0.52 at 15 %,
     * the tap rows' time in proportion to the density). Both paths give the same bits, so the choice changes only the
     * speed.
     */
    private static final double TAP_ROWS_COST = 0.8;
    private static final double LARGE_TABLE_TAP_ROWS_COST = 1.0;
    /** Tables above this many bytes count as large. */
    private static final long LARGE_TABLE_BYTES = 16L << 20;

    private final boolean vectorized;
    private final ForwardPath forward;
    private final KernelGradientPath kernelGradient;
    private final InputGradientPath inputGradient;

    private DclsPathChooser(boolean vectorized, ForwardPath forward, KernelGradientPath kernelGradient,
                            InputGradientPath inputGradient) {
        this.vectorized = vectorized;
        this.forward = forward;
        this.kernelGradient = kernelGradient;
        this.inputGradient = inputGradient;
    }

    /** Every choice by cost, windowed where the Vector API is on in this JVM ({@link WindowOps#vectorized()}). */
    public static DclsPathChooser byCost() {
        return byCost(WindowOps.vectorized());
    }

    /** Every choice by cost, as with ({@code true}) or without ({@code false}) the Vector API. */
    public static DclsPathChooser byCost(boolean vectorized) {
        return new DclsPathChooser(vectorized, null, null, null);
    }

    /** Every choice forced. */
    public static DclsPathChooser forced(ForwardPath forward, KernelGradientPath kernelGradient,
                                        InputGradientPath inputGradient) {
        return byCost().with(forward).with(kernelGradient).with(inputGradient);
    }

    /** This chooser with the forward pass forced ({@code null}: by cost). */
    public DclsPathChooser with(ForwardPath path) {
        return new DclsPathChooser(vectorized, path, kernelGradient, inputGradient);
    }

    /** This chooser with the kernel gradient forced ({@code null}: by cost). */
    public DclsPathChooser with(KernelGradientPath path) {
        return new DclsPathChooser(vectorized, forward, path, inputGradient);
    }

    /** This chooser with the input gradient forced ({@code null}: by cost). */
    public DclsPathChooser with(InputGradientPath path) {
        return new DclsPathChooser(vectorized, forward, kernelGradient, path);
    }

    /** The forward pass over this input with this kernel. */
    public ForwardPath forward(DclsKernel kernel, DclsEventLayout layout) {
        if (forward != null) {
            return forward;
        }
        if (vectorized) {
            if (kernel.singleTap()) {
                return ForwardPath.WINDOWED;
            }
            // per sample and fired input every window tap over all output steps, against every event over every
            // tap, whose loads come from the kernel table (measured TAP_ROWS_COST times as dear per term, more when
            // the table outgrows the caches)
            double blocked = (double) layout.firedPairs() * kernel.meanWindow() * layout.outSteps();
            long tableBytes = 4L * kernel.in * kernel.taps * WindowOps.padded(kernel.out);
            boolean large = tableBytes > LARGE_TABLE_BYTES;
            double cost = large ? LARGE_TABLE_TAP_ROWS_COST : TAP_ROWS_COST;
            double tapRows = cost * layout.eventCount() * kernel.taps;
            // a table past the caches is read in tiles; one that fits is faster without them (fewer passes)
            return blocked < tapRows ? ForwardPath.BLOCKED : large ? ForwardPath.EVENT_TAP_TILES
                    : ForwardPath.EVENT_TAP_ROWS;
        }
        // Scattering costs `taps` passes over the outputs per input event; the feature-major path costs one pass over
        // all (t, b) positions per synapse window tap: take the cheaper.
        int rows = layout.steps * layout.batch;
        if ((double) layout.eventCount() * kernel.taps > kernel.meanWindow() * rows * kernel.in) {
            return ForwardPath.FEATURE_MAJOR;
        }
        // per synapse: about meanWindow scalar operations per event and output; as rows: about taps / 16, but with
        // more memory traffic
        return kernel.meanWindow() < FORWARD_BY_SYNAPSE_WINDOW ? ForwardPath.SYNAPSE_SCATTER
                : ForwardPath.TAP_ROW_SCATTER;
    }

    /** The kernel gradient with this kernel. */
    public KernelGradientPath kernelGradient(DclsKernel kernel) {
        if (kernelGradient != null) {
            return kernelGradient;
        }
        if (kernel.meanWindow() < KERNEL_GRADIENT_BY_SYNAPSE_WINDOW) {
            return KernelGradientPath.SYNAPSE_GATHER;
        }
        return vectorized ? KernelGradientPath.BLOCKED : KernelGradientPath.TAP_ROWS;
    }

    /** The input gradient with this kernel. */
    public InputGradientPath inputGradient(DclsKernel kernel) {
        if (inputGradient != null) {
            return inputGradient;
        }
        if (!vectorized) {
            return InputGradientPath.SHIFTED_ROWS;
        }
        return InputGradientPath.BLOCKED;
    }
}
