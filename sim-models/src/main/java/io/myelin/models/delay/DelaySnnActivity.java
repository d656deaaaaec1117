package io.myelin.models.delay;

import io.myelin.models.data.BinnedSet;
import io.myelin.core.energy.Accuracy;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.energy.ParameterKind;
import io.myelin.core.energy.SpikeRaster;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.SynapticLayer;
import io.myelin.models.tensor.SeqTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts what a trained {@link DelaySnn} does in inference (rounded delays, BatchNorm folded, no dropout), layer by
 * layer, from the actual activity of every sample over its own steps:
 * <ul>
 *   <li>the first layer is fed spike counts (multi-bit): MACs = non-zero input entries x fan-out (zeros are skipped,
 *       as the spike-driven kernels do);</li>
 *   <li>every later layer is fed binary spikes: ACs = spikes of the layer below x fan-out;</li>
 *   <li>the equivalent ANN: every synapse at every evaluated step of every sample (MACs);</li>
 *   <li>model size: weights at 32 bits, integer delays at ceil(log2 Td) bits, BatchNorm (gamma, beta, running mean
 *       and variance) and the neuron parameters (tau and threshold per layer) at 32 bits.</li>
 * </ul>
 * Every layer is counted over the steps the readout sums over (the sample's frames, then the delay layers'
 * extension of silence), which is also what the exported network runs in the engine; layer time steps are their mean
 * over samples.
 */
public final class DelaySnnActivity {
    private DelaySnnActivity() {
    }

    /** The model's inference over {@code data}, counted; the raster is of sample {@code rasterSample}. */
    public static ModelActivity run(DelaySnn model, BinnedSet data, String name, String detail, int batch, int rasterSample) {
        List<SynapticLayer> syn = model.synapses();
        int layers = syn.size(), hidden = model.hiddenLayers();
        long[] ops = new long[layers], spikes = new long[layers], updates = new long[layers], annMacs = new long[layers];
        long[] steps = new long[layers];
        int[] outs = new int[layers], ins = new int[layers];
        for (int k = 0; k < layers; k++) {
            outs[k] = syn.get(k).out();
            ins[k] = syn.get(k).in();
        }
        List<List<int[]>> raster = new ArrayList<>();
        for (int k = 0; k < hidden; k++) {
            raster.add(new ArrayList<>());
        }
        int[] rasterSteps = new int[hidden];
        int correct = 0, n = data.size();
        int maxCount = 1;
        for (int s0 = 0; s0 < n; s0 += batch) {
            int s1 = Math.min(n, s0 + batch);
            int[] idx = new int[s1 - s0];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = s0 + k;
            }
            BinnedSet.Batch b = data.batch(idx, model.outputSteps(0));
            SeqTensor v = model.forward(b.x(), b.lengths(), false, 0);
            int[] pred = model.predict(v);
            for (int k = 0; k < idx.length; k++) {
                if (pred[k] == b.labels()[k]) {
                    correct++;
                }
            }
            for (int bb = 0; bb < idx.length; bb++) {
                // every layer runs for the steps the readout sums over: the sample, then silence
                int valid = model.outputSteps(b.lengths()[bb]);
                for (int k = 0; k < layers; k++) {
                    SeqTensor input = k == 0 ? b.x() : model.hiddenSpikes(k - 1);
                    long nz = 0;
                    for (int t = 0; t < Math.min(valid, input.steps); t++) {
                        int base = input.index(t, bb, 0);
                        for (int i = 0; i < ins[k]; i++) {
                            float val = input.data[base + i];
                            if (val != 0f) {
                                nz++;
                                if (k == 0) {
                                    maxCount = Math.max(maxCount, (int) val);
                                }
                            }
                        }
                    }
                    ops[k] += nz * outs[k];
                    annMacs[k] += (long) ins[k] * outs[k] * valid;
                    updates[k] += (long) outs[k] * valid;
                    steps[k] += valid;
                    if (k < hidden) {
                        SeqTensor h = model.hiddenSpikes(k);
                        boolean keep = s0 + bb == rasterSample;
                        for (int t = 0; t < valid; t++) {
                            int base = h.index(t, bb, 0);
                            for (int o = 0; o < outs[k]; o++) {
                                if (h.data[base + o] != 0f) {
                                    spikes[k]++;
                                    if (keep) {
                                        raster.get(k).add(new int[]{t, o});
                                    }
                                }
                            }
                        }
                        if (keep) {
                            rasterSteps[k] = valid;
                        }
                    }
                }
            }
        }
        int inputBits = 32 - Integer.numberOfLeadingZeros(maxCount);
        List<LayerActivity> out = layers(model, n, ops, spikes, updates, steps, annMacs, inputBits);
        List<SpikeRaster> rasters = new ArrayList<>();
        if (rasterSample >= 0 && rasterSample < n) {
            for (int k = 0; k < hidden; k++) {
                List<int[]> r = raster.get(k);
                int[] st = new int[r.size()], ne = new int[r.size()];
                for (int e = 0; e < r.size(); e++) {
                    st[e] = r.get(e)[0];
                    ne[e] = r.get(e)[1];
                }
                rasters.add(new SpikeRaster("hidden" + (k + 1), outs[k], Math.max(1, rasterSteps[k]),
                        model.config().data().frameMs(), st, ne, false));
            }
        }
        return new ModelActivity(name, detail, model.config().data().frameMs(), out, modelSize(model),
                new Accuracy(correct, n), rasters);
    }

    /**
     * The layers' records from counts summed over {@code samples} samples, per synaptic layer: operations (non-zero
     * inputs x fan-out: MACs into the first layer, ACs into the others), spikes, neuron updates, steps and the ANN's
     * MACs.
     */
    public static List<LayerActivity> layers(DelaySnn model, int samples, long[] ops, long[] spikes, long[] updates,
                                             long[] steps, long[] annMacs, int inputBits) {
        List<SynapticLayer> syn = model.synapses();
        int layers = syn.size();
        List<LayerActivity> out = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            boolean readout = k == layers - 1;
            String lname = readout ? "readout" : "hidden" + (k + 1);
            SynapticLayer l = syn.get(k);
            String kind = readout ? "readout" : l instanceof DclsDelayedDense ? "delayed-dense" : "dense";
            long synapses = (long) l.in() * l.out();
            out.add(new LayerActivity(lname, kind, l.out(), Math.round((double) steps[k] / Math.max(1, samples)),
                    Math.max(1, samples), k < spikes.length ? spikes[k] : 0, k == 0 ? 0 : ops[k], k == 0 ? ops[k] : 0,
                    updates[k], synapses, annMacs[k], 32, k == 0 ? inputBits : 1));
        }
        return out;
    }

    /**
     * Model size: weights at 32 bits, integer delays at ceil(log2 Td) bits, BatchNorm and the neuron parameters at 32
     * bits.
     */
    public static ModelSize modelSize(DelaySnn model) {
        List<SynapticLayer> syn = model.synapses();
        ModelSize.Builder size = ModelSize.builder();
        int taps = model.config().model().taps();
        for (int k = 0; k < syn.size(); k++) {
            boolean readout = k == syn.size() - 1;
            String lname = readout ? "readout" : "hidden" + (k + 1);
            SynapticLayer l = syn.get(k);
            long synapses = (long) l.in() * l.out();
            size.add(lname, ParameterKind.WEIGHT, synapses, 32);
            if (l instanceof DclsDelayedDense) {
                size.delays(lname, synapses, taps);
            }
            if (!readout) {
                size.add(lname, ParameterKind.BATCH_NORM, 4L * l.out(), 32);
                size.add(lname, ParameterKind.THRESHOLD, 1, 32);
            }
            size.add(lname, ParameterKind.NEURON, 1, 32);
        }
        return size.build();
    }
}
