package io.myelin.models.delay.inference;

import io.myelin.models.delay.DelaySnn;
import io.myelin.models.layer.BatchNormOverTime;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.SynapticLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * A trained {@link DelaySnn} frozen for inference as its evaluation mode computes it: every synapse one weight at one
 * integer delay (the rounded DCLS position), BatchNorm as the float affine map {@code x * scale + shift} that
 * {@link BatchNormOverTime} applies in evaluation, LIF and readout with the model's float tau and threshold. A
 * snapshot: later training does not change it.
 */
public final class RoundedDelayNetwork {
    /**
     * One synaptic layer and the neurons it drives.
     *
     * @param weight    {@code [out][in]}, element {@code o * in + i}
     * @param delay     delay in steps of synapse {@code o * in + i}: its input at step t is the input's value at
     *                  {@code t - delay} (0 .. taps - 1)
     * @param scale     BatchNorm scale per output, null for the readout
     * @param shift     BatchNorm shift per output, null for the readout
     * @param extension steps the layer adds to its input's length ({@code (taps - 1) / 2})
     */
    public record Layer(int in, int out, float[] weight, int[] delay, int maxDelay, float[] scale, float[] shift,
                        int extension) {
        public boolean hidden() {
            return scale != null;
        }
    }

    private final List<Layer> layers;
    private final float tau;
    private final float threshold;
    private final int inputs;
    private final int classes;

    private RoundedDelayNetwork(List<Layer> layers, float tau, float threshold, int inputs, int classes) {
        this.layers = List.copyOf(layers);
        this.tau = tau;
        this.threshold = threshold;
        this.inputs = inputs;
        this.classes = classes;
    }

    /** Whether {@code model} can be frozen: every synaptic layer has delays ({@link DclsDelayedDense}). */
    public static boolean supports(DelaySnn model) {
        for (SynapticLayer l : model.synapses()) {
            if (!(l instanceof DclsDelayedDense)) {
                return false;
            }
        }
        return true;
    }

    /** The model's evaluation-mode network as it is now; see {@link #supports}. */
    public static RoundedDelayNetwork of(DelaySnn model) {
        if (!supports(model)) {
            throw new IllegalArgumentException("only delay SNNs with delayed synapses can be frozen for inference");
        }
        List<Layer> layers = new ArrayList<>();
        List<SynapticLayer> syn = model.synapses();
        for (int k = 0; k < syn.size(); k++) {
            DclsDelayedDense d = (DclsDelayedDense) syn.get(k);
            int in = d.in(), out = d.out();
            int[] delay = new int[in * out];
            int max = 0;
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    int v = d.roundedDelaySteps(o, i);
                    delay[o * in + i] = v;
                    max = Math.max(max, v);
                }
            }
            float[] scale = null, shift = null;
            if (k < model.hiddenLayers()) {
                // Exactly the floats BatchNormOverTime.forward uses in evaluation.
                double[][] affine = model.norms().get(k).inferenceAffine();
                scale = new float[out];
                shift = new float[out];
                for (int o = 0; o < out; o++) {
                    scale[o] = (float) affine[0][o];
                    shift[o] = (float) affine[1][o];
                }
            }
            layers.add(new Layer(in, out, d.weight().value.clone(), delay, max, scale, shift, d.outputSteps(0)));
        }
        return new RoundedDelayNetwork(layers, (float) model.config().tauSteps(),
                (float) model.config().model().vThreshold(), model.inputs(), model.classes());
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Membrane time constant in steps, as the LIF layers and the readout hold it. */
    public float tau() {
        return tau;
    }

    public float threshold() {
        return threshold;
    }

    public int inputs() {
        return inputs;
    }

    public int classes() {
        return classes;
    }

    /** Readout steps that count for a sample of {@code frames} frames ({@link DelaySnn#outputSteps}). */
    public int validSteps(int frames) {
        int t = frames;
        for (Layer l : layers) {
            t += l.extension();
        }
        return t;
    }

    /** The longest delay of any layer (steps). */
    public int maxDelay() {
        int m = 0;
        for (Layer l : layers) {
            m = Math.max(m, l.maxDelay());
        }
        return m;
    }

    /** The widest layer (inputs or outputs). */
    public int maxWidth() {
        int m = 0;
        for (Layer l : layers) {
            m = Math.max(m, Math.max(l.in(), l.out()));
        }
        return m;
    }
}
