package io.myelin.models.delay;

import io.myelin.core.InvalidInputException;
import io.myelin.models.layer.BatchNormOverTime;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.Dense;
import io.myelin.models.layer.IntegratorReadout;
import io.myelin.models.layer.Layer;
import io.myelin.models.layer.Lif;
import io.myelin.models.layer.Param;
import io.myelin.models.layer.SequenceDropout;
import io.myelin.models.layer.SumSoftmaxCrossEntropy;
import io.myelin.models.layer.SynapticLayer;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SNN-delays network (REFERENCES §2–3): {@code [synapses -> BatchNorm -> LIF -> dropout] x hidden}, then
 * synapses to a non-firing LIF readout, logits {@code sum_t softmax(V_t)}. Synapses are {@link DclsDelayedDense}
 * (learned or fixed random delays) or {@link Dense} (no delays).
 */
public final class DelaySnn {
    private final DelaySnnConfig config;
    private final int inputs;
    private final int classes;
    private final List<SynapticLayer> synapses = new ArrayList<>();
    private final List<BatchNormOverTime> norms = new ArrayList<>();
    private final List<Lif> lifs = new ArrayList<>();
    private final List<SequenceDropout> dropouts = new ArrayList<>();
    private final IntegratorReadout readout;
    private final double sigInit;
    private SeqTensor[] hiddenSpikes;
    private int[] validSteps;
    private StageTimes times;

    /**
     * @param inputs  model inputs (pooled channels: 140 for SHD)
     * @param classes output classes
     */
    public DelaySnn(DelaySnnConfig config, int inputs, int classes) {
        this.config = config;
        this.inputs = inputs;
        this.classes = classes;
        DelaySnnConfig.Model m = config.model();
        long seed = config.training().seed();
        DelaySnnConfig.Delays mode = config.delayMode();
        int prev = inputs;
        List<Integer> sizes = new ArrayList<>(m.hidden());
        sizes.add(classes);
        for (int k = 0; k < sizes.size(); k++) {
            int size = sizes.get(k);
            String name = k < m.hidden().size() ? "hidden" + (k + 1) : "readout";
            long layerSeed = seed * 1_000_003L + 7919L * (k + 1);
            SynapticLayer syn = mode == DelaySnnConfig.Delays.NONE
                    ? new Dense(name + ".syn", prev, size, layerSeed)
                    : new DclsDelayedDense(name + ".syn", prev, size, m.taps(),
                    mode == DelaySnnConfig.Delays.LEARNED ? DclsDelayedDense.DelayMode.LEARNED : DclsDelayedDense.DelayMode.FIXED,
                    m.sigmaTruncation(), layerSeed);
            if (k == 0) {
                syn.setInputGradient(false);
            }
            synapses.add(syn);
            if (k < m.hidden().size()) {
                norms.add(new BatchNormOverTime(name + ".bn", size));
                lifs.add(new Lif(config.tauSteps(), m.vThreshold(), m.surrogateAlpha()));
                dropouts.add(new SequenceDropout(m.dropout()));
            }
            prev = size;
        }
        this.readout = new IntegratorReadout(config.tauSteps());
        this.sigInit = m.taps() / 2;
    }

    public DelaySnnConfig config() {
        return config;
    }

    public int inputs() {
        return inputs;
    }

    public int classes() {
        return classes;
    }

    public List<SynapticLayer> synapses() {
        return synapses;
    }

    public List<BatchNormOverTime> norms() {
        return norms;
    }

    public int hiddenLayers() {
        return norms.size();
    }

    public void setWorkers(Workers w) {
        for (Lif l : lifs) {
            l.setWorkers(w);
        }
        for (BatchNormOverTime n : norms) {
            n.setWorkers(w);
        }
        for (SequenceDropout d : dropouts) {
            d.setWorkers(w);
        }
        for (SynapticLayer l : synapses) {
            l.setWorkers(w);
        }
    }

    /** Times every layer's forward and backward pass into {@code t} from now on (null: stop timing). */
    public void setStageTimes(StageTimes t) {
        this.times = t;
    }

    private SeqTensor timed(String stage, java.util.function.Supplier<SeqTensor> pass) {
        return times == null ? pass.get() : times.time(stage, pass);
    }

    /** Steps of the readout trace for an input of {@code steps} frames. */
    public int outputSteps(int steps) {
        int t = steps;
        for (Layer l : synapses) {
            t = l.outputSteps(t);
        }
        return t;
    }

    /**
     * Runs the network on a batch {@code x} ({@code [T][B][inputs]}, spike counts) whose samples have {@code lengths}
     * frames; returns the readout membrane trace {@code [T'][B][classes]}. Evaluation uses rounded delays.
     *
     * @param dropoutSeed seed of this batch's dropout masks (training only)
     */
    public SeqTensor forward(SeqTensor x, int[] lengths, boolean training, long dropoutSeed) {
        if (x.features != inputs) {
            throw new InvalidInputException("the model takes " + inputs + " inputs per step, the data has " + x.features
                    + " (check data.channelPool)");
        }
        validSteps = new int[lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            validSteps[b] = outputSteps(lengths[b]);
        }
        hiddenSpikes = new SeqTensor[norms.size()];
        SeqTensor h = x;
        for (int k = 0; k < norms.size(); k++) {
            final int layer = k;
            final SeqTensor in = h;
            h = timed("syn" + k + ".forward", () -> synapses.get(layer).forward(in, training));
            final SeqTensor a = h;
            h = timed("bn" + k + ".forward", () -> norms.get(layer).forward(a, training));
            final SeqTensor c = h;
            h = timed("lif" + k + ".forward", () -> lifs.get(layer).forward(c, training));
            hiddenSpikes[k] = h;
            SequenceDropout d = dropouts.get(k);
            d.setSeed(dropoutSeed * 31 + k);
            final SeqTensor s = h;
            h = timed("dropout" + k + ".forward", () -> d.forward(s, training));
        }
        final int last = synapses.size() - 1;
        final SeqTensor top = h;
        h = timed("syn" + last + ".forward", () -> synapses.get(last).forward(top, training));
        final SeqTensor drive = h;
        return timed("readout.forward", () -> readout.forward(drive, training));
    }

    /** Readout steps that count for each sample of the last forward pass. */
    public int[] validSteps() {
        return validSteps;
    }

    /** Spikes of hidden layer {@code k} in the last forward pass (before dropout). */
    public SeqTensor hiddenSpikes(int k) {
        return hiddenSpikes[k];
    }

    /** Back-propagates the loss gradient with respect to the readout trace; parameter gradients accumulate. */
    public void backward(SeqTensor gradV) {
        SeqTensor g = timed("readout.backward", () -> readout.backward(gradV));
        final int last = synapses.size() - 1;
        final SeqTensor top = g;
        g = timed("syn" + last + ".backward", () -> synapseBackward(last, top));
        for (int k = norms.size() - 1; k >= 0; k--) {
            final int layer = k;
            final SeqTensor g0 = g;
            g = timed("dropout" + k + ".backward", () -> dropouts.get(layer).backward(g0));
            final SeqTensor g1 = g;
            g = timed("lif" + k + ".backward", () -> lifs.get(layer).backward(g1));
            final SeqTensor g2 = g;
            g = timed("bn" + k + ".backward", () -> norms.get(layer).backward(g2));
            final SeqTensor g3 = g;
            g = timed("syn" + k + ".backward", () -> synapseBackward(layer, g3));
        }
    }

    /** Synapses k's backward pass; its input gradient goes through dropout k - 1, whose zeros it need not compute. */
    private SeqTensor synapseBackward(int k, SeqTensor g) {
        SynapticLayer syn = synapses.get(k);
        syn.setInputGradientMask(k > 0 ? dropouts.get(k - 1).mask() : null);
        return syn.backward(g);
    }

    /** Predictions of the last forward pass from its trace. */
    public int[] predict(SeqTensor v) {
        float[][] m = SumSoftmaxCrossEntropy.logits(v, validSteps);
        int[] p = new int[m.length];
        for (int b = 0; b < m.length; b++) {
            p[b] = SumSoftmaxCrossEntropy.argmax(m[b]);
        }
        return p;
    }

    public List<Param> weightParams() {
        List<Param> out = new ArrayList<>();
        for (Layer l : synapses) {
            for (Param p : l.params()) {
                if (p.kind == Param.Kind.WEIGHT) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    public List<Param> normParams() {
        List<Param> out = new ArrayList<>();
        for (BatchNormOverTime n : norms) {
            out.addAll(n.params());
        }
        return out;
    }

    public List<Param> positionParams() {
        List<Param> out = new ArrayList<>();
        for (Layer l : synapses) {
            for (Param p : l.params()) {
                if (p.kind == Param.Kind.POSITION) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Delay layers (empty without delays). */
    public List<DclsDelayedDense> delayLayers() {
        List<DclsDelayedDense> out = new ArrayList<>();
        for (Layer l : synapses) {
            if (l instanceof DclsDelayedDense d) {
                out.add(d);
            }
        }
        return out;
    }

    public void clampPositions() {
        for (DclsDelayedDense d : delayLayers()) {
            if (d.mode() == DclsDelayedDense.DelayMode.LEARNED) {
                d.clampPositions();
            }
        }
    }

    /**
     * The SNN-delays sigma schedule, called at the end of epoch {@code epoch} (0-based): for the first
     * {@code epochs / 4} epochs SIG is multiplied by {@code (sigmaFinal / SIG_init)^(1 / (epochs / 4))}.
     */
    public void annealSigma(int epoch, int epochs) {
        int finalEpoch = Math.max(1, epochs / 4);
        if (epoch >= finalEpoch) {
            return;
        }
        double factor = Math.pow(config.model().sigmaFinal() / sigInit, 1.0 / finalEpoch);
        for (DclsDelayedDense d : delayLayers()) {
            d.setSig(d.sig() * factor);
        }
    }

    /** Current sigma of the delay kernels (NaN without learned delays). */
    public double sigma() {
        for (DclsDelayedDense d : delayLayers()) {
            if (d.mode() == DclsDelayedDense.DelayMode.LEARNED) {
                return d.sigma();
            }
        }
        return Double.NaN;
    }

    /** Parameters, BatchNorm running statistics and SIG values, by name. */
    public Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (SynapticLayer l : synapses) {
            s.put(l.weight().name, l.weight().value);
            if (l instanceof DclsDelayedDense d) {
                s.put(d.position().name, d.position().value);
                s.put(d.name() + ".sig", new float[]{(float) d.sig()});
                s.put(d.name() + ".sig64", doubleBits(d.sig()));
            }
        }
        for (BatchNormOverTime n : norms) {
            s.put(n.gamma().name, n.gamma().value);
            s.put(n.beta().name, n.beta().value);
            s.put(n.name() + ".runningMean", n.runningMean());
            s.put(n.name() + ".runningVar", n.runningVar());
        }
        return s;
    }

    /** Restores {@link #state()} (values are copied in). */
    public void loadState(TensorFile.Contents c, java.nio.file.Path from) {
        for (SynapticLayer l : synapses) {
            copy(c.tensor(l.weight().name, l.weight().value.length, from), l.weight().value);
            if (l instanceof DclsDelayedDense d) {
                copy(c.tensor(d.position().name, d.position().value.length, from), d.position().value);
                d.setSig(fromDoubleBits(c.tensor(d.name() + ".sig64", 2, from)));
            }
        }
        for (BatchNormOverTime n : norms) {
            copy(c.tensor(n.gamma().name, n.gamma().value.length, from), n.gamma().value);
            copy(c.tensor(n.beta().name, n.beta().value.length, from), n.beta().value);
            copy(c.tensor(n.name() + ".runningMean", n.runningMean().length, from), n.runningMean());
            copy(c.tensor(n.name() + ".runningVar", n.runningVar().length, from), n.runningVar());
        }
    }

    private static void copy(float[] src, float[] dst) {
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    /** A double carried bit for bit in two floats' bit patterns. */
    static float[] doubleBits(double v) {
        long b = Double.doubleToRawLongBits(v);
        return new float[]{Float.intBitsToFloat((int) (b >>> 32)), Float.intBitsToFloat((int) b)};
    }

    static double fromDoubleBits(float[] f) {
        long hi = Float.floatToRawIntBits(f[0]) & 0xffffffffL, lo = Float.floatToRawIntBits(f[1]) & 0xffffffffL;
        return Double.longBitsToDouble((hi << 32) | lo);
    }

    /** Number of trainable values. */
    public long parameterCount() {
        long n = 0;
        for (Layer l : synapses) {
            for (Param p : l.params()) {
                n += p.value.length;
            }
        }
        for (BatchNormOverTime b : norms) {
            n += 2L * b.gamma().value.length;
        }
        return n;
    }
}
