package io.myelin.core.engine;

import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.SourceSpec;

import java.util.List;

/**
 * A {@link NetworkSpec} turned into flat arrays that backends work on directly.
 *
 * <p>Index space: neurons of the neuron populations first ({@code 0..neuronCount-1}, in spec order), then spike
 * sources ({@code neuronCount..totalCount-1}). Synapses are stored in CSR by presynaptic index: the synapses of
 * {@code pre} are {@code rowStart[pre]..rowStart[pre+1]-1}, each with a postsynaptic neuron {@code target[s]}, a
 * {@code receptor[s]} (0 excitatory, 1 inhibitory), a {@code weight[s]} (as specified), its fixed-point form
 * {@code weightFixed[s]} (what is actually delivered, see {@link FixedPointScale}) and {@code delaySteps[s] >= 1}.
 *
 * <p>Neuron parameters are per population ({@code p*} arrays, indexed by {@code neuronPopulation[n]}), already in
 * the form the update needs: exact exponential propagators for the continuous LIF.
 * All arrays are shared with backends: do not modify them.
 */
public final class CompiledNetwork {
    /** Neuron model kinds in {@link #pKind}. */
    public static final int KIND_LIF = 0;
    public static final int KIND_DISCRETE_LIF = 1;

    public final NetworkSpec spec;
    public final double dtMs;
    public final int neuronCount;
    public final int totalCount;

    public final int[] rowStart;
    public final int[] target;
    public final byte[] receptor;
    public final float[] weight;
    public final int[] weightFixed;
    public final int[] delaySteps;
    /** Each synapse's delay as specified (ms, not rounded): what the event-driven engine uses. */
    public final double[] delayMs;
    public final int maxDelaySteps;
    public final FixedPointScale scale;

    public final int[] neuronPopulation;
    /** Per-neuron constant input (bias), 0 where none. */
    public final float[] bias;
    /** Initial membrane potentials (drawn from the seed). */
    public final float[] initialV;

    // Per-population parameters (see NeuronUpdate for how they are used).
    public final int[] pKind;
    public final float[] pVDecay;       // LIF: exp(-dt/tau_m)
    public final float[] pExcToV;       // LIF: contribution of I_exc(t) to V(t+dt); 0 for delta synapses
    public final float[] pInhToV;
    public final float[] pExcDecay;     // LIF: exp(-dt/tau_exc); 0 for delta synapses
    public final float[] pInhDecay;
    public final float[] pBiasToV;      // LIF: 1 - exp(-dt/tau_m), weight of a constant bias current
    public final float[] pVRest;
    public final float[] pVReset;
    public final float[] pVThreshold;
    public final int[] pRefractorySteps;
    public final int[] pDeltaMask;      // bit 0: excitatory input jumps V; bit 1: inhibitory input jumps V
    public final float[] pTauSteps;     // discrete LIF: tau in steps

    public final List<PopulationLayout> populations;
    public final List<SourceLayout> sources;
    public final List<ProjectionLayout> projections;
    /** The scale's derivation and the fixed-point weights per scale, shared with every network derived from this one. */
    final FixedPointWeights fixedPoint;
    /** Per source index: a spike-times source's spikes in steps (null for other sources), converted once. */
    final SteppedSpikes[] stepped;

    CompiledNetwork(NetworkSpec spec, int neuronCount, int totalCount, int[] rowStart, int[] target, byte[] receptor,
                    float[] weight, int[] weightFixed, int[] delaySteps, double[] delayMs, int maxDelaySteps, FixedPointScale scale,
                    int[] neuronPopulation, float[] bias, float[] initialV, PopulationParameters params,
                    List<PopulationLayout> populations, List<SourceLayout> sources, List<ProjectionLayout> projections,
                    FixedPointWeights fixedPoint, SteppedSpikes[] stepped) {
        this.spec = spec;
        this.dtMs = spec.dtMs();
        this.neuronCount = neuronCount;
        this.totalCount = totalCount;
        this.rowStart = rowStart;
        this.target = target;
        this.receptor = receptor;
        this.weight = weight;
        this.weightFixed = weightFixed;
        this.delaySteps = delaySteps;
        this.delayMs = delayMs;
        this.maxDelaySteps = maxDelaySteps;
        this.scale = scale;
        this.neuronPopulation = neuronPopulation;
        this.bias = bias;
        this.initialV = initialV;
        this.pKind = params.kind;
        this.pVDecay = params.vDecay;
        this.pExcToV = params.excToV;
        this.pInhToV = params.inhToV;
        this.pExcDecay = params.excDecay;
        this.pInhDecay = params.inhDecay;
        this.pBiasToV = params.biasToV;
        this.pVRest = params.vRest;
        this.pVReset = params.vReset;
        this.pVThreshold = params.vThreshold;
        this.pRefractorySteps = params.refractorySteps;
        this.pDeltaMask = params.deltaMask;
        this.pTauSteps = params.tauSteps;
        this.populations = List.copyOf(populations);
        this.sources = List.copyOf(sources);
        this.projections = List.copyOf(projections);
        this.fixedPoint = fixedPoint;
        this.stepped = stepped;
    }

    private CompiledNetwork(CompiledNetwork base, NetworkSpec spec, FixedPointScale scale, int[] weightFixed,
                            SteppedSpikes[] stepped) {
        this.spec = spec;
        this.dtMs = base.dtMs;
        this.neuronCount = base.neuronCount;
        this.totalCount = base.totalCount;
        this.rowStart = base.rowStart;
        this.target = base.target;
        this.receptor = base.receptor;
        this.weight = base.weight;
        this.weightFixed = weightFixed;
        this.delaySteps = base.delaySteps;
        this.delayMs = base.delayMs;
        this.maxDelaySteps = base.maxDelaySteps;
        this.scale = scale;
        this.neuronPopulation = base.neuronPopulation;
        this.bias = base.bias;
        this.initialV = base.initialV;
        this.pKind = base.pKind;
        this.pVDecay = base.pVDecay;
        this.pExcToV = base.pExcToV;
        this.pInhToV = base.pInhToV;
        this.pExcDecay = base.pExcDecay;
        this.pInhDecay = base.pInhDecay;
        this.pBiasToV = base.pBiasToV;
        this.pVRest = base.pVRest;
        this.pVReset = base.pVReset;
        this.pVThreshold = base.pVThreshold;
        this.pRefractorySteps = base.pRefractorySteps;
        this.pDeltaMask = base.pDeltaMask;
        this.pTauSteps = base.pTauSteps;
        this.populations = base.populations;
        this.sources = base.sources;
        this.projections = base.projections;
        this.fixedPoint = base.fixedPoint;
        this.stepped = stepped;
    }

    /**
     * This network with other spikes for some of its spike-times sources (by name, same sizes): equal to compiling
     * the spec with those sources replaced (same fixed-point scale, same everything), at the cost of the sources'
     * synapses rather than the whole network. Synapse arrays are shared with this network.
     *
     * @throws InvalidInputException if a replacement names no spike-times source of this size or its spikes are invalid
     */
    public CompiledNetwork withSpikeTimes(List<SourceSpec.SpikeTimes> replacements) {
        List<PreparedSpikes> prepared = new java.util.ArrayList<>(replacements.size());
        for (SourceSpec.SpikeTimes r : replacements) {
            prepared.add(prepare(r));
        }
        return withPreparedSpikes(prepared);
    }

    /**
     * Checks {@code spikes} as {@link #withSpikeTimes} would (a spike-times source of this network by that name and
     * size; valid neurons and times) and puts them on this network's step grid, once for any number of runs.
     *
     * @throws InvalidInputException if the spikes name no spike-times source of this size or are invalid
     */
    public PreparedSpikes prepare(SourceSpec.SpikeTimes spikes) {
        int at = spikeTimesSource(spikes.name(), spikes.size());
        spikes.validate("sources[" + at + "]");
        return new PreparedSpikes(spikes, dtMs, SteppedSpikes.of(spikes, 0, dtMs));
    }

    /**
     * {@link #withSpikeTimes} with spikes prepared before ({@link #prepare}, possibly on another network of the same
     * step and sources): the same network, without validating and converting them again.
     *
     * @throws InvalidInputException if spikes were prepared for another step or name no spike-times source of their size
     */
    public CompiledNetwork withPreparedSpikes(List<PreparedSpikes> replacements) {
        List<SourceSpec> list = new java.util.ArrayList<>(spec.sources());
        SteppedSpikes[] steps = stepped.clone();
        for (PreparedSpikes p : replacements) {
            SourceSpec.SpikeTimes r = p.source();
            if (p.dtMs() != dtMs) {
                throw new io.myelin.core.InvalidInputException("spikes for source '" + r.name() + "' were prepared for a step of "
                        + p.dtMs() + " ms; this network steps " + dtMs + " ms (prepare them with this network)");
            }
            int at = spikeTimesSource(r.name(), r.size());
            list.set(at, r);
            for (SourceLayout l : sources) {
                if (l.index() == at) {
                    steps[at] = p.stepped.at(l.offset());
                }
            }
        }
        // Everything else was validated with this network's spec and is unchanged.
        NetworkSpec changed = new NetworkSpec(spec.dtMs(), spec.seed(), spec.populations(), list, spec.projections());
        FixedPointScale s = fixedPoint.scale(FixedPointWeights.multiplicities(steps, totalCount));
        return new CompiledNetwork(this, changed, s, s.equals(scale) ? weightFixed : fixedPoint.fixed(s), steps);
    }

    /** Index of the spike-times source named {@code name}, checked to have {@code size} neurons. */
    private int spikeTimesSource(String name, int size) {
        List<SourceSpec> list = spec.sources();
        int at = -1;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(name)) {
                at = i;
            }
        }
        if (at < 0 || !(list.get(at) instanceof SourceSpec.SpikeTimes old)) {
            throw new io.myelin.core.InvalidInputException("no spike-times source named '" + name + "' to replace");
        }
        if (old.size() != size) {
            throw new io.myelin.core.InvalidInputException("source '" + name + "' has " + old.size()
                    + " neurons; its replacement has " + size);
        }
        return at;
    }

    /** Compiles a validated spec: draws connectivity, weights, delays and initial state from its seed. */
    public static CompiledNetwork compile(NetworkSpec spec) {
        return new NetworkCompiler(spec.validate()).compile();
    }

    public int synapseCount() {
        return target.length;
    }

    /** Slots of the delay ring buffer: longest delay + 1. */
    public int ringSlots() {
        return maxDelaySteps + 1;
    }

    public PopulationLayout population(String name) {
        for (PopulationLayout p : populations) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new io.myelin.core.InvalidInputException("unknown population '" + name + "' (known: "
                + populations.stream().map(PopulationLayout::name).toList() + ")");
    }

    /** The population or source with this name. */
    public Group group(String name) {
        for (PopulationLayout p : populations) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        for (SourceLayout s : sources) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new io.myelin.core.InvalidInputException("unknown population or source '" + name + "'");
    }

    /** Population or source occupying a range of the index space. */
    public interface Group {
        String name();

        int offset();

        int size();
    }

    /** Where a neuron population sits in the index space. */
    public record PopulationLayout(String name, int index, int offset, int size) implements Group {
    }

    /** Where a spike source sits in the index space. */
    public record SourceLayout(String name, int index, int offset, int size) implements Group {
    }

    /**
     * A projection's synapse count and, per presynaptic neuron, how many of its synapses belong to it: with a
     * spike count per neuron this gives the exact number of synaptic events delivered.
     */
    public record ProjectionLayout(String name, String pre, String post, int preOffset, int preSize, int postOffset,
                                   int postSize, long synapses, int[] fanOut, int receptor) {
    }

    /** Per-population parameter arrays, filled by the compiler. */
    static final class PopulationParameters {
        final int[] kind;
        final float[] vDecay, excToV, inhToV, excDecay, inhDecay, biasToV, vRest, vReset, vThreshold, tauSteps;
        final int[] refractorySteps, deltaMask;

        PopulationParameters(int n) {
            kind = new int[n];
            vDecay = new float[n];
            excToV = new float[n];
            inhToV = new float[n];
            excDecay = new float[n];
            inhDecay = new float[n];
            biasToV = new float[n];
            vRest = new float[n];
            vReset = new float[n];
            vThreshold = new float[n];
            tauSteps = new float[n];
            refractorySteps = new int[n];
            deltaMask = new int[n];
        }
    }
}
