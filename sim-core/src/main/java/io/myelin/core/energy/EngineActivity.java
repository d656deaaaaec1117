package io.myelin.core.energy;

import io.myelin.core.InvalidInputException;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.engine.Engine;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.SpikeListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a run of an {@link Engine} (either one) into {@link LayerActivity} records: one layer per spike source
 * (input, no operations) and one per neuron population, which is charged the synaptic events of every projection
 * that ends in it. The counts come from {@link Engine#operationCounts()}, exact spikes x fan-out per projection,
 * which the engine derives from per-neuron spike counts it keeps anyway: attaching this adapter adds only the
 * raster recording of the first {@code rasterSteps} steps.
 *
 * <p>Every synaptic event in the engine is an AC: neurons emit binary spikes, and a spike source that emits several
 * spikes of one neuron in one step (dataset counts replayed as events) delivers each of them separately, one
 * addition per spike per synapse, so inputs are 1 bit wide. The equivalent ANN evaluates every synapse of a
 * population every step: {@code ann_macs = synapses x steps}. Weights are delivered as 32-bit fixed point, so
 * they count 32 bits.
 *
 * <pre>{@code
 * try (Engine sim = Engines.create(spec, "clock")) {
 *     EngineActivity activity = EngineActivity.attach(sim, 2000, 200_000);
 *     activity.runSteps(10_000);             // or sim.run(...), which keeps the raster listener attached
 *     EnergyReport r = EnergyReport.build(source, EnergyModel.default45nm(), spec.dtMs(), activity.layers(),
 *             EngineActivity.modelSize(sim.network()), null, null, activity.rasters());
 * }
 * }</pre>
 */
public final class EngineActivity implements SpikeListener {
    /** Width at which the engine stores and delivers weights (fixed-point int). */
    public static final int ENGINE_WEIGHT_BITS = 32;

    private final Engine sim;
    private final CompiledNetwork net;
    private final long startStep;
    private final long rasterSteps;
    private final int maxRasterSpikes;
    private final int[] groupOf;
    private final int[] offsetOf;
    private final int[][] rasterStep;
    private final int[][] rasterNeuron;
    private final int[] rasterCount;
    private final boolean[] truncated;

    private EngineActivity(Engine sim, long rasterSteps, int maxRasterSpikes) {
        this.sim = sim;
        this.net = sim.network();
        this.startStep = sim.currentStep();
        this.rasterSteps = rasterSteps;
        this.maxRasterSpikes = maxRasterSpikes;
        int groups = net.populations.size() + net.sources.size();
        groupOf = new int[net.totalCount];
        offsetOf = new int[groups];
        int g = 0;
        for (CompiledNetwork.Group grp : groups()) {
            Arrays.fill(groupOf, grp.offset(), grp.offset() + grp.size(), g);
            offsetOf[g++] = grp.offset();
        }
        rasterStep = new int[groups][64];
        rasterNeuron = new int[groups][64];
        rasterCount = new int[groups];
        truncated = new boolean[groups];
    }

    /**
     * Registers with {@code sim}; counts are taken from the engine's start (or last reset), the raster from now.
     *
     * @param rasterSteps     steps to record spikes of for the raster plot (0 for none)
     * @param maxRasterSpikes cap on recorded spikes per layer
     */
    public static EngineActivity attach(Engine sim, long rasterSteps, int maxRasterSpikes) {
        if (rasterSteps < 0 || maxRasterSpikes < 0) {
            throw new InvalidInputException("raster steps and spike cap must be >= 0, got " + rasterSteps + ", "
                    + maxRasterSpikes);
        }
        EngineActivity a = new EngineActivity(sim, rasterSteps, maxRasterSpikes);
        if (rasterSteps > 0) {
            sim.addSpikeListener(a);
        }
        return a;
    }

    /**
     * Advances the engine by {@code steps}, recording spikes only while inside the raster window and detaching
     * afterwards, so the rest of the run costs exactly what it costs without a report.
     */
    public void runSteps(long steps) {
        long rel = sim.currentStep() - startStep;
        long rec = Math.max(0, Math.min(steps, rasterSteps - rel));
        if (rec > 0) {
            sim.runSteps(rec);
        }
        if (rec < steps) {
            sim.removeSpikeListener(this); // the window is over
            sim.runSteps(steps - rec);
        }
    }

    private List<CompiledNetwork.Group> groups() {
        List<CompiledNetwork.Group> all = new ArrayList<>(net.sources);
        all.addAll(0, net.populations);
        return all;
    }

    @Override
    public void onSpikes(long step, int[] spikes, int n) {
        long rel = step - startStep;
        if (rel < 0 || rel >= rasterSteps) {
            return;
        }
        for (int k = 0; k < n; k++) {
            int g = groupOf[spikes[k]];
            int c = rasterCount[g];
            if (c == maxRasterSpikes) {
                truncated[g] = true;
                continue;
            }
            if (c == rasterStep[g].length) {
                rasterStep[g] = Arrays.copyOf(rasterStep[g], c * 2);
                rasterNeuron[g] = Arrays.copyOf(rasterNeuron[g], c * 2);
            }
            rasterStep[g][c] = (int) rel;
            rasterNeuron[g][c] = spikes[k] - offsetOf[g];
            rasterCount[g] = c + 1;
        }
    }

    /** Sources first, then populations, as inputs come before the layers they feed. */
    public List<LayerActivity> layers() {
        return layers(net, sim.operationCounts());
    }

    /**
     * Layers from any engine's counts over {@code net}: sources first, then populations. Neuron updates per
     * population are the engine's own ({@link OperationCounts#neuronUpdatesByPopulation()}); counts that carry only
     * the total have it split over populations in proportion to their size (largest remainder, so the layers add up
     * to the total; for the clock engine's {@code neurons x steps} that is {@code size x steps} exactly).
     */
    public static List<LayerActivity> layers(CompiledNetwork net, OperationCounts oc) {
        long steps = oc.steps();
        long[] updates = new long[net.populations.size()];
        if (oc.neuronUpdatesByPopulation().isEmpty()) {
            apportion(oc.neuronUpdates(), net, updates);
        } else {
            for (int i = 0; i < updates.length; i++) {
                updates[i] = oc.neuronUpdatesByPopulation().get(net.populations.get(i).name());
            }
        }
        List<LayerActivity> out = new ArrayList<>();
        for (CompiledNetwork.SourceLayout s : net.sources) {
            out.add(new LayerActivity(s.name(), "source", s.size(), steps, 1, oc.spikesByGroup().get(s.name()),
                    0, 0, 0, 0, 0, 0, 1));
        }
        for (int i = 0; i < net.populations.size(); i++) {
            CompiledNetwork.PopulationLayout p = net.populations.get(i);
            long events = 0;
            long synapses = 0;
            for (CompiledNetwork.ProjectionLayout pr : net.projections) {
                if (pr.post().equals(p.name())) {
                    events += oc.synapticEventsByProjection().get(pr.name());
                    synapses += pr.synapses();
                }
            }
            out.add(new LayerActivity(p.name(), "population", p.size(), steps, 1, oc.spikesByGroup().get(p.name()),
                    events, 0, updates[i], synapses, synapses * steps, synapses > 0 ? ENGINE_WEIGHT_BITS : 0, 1));
        }
        return out;
    }

    private static void apportion(long total, CompiledNetwork net, long[] out) {
        long n = Math.max(1, net.neuronCount);
        long given = 0;
        double[] rest = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            double exact = (double) total * net.populations.get(i).size() / n;
            out[i] = (long) Math.floor(exact);
            rest[i] = exact - out[i];
            given += out[i];
        }
        for (long left = total - given; left > 0 && out.length > 0; left--) {
            int best = 0;
            for (int i = 1; i < out.length; i++) {
                if (rest[i] > rest[best]) {
                    best = i;
                }
            }
            out[best]++;
            rest[best] = -1;
        }
    }

    /** Spikes of the recorded window, one raster per layer, in {@link #layers()} order. */
    public List<SpikeRaster> rasters() {
        long window = Math.min(rasterSteps, sim.currentStep() - startStep);
        List<SpikeRaster> out = new ArrayList<>();
        List<CompiledNetwork.Group> groups = groups();
        // layers() order: sources, then populations
        List<Integer> order = new ArrayList<>();
        for (int g = net.populations.size(); g < groups.size(); g++) {
            order.add(g);
        }
        for (int g = 0; g < net.populations.size(); g++) {
            order.add(g);
        }
        for (int g : order) {
            CompiledNetwork.Group grp = groups.get(g);
            out.add(new SpikeRaster(grp.name(), grp.size(), window, net.dtMs,
                    Arrays.copyOf(rasterStep[g], rasterCount[g]), Arrays.copyOf(rasterNeuron[g], rasterCount[g]),
                    truncated[g]));
        }
        return out;
    }

    /**
     * Stored parameters of a compiled network: per projection its weights (32-bit) and delays (one shared value
     * when all are equal, else ceil(log2 Td) bits per synapse over its Td = max - min + 1 step values); per population
     * its threshold, its other neuron parameters (32-bit each) and its per-neuron biases if any.
     * Synapses are attributed to a projection by their pre and post ranges, so two projections between the same
     * pair of groups share one delay range.
     */
    public static ModelSize modelSize(CompiledNetwork net) {
        ModelSize.Builder b = ModelSize.builder();
        for (CompiledNetwork.ProjectionLayout pr : net.projections) {
            b.add(pr.name(), ParameterKind.WEIGHT, pr.synapses(), ENGINE_WEIGHT_BITS);
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int pre = pr.preOffset(); pre < pr.preOffset() + pr.preSize(); pre++) {
                for (int s = net.rowStart[pre]; s < net.rowStart[pre + 1]; s++) {
                    int t = net.target[s];
                    if (t >= pr.postOffset() && t < pr.postOffset() + pr.postSize()) {
                        min = Math.min(min, net.delaySteps[s]);
                        max = Math.max(max, net.delaySteps[s]);
                    }
                }
            }
            if (pr.synapses() > 0) {
                if (min == max) {
                    b.add(pr.name(), ParameterKind.DELAY, 1, ModelSize.delayBits(max + 1L));
                } else {
                    b.delays(pr.name(), pr.synapses(), max - min + 1L);
                }
            }
        }
        for (PopulationSpec p : net.spec.populations()) {
            b.add(p.name(), ParameterKind.THRESHOLD, 1, 32);
            int others = p.model() instanceof LifParameters ? 6 : p.model() instanceof DiscreteLifParameters ? 2 : 0;
            b.add(p.name(), ParameterKind.NEURON, others, 32);
            if (p.bias() != null) {
                b.add(p.name(), ParameterKind.BIAS, p.size(), 32);
            }
        }
        return b.build();
    }
}
