package io.myelin.models.delay;

import io.myelin.core.InvalidInputException;
import io.myelin.models.layer.BatchNormOverTime;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.DelayKernels;
import io.myelin.models.layer.Dense;
import io.myelin.models.layer.IntegratorReadout;
import io.myelin.models.layer.Layer;
import io.myelin.models.layer.Lif;
import io.myelin.models.layer.NormLifDropout;
import io.myelin.models.layer.SequenceDropout;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.layer.SynapticLayer;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.module.Module;
import io.myelin.models.delay.inference.DelaySnnInference;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.SamplePredictor;
import io.myelin.models.train.StageTimes;
import io.myelin.models.train.TrainedModel;
import io.myelin.models.tensor.KernelWarmup;
import io.myelin.models.tensor.SeqTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The SNN-delays network (docs/references.md §2–3): {@code [synapses -> BatchNorm -> LIF -> dropout] x hidden}, then
 * synapses to a non-firing LIF readout, logits {@code sum_t softmax(V_t)}. Synapses are {@link DclsDelayedDense}
 * (learned or fixed random delays) or {@link Dense} (no delays). In training, each hidden layer's BatchNorm, LIF and
 * dropout run as one pass each way ({@link NormLifDropout}), bit for bit the three layers' own passes, which
 * evaluation runs (docs/training-performance.md).
 */
public final class DelaySnn implements TrainedModel {
    private final DelaySnnConfig config;
    private final int inputs;
    private final int classes;
    private final List<SynapticLayer> synapses = new ArrayList<>();
    private final List<BatchNormOverTime> norms = new ArrayList<>();
    private final List<Lif> lifs = new ArrayList<>();
    private final List<SequenceDropout> dropouts = new ArrayList<>();
    /** Each hidden layer's BatchNorm, LIF and dropout in one pass, for training. */
    private final List<NormLifDropout> fusedHidden = new ArrayList<>();
    private boolean fuse = true;
    /** Whether the last forward pass ran {@link #fusedHidden} (its spikes are theirs). */
    private boolean lastFused;
    private final IntegratorReadout readout;
    private final double sigInit;
    private final DelayKernels delays;
    private SeqTensor[] hiddenSpikes;
    private int[] validSteps;
    private StageTimes times;
    private Workers workers = Workers.serial();

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
            if (syn instanceof DclsDelayedDense d) {
                d.recordSigAsFloat(true);   // format v1 of the delay SNN lists SIG as one float too
            }
            synapses.add(syn);
            if (k < m.hidden().size()) {
                norms.add(new BatchNormOverTime(name + ".bn", size));
                lifs.add(new Lif(config.tauSteps(), m.vThreshold(), m.surrogateAlpha()));
                dropouts.add(new SequenceDropout(m.dropout()));
                fusedHidden.add(new NormLifDropout(norms.get(k), lifs.get(k), dropouts.get(k)));
            }
            prev = size;
        }
        this.readout = new IntegratorReadout(config.tauSteps());
        this.sigInit = m.taps() / 2;
        this.delays = DelayKernels.of(this);
    }

    @Override
    public DelaySnnConfig config() {
        return config;
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
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

    /** Synapses, then BatchNorms (parameters and state in that order), then neurons, dropouts and the readout. */
    @Override
    public List<? extends Module> children() {
        List<Module> c = new ArrayList<>(synapses);
        c.addAll(norms);
        c.addAll(lifs);
        c.addAll(dropouts);
        c.add(readout);
        return c;
    }

    /** Its layers' loops, and evaluation through {@link #samplePredictor()}, run on {@code w}. */
    @Override
    public void setWorkers(Workers w) {
        this.workers = w;
        TrainedModel.super.setWorkers(w);
        for (NormLifDropout f : fusedHidden) {
            f.setWorkers(w);
        }
    }

    /**
     * Whether training runs each hidden layer's BatchNorm, LIF and dropout as one pass ({@link NormLifDropout}; the
     * default) or as three: the same bits either way, the three-pass path kept as the reference the fused one is
     * tested against.
     */
    public void setFusedHidden(boolean on) {
        this.fuse = on;
    }

    /**
     * {@link DelaySnnInference} on a snapshot of the current weights when it can run here (delayed synapses, Vector
     * API on): the same logits as {@link #forward} in evaluation, one sample at a time; null otherwise.
     */
    @Override
    public SamplePredictor samplePredictor() {
        return DelaySnnInference.available(this) ? DelaySnnInference.of(this, workers)::predict : null;
    }

    /** Times every layer's forward and backward pass into {@code t} from now on (null: stop timing). */
    @Override
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
     * Below this many synapses in a layer (128 x 128) the JIT warm-up ({@link KernelWarmup}, about a second) is
     * skipped: smaller networks train in seconds, their kernels on short rows. (Run on the first batch's thread it
     * saved CPU but no wall time on 2 cores; started while the data loads, {@link #warmsUpBeforeData}, it saves about
     * a second of epoch 1: docs/training-performance.md.)
     */
    static final int WARMUP_SYNAPSES = 128 * 128;

    /**
     * Whether a network of these hidden sizes warms up whatever its inputs and classes: two consecutive hidden layers
     * of at least {@link #WARMUP_SYNAPSES} synapses (a recipe knows no more before the data is read).
     */
    static boolean warmsUpBeforeData(List<Integer> hidden) {
        for (int k = 1; k < hidden.size(); k++) {
            if ((long) hidden.get(k - 1) * hidden.get(k) >= WARMUP_SYNAPSES) {
                return true;
            }
        }
        return false;
    }

    private int largestSynapseLayer() {
        int most = 0;
        for (SynapticLayer s : synapses) {
            most = Math.max(most, s.in() * s.out());
        }
        return most;
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
        if (training && largestSynapseLayer() >= WARMUP_SYNAPSES) {
            // the DCLS sums' and hidden layers' Vector API kernels compiled before the first batch runs them (once per
            // process, inside the training time: docs/training-performance.md)
            KernelWarmup.once();
        }
        hiddenSpikes = new SeqTensor[norms.size()];
        lastFused = training && fuse;
        SeqTensor h = x;
        for (int k = 0; k < norms.size(); k++) {
            final int layer = k;
            final SeqTensor in = h;
            h = timed("syn" + k + ".forward", () -> synapses.get(layer).forward(in, training));
            if (lastFused) {
                dropouts.get(k).setSeed(dropoutSeed * 31 + k);
                final SeqTensor a = h;
                h = timed("bn+lif+dropout" + k + ".forward", () -> fusedHidden.get(layer).forward(a));
                continue;
            }
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

    /** Spikes of hidden layer {@code k} in the last forward pass (before dropout; after training, built on demand). */
    public SeqTensor hiddenSpikes(int k) {
        return lastFused ? fusedHidden.get(k).spikes() : hiddenSpikes[k];
    }

    /** Back-propagates the loss gradient with respect to the readout trace; parameter gradients accumulate. */
    public void backward(SeqTensor gradV) {
        SeqTensor g = timed("readout.backward", () -> readout.backward(gradV));
        final int last = synapses.size() - 1;
        final SeqTensor top = g;
        g = timed("syn" + last + ".backward", () -> synapseBackward(last, top));
        for (int k = norms.size() - 1; k >= 0; k--) {
            final int layer = k;
            if (lastFused) {
                // the synapses' fresh input gradient, needed no more: overwritten by the layer's own
                final SeqTensor gs = g;
                g = timed("bn+lif+dropout" + k + ".backward", () -> fusedHidden.get(layer).backwardInPlace(gs));
                final SeqTensor ga = g;
                g = timed("syn" + k + ".backward", () -> synapseBackward(layer, ga));
                continue;
            }
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

    /** Evaluation pads every batch by the delays' total extension, so each sample is seen followed by silence. */
    @Override
    public int evaluationPadding() {
        return outputSteps(0);
    }

    @Override
    public int[] predict(BinnedSet.Batch b) {
        return predict(forward(b.x(), b.lengths(), false, 0));
    }

    /** The hidden layers' spikes (before dropout). */
    @Override
    public int firingLayers() {
        return hiddenLayers();
    }

    @Override
    public void addFiring(double[] spikes, double[] slots) {
        for (int k = 0; k < hiddenSpikes.length; k++) {
            if (lastFused) {
                // counted by the fused pass: whole numbers, the same total as summing the spike tensor
                spikes[k] += fusedHidden.get(k).spikeCount();
                slots[k] += fusedHidden.get(k).membraneSize();
                continue;
            }
            SeqTensor h = hiddenSpikes[k];
            double sum = 0;
            for (float x : h.data) {
                sum += x;
            }
            spikes[k] += sum;
            slots[k] += h.data.length;
        }
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

    /** Delay layers (empty without delays). */
    public List<DclsDelayedDense> delayLayers() {
        return delays.layers();
    }

    public void clampPositions() {
        delays.clampPositions();
    }

    /**
     * The SNN-delays sigma schedule, called at the end of epoch {@code epoch} (0-based): SIG from {@code taps / 2}
     * (integer division) to {@code model.sigmaFinal} over the first quarter of the epochs ({@link DelayKernels}).
     */
    public void annealSigma(int epoch, int epochs) {
        delays.annealSigma(epoch, epochs, sigInit, config.model().sigmaFinal());
    }

    /** Current sigma of the delay kernels (NaN without learned delays). */
    public double sigma() {
        return delays.sigma();
    }
}
