package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

/**
 * One DCLS layer's ways of computing its sums, one object per path, run as the caller chose. Some paths keep scratch
 * and views of the kernel from pass to pass (allocated on first use, rebuilt when the kernel's generation changes), so
 * one instance serves one layer's {@link DclsKernel}. The choice is dispatched once per pass; each path's loops are
 * its own.
 */
public final class DclsSums {
    private final WindowedForward windowedForward = new WindowedForward();
    private final FeatureMajorForward featureMajorForward = new FeatureMajorForward();
    private final TapRowScatterForward tapRowScatterForward = new TapRowScatterForward();
    private final SynapseScatterForward synapseScatterForward = new SynapseScatterForward();
    private final TapRowKernelGradient tapRowKernelGradient = new TapRowKernelGradient();
    private final SynapseGatherKernelGradient synapseGatherKernelGradient = new SynapseGatherKernelGradient();
    private final WindowedInputGradient windowedInputGradient = new WindowedInputGradient();
    private final ShiftedRowInputGradient shiftedRowInputGradient = new ShiftedRowInputGradient();
    private final EventTapRowForward eventTapRowForward = new EventTapRowForward();
    private final TiledEventTapRowForward tiledEventTapRowForward = new TiledEventTapRowForward();
    private final BlockedForward blockedForward = new BlockedForward();
    private final EventWindowForward eventWindowForward = new EventWindowForward();
    private final BlockedInputGradient blockedInputGradient = new BlockedInputGradient();
    private final BlockedKernelGradient blockedKernelGradient = new BlockedKernelGradient();
    private final SpectralInputGradient spectralInputGradient = new SpectralInputGradient();
    /** The last batch's sample-major gradient columns, refilled by the next batch that needs them. */
    private float[][] columns;

    /** {@code y[t2][b][o] = sum_i sum_n K[o,i,n] x[t2 + n - (taps - 1)][b][i]}. */
    public SeqTensor forward(ForwardPath path, DclsKernel kernel, DclsEventLayout layout, Workers workers) {
        return switch (path) {
            case WINDOWED -> windowedForward.forward(kernel, layout, workers);
            case FEATURE_MAJOR -> featureMajorForward.forward(kernel, layout, workers);
            case TAP_ROW_SCATTER -> tapRowScatterForward.forward(kernel, layout, workers);
            case SYNAPSE_SCATTER -> synapseScatterForward.forward(kernel, layout, workers);
            case EVENT_TAP_ROWS -> eventTapRowForward.forward(kernel, layout, workers);
            case EVENT_TAP_TILES -> tiledEventTapRowForward.forward(kernel, layout, workers);
            case BLOCKED -> blockedForward.forward(kernel, layout, workers);
            case EVENT_WINDOWS -> eventWindowForward.forward(kernel, layout, workers);
        };
    }

    /**
     * The kernel coefficients' gradient into {@code dK[s * maxW + j]} and, unless {@code inputPath} is null, the
     * input gradient (zero where {@code keep[b * in + i]} is zero; null keep: everywhere), else null.
     */
    public SeqTensor backward(KernelGradientPath kernelPath, InputGradientPath inputPath, DclsKernel kernel,
                              DclsEventLayout layout, SeqTensor gradOut, float[] keep, float[] dK, Workers workers) {
        // one sample-major copy of the gradient serves both paths that read it
        boolean gatherKernel = kernelPath == KernelGradientPath.SYNAPSE_GATHER;
        boolean shiftedInput = inputPath == InputGradientPath.SHIFTED_ROWS;
        float[][] gS = null;
        if (gatherKernel || shiftedInput) {
            gS = layout.sampleMajorColumns(gradOut, columns, workers);
            columns = gS;
        }
        switch (kernelPath) {
            case SYNAPSE_GATHER -> synapseGatherKernelGradient.kernelGradient(kernel, layout, gS, dK, workers);
            case TAP_ROWS -> tapRowKernelGradient.kernelGradient(kernel, layout, gradOut, dK, workers);
            case BLOCKED -> blockedKernelGradient.kernelGradient(kernel, layout, gradOut, dK, workers);
        }
        if (inputPath == null) {
            return null;
        }
        return switch (inputPath) {
            case SHIFTED_ROWS -> shiftedRowInputGradient.inputGradient(kernel, layout, gS, keep, workers);
            case WINDOWED -> windowedInputGradient.inputGradient(kernel, layout, gradOut, keep, workers);
            case BLOCKED -> blockedInputGradient.inputGradient(kernel, layout, gradOut, keep, workers);
            case SPECTRAL -> spectralInputGradient.inputGradient(kernel, layout, gradOut, keep, workers);
        };
    }
}
