package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.WindowScatters;

/**
 * Chooses how a DCLS layer computes each of its sums, by the cost model measured on AVX-512 with 25 taps, unless a
 * choice is forced (tests, benchmarks). With the Vector API a Gaussian (training) kernel's forward pass runs driven
 * by the input events over the kernel's tap rows and its input gradient blocked per (sample, input), a single-tap
 * kernel's (evaluation, fixed delays) forward pass windowed; without it the forward pass takes the cheaper of
 * feature-major and event scatter, and the input gradient shifted rows. The kernel gradient is always spike-driven:
 * with the Vector API in registers unless the windows are narrow and the inputs' events few, without it as rows in
 * memory for wide windows; otherwise per synapse.
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
     * With the Vector API the blocked kernel gradient ({@code BLOCKED}) wins from a mean window of about 4 taps: per
     * synapse ({@code SYNAPSE_GATHER}) runs only below it, and only where the inputs have few events in the batch,
     * which leaves the blocked pass's work over every (input, tap, output) of the batch little to spread over. Measured
     * in alternating {@code bench train} runs (2 threads, SHD recipe unless named; samples/s, per synapse against
     * blocked): windows of about 13 taps (sigma 2.2) 395 against 642; of about 4.6 (sigma 0.77) 646 against 780 at
     * batch 256, 630 against 725 at batch 64, and at the SSC recipe's batch of 128 (sigma 0.99) 57.9 against 77.0; of
     * 3 taps (sigma 0.5) the gather won at batch 64 (714 against 680; 380-550 events per input) and lost at batch
     * 256 (692 against 773; 1,640-2,160) and at SSC's batch of 128 (95.0 against 98.3; 1,100-2,040). Since the
     * three-tap windows are gathered for four synapses at once on vectors ({@link
     * io.myelin.models.tensor.ThreeTapGathers}), the gather wins there too (2-vCPU Zen 3, SIG 0.23, alternating, the
     * path forced; backward seconds): SSC's 512 x 512 layers 2.2-2.7 and 2.4-3.6 s against 2.5-2.7 and 3.2 per 4
     * batches in five runs of six, SHD's first hidden layer at batch 256 1.6-1.9 against 1.8-2.0 per 8 batches (whole
     * steps at batch 256 level with the old choice).
     */
    private static final double GATHER_MAX_WINDOW = 4;
    private static final double GATHER_MAX_EVENTS_PER_INPUT = 2_500;
    /**
     * Those crossovers were measured on the recipes' layers (140 x 256 to 512 x 512 synapses); smaller layers keep
     * the 12-tap rule they had before, and with it their training's bits (the two paths round differently).
     */
    private static final long BLOCKED_RULE_MIN_SYNAPSES = 128 * 128;
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
    /**
     * The input gradient's costs (ns per vector term), measured on the 2-vCPU Zen 4 VM: the direct sums one input at a
     * time over its own windows (SIG 0.23, one thread: 1.13 at SSC's 512 x 512 x 31, batch 128; 1.0-1.3 at SHD's
     * 256 x 256 x 25, batches 64 and 256), four at a time over every tap (0.31 at SIG 15), and the transform's sums
     * per multiply-add vector of {@link SpectralInputGradient#vectorOps}: 0.69-0.78 alone on one thread, but in
     * training on two threads, where it streams more memory than the direct sums and gains less from the second core,
     * it cost as much as the direct sums at SSC's SIG 0.7 (windows of about 6 taps) and more at 0.53 and the floor
     * (`bench train --profile`, the path forced, alternating), and at SHD's 256 x 256 x 25 at SIG 12.27 no less
     * (the first hidden layer's backward pass 1.60-1.78 s against 1.67 per 16 batches of 64, 6.50-7.17 against
     * 6.27-6.45 of 256): hence 1.8, which leaves SHD's layers the direct sums. At SSC's it won from SIG 1.62 up (47.4
     * against 35.1 samples/s; at SIG 2.82 42.4 against 27.9).
     */
    private static final double DIRECT_NS_PER_TERM = 1.1;
    private static final double DIRECT_QUAD_NS_PER_TERM = 0.31;
    private static final double SPECTRAL_NS_PER_OP = 1.8;
    /**
     * Layers of at most this many vectors of outputs take the event windows or the blocked sums, never the tap rows.
     * Measured at SIG 0.23, one thread, 96 steps, 2-vCPU Zen 3 (ms per batch, event windows / blocked / tap rows):
     * SHD's readout (256 inputs, 20 outputs, batch 64) 6.7 / 12.8 / 14.5 at 6.5 % dense input and 13.9 / 15.2 / 54.2
     * at 15 %; SSC's (512 inputs, 35 outputs, batch 128, 8 %) 47.9 / 76.2 / 137.4. For 256 outputs the event windows
     * were level with the tap rows (the read-modify-write of a column costs about what the tap rows' zero lanes do).
     */
    private static final int NARROW_LAYER_VECTORS = 4;
    /**
     * What an event window costs (one vector read, multiply-added and written back per event and output) in terms of
     * the blocked sums' vector terms: 2.5-3.4 in the three readout figures above.
     */
    private static final double WINDOW_COST = 3.0;
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
            if (kernel.out <= NARROW_LAYER_VECTORS * WindowOps.lanes() && kernel.maxWindow() <= WindowScatters.chunk()) {
                // a narrow layer's tap rows are a few vectors each, and their per-term overhead costs more than the
                // vectors: the event windows (one read-modify-write per event and output) or the blocked sums
                double windows = WINDOW_COST * layout.eventCount() * WindowOps.lanes();
                return windows < blocked ? ForwardPath.EVENT_WINDOWS : ForwardPath.BLOCKED;
            }
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

    /** The kernel gradient with this kernel over this input. */
    public KernelGradientPath kernelGradient(DclsKernel kernel, DclsEventLayout layout) {
        if (kernelGradient != null) {
            return kernelGradient;
        }
        if (!vectorized || (long) kernel.in * kernel.out < BLOCKED_RULE_MIN_SYNAPSES) {
            // the 12-tap rule: per synapse below it; above, in registers with the Vector API, rows in memory without
            if (kernel.meanWindow() < KERNEL_GRADIENT_BY_SYNAPSE_WINDOW) {
                return KernelGradientPath.SYNAPSE_GATHER;
            }
            return vectorized ? KernelGradientPath.BLOCKED : KernelGradientPath.TAP_ROWS;
        }
        boolean fewEvents = layout.eventCount() < GATHER_MAX_EVENTS_PER_INPUT * kernel.in;
        return kernel.meanWindow() < GATHER_MAX_WINDOW && fewEvents ? KernelGradientPath.SYNAPSE_GATHER
                : KernelGradientPath.BLOCKED;
    }

    /** The input gradient with this kernel, not knowing the batch: {@link #inputGradient(DclsKernel, int, int, long)}'s
     * choice for layers under {@link #BLOCKED_RULE_MIN_SYNAPSES} synapses. */
    public InputGradientPath inputGradient(DclsKernel kernel) {
        if (inputGradient != null) {
            return inputGradient;
        }
        if (!vectorized) {
            return InputGradientPath.SHIFTED_ROWS;
        }
        return InputGradientPath.BLOCKED;
    }

    /**
     * The input gradient with this kernel over a batch of {@code steps} input steps and {@code batch} samples, of whose
     * (sample, input) pairs {@code keptPairs} need a gradient. With the Vector API, layers of at least
     * {@link #BLOCKED_RULE_MIN_SYNAPSES} synapses take the cheaper of the direct sums ({@code BLOCKED}: per kept pair,
     * every output's window taps over the time row) and the transform ({@code SPECTRAL}: a cost that does not depend
     * on the windows); smaller layers keep the direct sums and their bits.
     */
    public InputGradientPath inputGradient(DclsKernel kernel, int steps, int batch, long keptPairs) {
        InputGradientPath unsized = inputGradient(kernel);   // forced, or without the Vector API
        if (unsized != InputGradientPath.BLOCKED || inputGradient != null
                || (long) kernel.in * kernel.out < BLOCKED_RULE_MIN_SYNAPSES) {
            return unsized;
        }
        // the direct sums run one input at a time over its own windows, or four at a time over windows padded to
        // their union (at most every tap), whichever is cheaper
        double perVector = Math.min(DIRECT_NS_PER_TERM * kernel.meanWindow(), DIRECT_QUAD_NS_PER_TERM * kernel.taps);
        double direct = perVector * keptPairs * kernel.out * WindowOps.padded(steps) / WindowOps.lanes();
        double spectral = SPECTRAL_NS_PER_OP * SpectralInputGradient.vectorOps(steps, batch, kernel.taps, kernel.in,
                kernel.out);
        return spectral < direct ? InputGradientPath.SPECTRAL : InputGradientPath.BLOCKED;
    }
}
