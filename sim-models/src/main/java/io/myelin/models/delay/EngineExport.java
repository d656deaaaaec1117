package io.myelin.models.delay;

import io.myelin.core.data.BinnedSample;
import io.myelin.core.engine.Engine;
import io.myelin.core.engine.EngineOptions;
import io.myelin.core.engine.Engines;
import io.myelin.core.engine.PreparedSpikes;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.model.SourceSpec;
import io.myelin.core.monitor.StateMonitor;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.layer.SynapticLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a trained {@link DelaySnn} into a {@link NetworkSpec} the engines run: rounded integer delays, BatchNorm
 * folded into the weights ({@code scale * W}) and a per-neuron bias ({@code shift}), dropout removed, the readout a
 * never-firing discrete LIF population.
 *
 * <p>Timing. Model layer k (1-based) at its step tau is engine step {@code tau + k}: the engine's smallest delay is one
 * step, so a model delay of d steps becomes d + 1 steps. A BatchNorm shift must reach layer k from its step 0 on and
 * not before (the layer does not exist earlier in the model), so it is delivered by a "bias" source neuron per hidden
 * layer that fires every step from step k - 1 on, through synapses of weight {@code shift[o]} and one step of delay.
 * Inputs are the sample's spikes, pooled like the trainer's frames; several spikes of a pooled channel in one frame
 * arrive as several synaptic events, summing to the frame's count.
 */
public final class EngineExport {
    public static final String INPUT = "input";
    public static final String BIAS = "bias";
    public static final String READOUT = "readout";

    private final DelaySnn model;
    private final NetworkSpec base;

    public EngineExport(DelaySnn model) {
        this.model = model;
        this.base = build(model);
    }

    public NetworkSpec spec() {
        return base;
    }

    /** Engine steps to run for a sample of {@code frames} frames: the readout's valid steps plus the layer shift. */
    public int engineSteps(int frames) {
        return model.outputSteps(frames) + model.synapses().size();
    }

    /** The network with {@code input} as its input source (a spike-times source of {@code model.inputs()} neurons). */
    public NetworkSpec specFor(SourceSpec.SpikeTimes input, int frames) {
        if (input.size() != model.inputs()) {
            throw new IllegalArgumentException("input source has " + input.size() + " neurons, the model " + model.inputs());
        }
        SourceSpec.SpikeTimes bias = biasSource(engineSteps(frames));
        return base.withSource(new SourceSpec.SpikeTimes(INPUT, input.size(), input.neurons(), input.timesMs()))
                .withSource(bias);
    }

    /**
     * A binned sample as engine input: each frame's count becomes that many spikes at the frame's start (in frame,
     * then channel order, the order the engines emit them in).
     */
    public static SourceSpec.SpikeTimes inputOf(BinnedSample s, int channels, double frameMs) {
        int[] f = s.eventFrame(), c = s.eventChannel();
        float[] cnt = s.eventCount();
        int total = 0;
        for (float x : cnt) {
            total += (int) x;
        }
        int[] n = new int[total];
        double[] t = new double[total];
        int k = 0;
        for (int e = 0; e < f.length; e++) {
            // the event's count, channel and time once, not per spike
            int m = (int) cnt[e], channel = c[e];
            double at = f[e] * frameMs;
            for (int r = 0; r < m; r++, k++) {
                n[k] = channel;
                t[k] = at;
            }
        }
        return new SourceSpec.SpikeTimes(INPUT, channels, n, t);
    }

    /** The BatchNorm shifts' source for a run of {@code steps} engine steps: neuron k - 1 fires from step k - 1 on. */
    private SourceSpec.SpikeTimes biasSource(int steps) {
        int layers = model.hiddenLayers();
        double dt = model.config().data().frameMs();
        int count = 0;
        for (int k = 1; k <= layers; k++) {
            count += Math.max(0, steps - (k - 1));
        }
        int[] n = new int[count];
        double[] t = new double[count];
        int at = 0;
        for (int s = 0; s < steps; s++) {
            for (int k = 1; k <= layers; k++) {
                if (s >= k - 1) {
                    n[at] = k - 1;
                    t[at++] = s * dt;
                }
            }
        }
        return new SourceSpec.SpikeTimes(BIAS, layers, n, t);
    }

    /** The readout's logits {@code sum_t softmax(V)} over the model's valid steps, from a trace of every engine step. */
    private float[] logits(StateMonitor mon, int frames) {
        int classes = model.classes();
        int valid = model.outputSteps(frames);
        int shift = model.synapses().size();
        float[] trace = new float[valid * classes];
        for (int c = 0; c < classes; c++) {
            float[] v = mon.v(c);
            for (int s = 0; s < valid; s++) {
                trace[s * classes + c] = v[s + shift];
            }
        }
        return SumSoftmaxCrossEntropy.logits(new io.myelin.models.tensor.SeqTensor(valid, 1, classes, trace),
                new int[]{valid})[0];
    }

    /**
     * One engine holding the exported network, compiled once, through which samples run one after another
     * ({@link Engine#reset(List)} gives each its input): the deployment path. Not thread-safe; one per thread.
     */
    public Runner runner(String engine) {
        return new Runner(engine, EngineOptions.defaults());
    }

    /** {@link #runner(String)} with engine options (an execution strategy, a backend). */
    public Runner runner(String engine, EngineOptions options) {
        return new Runner(engine, options);
    }

    /**
     * A sample's input prepared for the exported network ({@link Runner#prepare}): its spikes checked and on the
     * engine's step grid, for any runner of this export; {@code frames} is the sample's length in frames.
     */
    public record Input(PreparedSpikes spikes, int frames) {
    }

    /** See {@link #runner}. */
    public final class Runner implements AutoCloseable {
        private final Engine engine;
        private final StateMonitor readout;
        /** The BatchNorm shifts' source per run length in steps: the same spikes for every sample of that length. */
        private final java.util.Map<Integer, PreparedSpikes> biasSources = new java.util.HashMap<>();

        private Runner(String name, EngineOptions options) {
            Engines.checkName(name);
            engine = Engines.create(specFor(new SourceSpec.SpikeTimes(INPUT, model.inputs(), new int[0], new double[0]),
                    1), name, options);
            int[] all = new int[model.classes()];
            for (int c = 0; c < all.length; c++) {
                all[c] = c;
            }
            readout = engine.recordState(READOUT, all, 1);
        }

        /** The engine, for its description and operation counts (of the last sample). */
        public Engine engine() {
            return engine;
        }

        /** The logits of one binned sample of {@code channels} pooled channels, as {@link #engineLogits} gives them. */
        public float[] logits(BinnedSample s, int channels) {
            return logits(prepare(s, channels));
        }

        /**
         * One binned sample of {@code channels} pooled channels as the engine's input spikes, checked and on its step
         * grid once: a data set run through the network several times (benchmarks, every engine of a comparison)
         * prepares each sample once, as batched evaluation bins it once.
         */
        public Input prepare(BinnedSample s, int channels) {
            return new Input(engine.prepare(inputOf(s, channels, model.config().data().frameMs())),
                    Math.max(1, s.frames()));
        }

        /** The logits of a prepared sample: those of {@link #logits(BinnedSample, int)} for the sample. */
        public float[] logits(Input in) {
            int steps = engineSteps(in.frames());
            engine.resetPrepared(List.of(in.spikes(),
                    biasSources.computeIfAbsent(steps, k -> engine.prepare(biasSource(k)))));
            readout.clear();
            engine.runSteps(steps);
            return EngineExport.this.logits(readout, in.frames());
        }

        @Override
        public void close() {
            engine.close();
        }
    }

    /** Runs one sample through the clock-driven engine; see {@link #engineLogits(SourceSpec.SpikeTimes, int, String)}. */
    public float[] engineLogits(SourceSpec.SpikeTimes input, int frames) {
        return engineLogits(input, frames, Engines.CLOCK);
    }

    /**
     * Runs one sample through an engine ({@link Engines#names()}: "clock" on the Java backend, or "event", whose
     * discrete-time mode then runs with work only where events are) and returns its logits
     * {@code sum_t softmax(V_readout)} over the same steps the model sums over.
     */
    public float[] engineLogits(SourceSpec.SpikeTimes input, int frames, String engine) {
        NetworkSpec spec = specFor(input, frames);
        int classes = model.classes();
        int[] all = new int[classes];
        for (int c = 0; c < classes; c++) {
            all[c] = c;
        }
        StateMonitor mon;
        try (Engine sim = Engines.create(spec, engine)) {
            mon = sim.recordState(READOUT, all, 1);
            sim.runSteps(engineSteps(frames));
        }
        return logits(mon, frames);
    }

    private static NetworkSpec build(DelaySnn model) {
        DelaySnnConfig cfg = model.config();
        double dt = cfg.data().frameMs();
        NetworkSpec.Builder b = NetworkSpec.builder().dtMs(dt).seed(cfg.training().seed());
        int layers = model.hiddenLayers();
        b.source(new SourceSpec.SpikeTimes(INPUT, model.inputs(), new int[0], new double[0]));
        b.source(new SourceSpec.SpikeTimes(BIAS, layers, new int[0], new double[0]));
        String prev = INPUT;
        List<SynapticLayer> syn = model.synapses();
        for (int k = 0; k < syn.size(); k++) {
            boolean hidden = k < layers;
            String pop = hidden ? "hidden" + (k + 1) : READOUT;
            int out = syn.get(k).out();
            DiscreteLifParameters neuron = hidden
                    ? new DiscreteLifParameters(cfg.tauSteps(), cfg.model().vThreshold(), 0.0)
                    : DiscreteLifParameters.readout(cfg.tauSteps());
            b.population(new PopulationSpec(pop, out, neuron, Distribution.constant(0), null));
            double[] scale = null;
            if (hidden) {
                double[][] affine = model.norms().get(k).inferenceAffine();
                scale = affine[0];
                int[] pre = new int[out], post = new int[out];
                float[] w = new float[out], d = new float[out];
                for (int o = 0; o < out; o++) {
                    pre[o] = k;
                    post[o] = o;
                    w[o] = (float) affine[1][o];
                    d[o] = (float) dt;
                }
                b.projection(ProjectionSpec.from(BIAS).to(pop).named(pop + ".bias").explicit(pre, post, w, d));
            }
            b.projection(synapseProjection(syn.get(k), prev, pop, scale, dt));
            prev = pop;
        }
        return b.build();
    }

    private static ProjectionSpec.Builder synapseProjection(SynapticLayer l, String pre, String post, double[] scale,
                                                            double dt) {
        int in = l.in(), out = l.out();
        float[] w = l.weight().value;
        DclsDelayedDense dcls = l instanceof DclsDelayedDense d ? d : null;
        int n = in * out;
        int[] pres = new int[n], posts = new int[n];
        float[] ws = new float[n], ds = new float[n];
        int k = 0;
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                pres[k] = i;
                posts[k] = o;
                float wv = w[o * in + i];
                ws[k] = scale == null ? wv : (float) (scale[o] * wv);
                int delay = dcls == null ? 0 : dcls.roundedDelaySteps(o, i);
                ds[k] = (float) ((delay + 1) * dt);
                k++;
            }
        }
        return ProjectionSpec.from(pre).to(post).named(post + ".syn").explicit(pres, posts, ws, ds);
    }
}
