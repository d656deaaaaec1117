package io.myelin.nir.export;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.SpikeDataset;
import io.myelin.models.delay.DelaySnn;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.SynapticLayer;
import io.myelin.models.train.RunStore;
import io.myelin.nir.graph.Affine;
import io.myelin.nir.graph.Delay;
import io.myelin.nir.graph.Input;
import io.myelin.nir.graph.LeakyIntegrator;
import io.myelin.nir.graph.Lif;
import io.myelin.nir.graph.Linear;
import io.myelin.nir.graph.NirEdge;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Output;
import io.myelin.nir.graph.Tensor;
import io.myelin.nir.io.NpyArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trained delay SNN as a NIR graph that runs, under the discrete-time semantics of docs/nir.md at
 * {@code dt} = the training frame, the network Myelin evaluates (rounded integer delays, BatchNorm with its running
 * statistics, no dropout):
 * <pre>
 *   input [C raw channels] -> pool (Linear, ones: channels summed in groups of channelPool)
 *     -> per hidden layer k and per distinct delay d of its synapses: Delay(d dt) -> Linear/Affine (the synapses
 *        of delay d, times the BatchNorm scale; the first group also carries the BatchNorm shift as its bias)
 *        -> all summed into LIF "hiddenK"
 *     -> readout synapses the same way -> LI "readout" -> output
 * </pre>
 * The neuron mapping (proved in docs/nir.md): Myelin's {@code H = V - V/tau + X} is NIR's Euler LIF
 * {@code v += dt/tau_s (v_leak - v + r I)} with {@code tau_s = tau * dt}, {@code v_leak = 0}, {@code r = tau};
 * Myelin fires on {@code H >= 1}, NIR on {@code v > v_threshold}, so {@code v_threshold} is the largest double
 * below 1 ({@code v > nextDown(1)} is {@code v >= 1} for every double); reset to 0. The readout is the same
 * neuron without spikes: an LI. The input is a sample's spike counts per raw channel and frame
 * ({@link #input}); the graph must run {@link #extraSteps} steps past the last frame (the delays' reach), and the
 * prediction is {@code argmax sum_t softmax(output[t])} over all steps ({@link #logits}).
 */
public final class DelaySnnNirExport {
    /** Metadata keys written with the graph. */
    public static final String DT = "dt";
    public static final String EXTRA_STEPS = "extra_steps";

    private DelaySnnNirExport() {
    }

    /** Loads the model saved in {@code runDir} (model.json + weights) and exports it. */
    public static NirGraph export(Path runDir) {
        return export(RunStore.of(runDir).loadModel(DelaySnn.class));
    }

    /**
     * @param model a trained model
     * @return the graph; raw input channels = {@code inputs * channelPool}
     */
    public static NirGraph export(DelaySnn model) {
        DelaySnnConfig cfg = model.config();
        double dt = cfg.data().frameMs() / 1000.0;
        double tauSteps = cfg.tauSteps();
        int pool = cfg.data().channelPool();
        int channels = model.inputs() * pool;
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<NirEdge> edges = new ArrayList<>();
        nodes.put("input", new Input(new int[] {channels}));
        String prev = "input";
        if (pool > 1) {
            double[] w = new double[model.inputs() * channels];
            for (int u = 0; u < channels; u++) {
                w[(u / pool) * channels + u] = 1.0;
            }
            nodes.put("pool", new Linear(Tensor.matrix(model.inputs(), channels, w, true)));
            edges.add(new NirEdge("input", "pool"));
            prev = "pool";
        }
        List<SynapticLayer> syn = model.synapses();
        int layers = model.hiddenLayers();
        for (int k = 0; k < syn.size(); k++) {
            boolean hidden = k < layers;
            String name = hidden ? "hidden" + (k + 1) : "readout";
            SynapticLayer l = syn.get(k);
            double[][] affine = hidden ? model.norms().get(k).inferenceAffine() : null;
            addSynapses(nodes, edges, prev, name, l, affine, dt);
            int n = l.out();
            Tensor tau = Tensor.filled(new int[] {n}, tauSteps * dt);
            Tensor r = Tensor.filled(new int[] {n}, tauSteps);
            Tensor zero = Tensor.filled(new int[] {n}, 0.0);
            if (hidden) {
                Tensor threshold = Tensor.filled(new int[] {n}, Math.nextDown(cfg.model().vThreshold()));
                nodes.put(name, new Lif(tau, r, zero, threshold, zero));
            } else {
                nodes.put(name, new LeakyIntegrator(tau, r, zero));
            }
            prev = name;
        }
        nodes.put("output", new Output(new int[] {model.classes()}));
        edges.add(new NirEdge(prev, "output"));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put(DT, dt);
        meta.put("time_unit", "s");
        meta.put("source", "Myelin delay-SNN export (" + cfg.name() + ")");
        meta.put("frame_ms", cfg.data().frameMs());
        meta.put("channel_pool", (long) pool);
        meta.put("tau_steps", tauSteps);
        meta.put(EXTRA_STEPS, (long) model.outputSteps(0));
        meta.put("input", "spike counts per raw channel and frame of dt, [T, " + channels + "], followed by "
                + model.outputSteps(0) + " silent frames");
        meta.put("readout_decoding", "logits = sum over all steps of softmax(output[t]) (the LI readout's membrane); "
                + "prediction = argmax(logits)");
        meta.put("threshold", "v_threshold = nextafter(" + cfg.model().vThreshold() + ", 0) in float64, so that "
                + "v > v_threshold fires exactly where Myelin's v >= " + cfg.model().vThreshold() + " does");
        return new NirGraph(nodes, edges, meta);
    }

    /**
     * One synapse layer: a Delay and a Linear per distinct rounded delay (one Affine carrying the BatchNorm shift),
     * each summed into node {@code post}; without delays a single Linear/Affine.
     */
    private static void addSynapses(Map<String, NirNode> nodes, List<NirEdge> edges, String pre, String post,
                                    SynapticLayer l, double[][] affine, double dt) {
        int in = l.in(), out = l.out();
        float[] w = l.weight().value;
        DclsDelayedDense dcls = l instanceof DclsDelayedDense d ? d : null;
        TreeMap<Integer, double[]> groups = new TreeMap<>();
        for (int o = 0; o < out; o++) {
            double scale = affine == null ? 1.0 : affine[0][o];
            for (int i = 0; i < in; i++) {
                int delay = dcls == null ? -1 : dcls.roundedDelaySteps(o, i);
                double[] g = groups.computeIfAbsent(delay, x -> new double[out * in]);
                g[o * in + i] = affine == null ? w[o * in + i] : scale * w[o * in + i];
            }
        }
        boolean first = true;
        for (Map.Entry<Integer, double[]> g : groups.entrySet()) {
            int d = g.getKey();
            String from = pre;
            if (d >= 0) {
                String delayKey = post + "_delay" + d;
                nodes.put(delayKey, new Delay(Tensor.filled(new int[] {in}, d * dt)));
                edges.add(new NirEdge(pre, delayKey));
                from = delayKey;
            }
            String wKey = post + (d >= 0 ? "_w" + d : "_w");
            // weights without BatchNorm are float32 values already; folded ones keep their double product
            Tensor weight = Tensor.matrix(out, in, g.getValue(), affine == null);
            if (first && affine != null) {
                nodes.put(wKey, new Affine(weight, Tensor.vector(affine[1])));
            } else {
                nodes.put(wKey, new Linear(weight));
            }
            edges.add(new NirEdge(from, wKey));
            edges.add(new NirEdge(wKey, post));
            first = false;
        }
    }

    /** Steps the exported graph must run past a sample's last frame, from its metadata. */
    public static int extraSteps(NirGraph exported) {
        Object v = exported.metadata().get(EXTRA_STEPS);
        if (!(v instanceof Number n)) {
            throw new InvalidInputException("the graph has no '" + EXTRA_STEPS + "' metadata: not a Myelin delay-SNN "
                    + "export");
        }
        return n.intValue();
    }

    /**
     * Sample {@code i} of {@code ds} as the exported graph's input {@code [T, channels]} (float32 counts): spikes
     * binned into frames of {@code data.frameMs()} exactly as the trainer bins them (before channel pooling), the
     * sample's frames (at least one) then {@code extraSteps} silent frames.
     *
     * @param channels the graph's input channels (at least the data set's)
     */
    public static NpyArray input(SpikeDataset ds, int i, io.myelin.models.data.DataConfig data, int extraSteps, int channels) {
        if (ds.channels() > channels) {
            throw new InvalidInputException(ds.source() + " has " + ds.channels() + " channels, the exported graph takes "
                    + channels);
        }
        FrameBinner binner = new FrameBinner(data.frameMs(), 1, data.maxDurationMs());
        float[] t = ds.timesSeconds(i);
        int[] u = ds.units(i);
        int frames = 0;
        if (t.length > 0) {
            frames = binner.frameOf(t[t.length - 1]) + 1;
            if (data.maxDurationMs() > 0) {
                frames = Math.min(frames, (int) Math.ceil(data.maxDurationMs() / data.frameMs()));
            }
        }
        int steps = Math.max(1, frames) + extraSteps;
        double[] x = new double[steps * channels];
        for (int k = 0; k < t.length; k++) {
            int f = binner.frameOf(t[k]);
            if (f < frames) {
                x[f * channels + u[k]] += 1;
            }
        }
        return new NpyArray(new int[] {steps, channels}, x, true);
    }

    /** {@code sum_t softmax(v_t)} over the rows of a readout trace {@code [T, classes]} (row-major). */
    public static double[] logits(double[] readout, int classes) {
        int steps = readout.length / classes;
        double[] acc = new double[classes];
        double[] p = new double[classes];
        for (int s = 0; s < steps; s++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, readout[s * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = Math.exp(readout[s * classes + c] - max);
                sum += p[c];
            }
            for (int c = 0; c < classes; c++) {
                acc[c] += p[c] / sum;
            }
        }
        return acc;
    }

    /** The index of the largest logit (the first on ties). */
    public static int argmax(double[] logits) {
        int best = 0;
        for (int c = 1; c < logits.length; c++) {
            if (logits[c] > logits[best]) {
                best = c;
            }
        }
        return best;
    }
}
