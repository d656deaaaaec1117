package io.myelin.core.engine;

import cern.jet.random.engine.MersenneTwister;
import cern.jet.random.engine.RandomEngine;
import io.myelin.core.InvalidInputException;
import io.myelin.core.model.Connectivity;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.model.Receptor;
import io.myelin.core.model.SourceSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a spec into a {@link CompiledNetwork}. Every projection and every population draws from its own random
 * stream derived from the spec's seed, so editing one projection does not reshuffle the others.
 */
final class NetworkCompiler {
    private final NetworkSpec spec;
    private final Map<String, CompiledNetwork.Group> groups = new HashMap<>();
    private final List<CompiledNetwork.PopulationLayout> populations = new ArrayList<>();
    private final List<CompiledNetwork.SourceLayout> sources = new ArrayList<>();
    private int neuronCount;
    private int totalCount;

    // Synapses in generation order, before sorting into CSR.
    private int[] synPre = new int[1024];
    private int[] synPost = new int[1024];
    private float[] synWeight = new float[1024];
    private int[] synDelay = new int[1024];
    private double[] synDelayMs = new double[1024];
    private byte[] synReceptor = new byte[1024];
    private int synCount;

    NetworkCompiler(NetworkSpec spec) {
        this.spec = spec;
    }

    /** A well-mixed 32-bit seed for stream {@code stream} of the network seed (SplitMix64 finaliser). */
    static int streamSeed(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + (stream + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (int) (z ^ (z >>> 32));
    }

    CompiledNetwork compile() {
        layOut();
        List<CompiledNetwork.ProjectionLayout> projections = new ArrayList<>();
        for (int k = 0; k < spec.projections().size(); k++) {
            projections.add(generate(k, spec.projections().get(k)));
        }
        int[] rowStart = new int[totalCount + 1];
        for (int s = 0; s < synCount; s++) {
            rowStart[synPre[s] + 1]++;
        }
        for (int i = 0; i < totalCount; i++) {
            rowStart[i + 1] += rowStart[i];
        }
        int[] fill = java.util.Arrays.copyOf(rowStart, totalCount);
        int[] target = new int[synCount];
        byte[] receptor = new byte[synCount];
        float[] weight = new float[synCount];
        int[] delay = new int[synCount];
        double[] delayMs = new double[synCount];
        int maxDelay = 1;
        for (int s = 0; s < synCount; s++) {
            int at = fill[synPre[s]]++;
            target[at] = synPost[s];
            receptor[at] = synReceptor[s];
            weight[at] = synWeight[s];
            delay[at] = synDelay[s];
            delayMs[at] = synDelayMs[s];
            maxDelay = Math.max(maxDelay, synDelay[s]);
        }
        synPre = synPost = synDelay = null;
        synDelayMs = null;
        synWeight = null;
        synReceptor = null;

        FixedPointWeights fixedPoint = new FixedPointWeights(rowStart, target, receptor, weight, neuronCount, totalCount);
        SteppedSpikes[] stepped = SteppedSpikes.of(spec, sources);
        FixedPointScale scale = fixedPoint.scale(FixedPointWeights.multiplicities(stepped, totalCount));
        int[] weightFixed = fixedPoint.fixed(scale);

        int[] neuronPopulation = new int[neuronCount];
        float[] bias = new float[neuronCount];
        float[] initialV = new float[neuronCount];
        CompiledNetwork.PopulationParameters params = new CompiledNetwork.PopulationParameters(populations.size());
        for (CompiledNetwork.PopulationLayout p : populations) {
            PopulationSpec ps = spec.populations().get(p.index());
            fillParameters(params, p.index(), ps);
            RandomEngine rng = new MersenneTwister(streamSeed(spec.seed(), 1_000_000L + p.index()));
            for (int i = 0; i < p.size(); i++) {
                int n = p.offset() + i;
                neuronPopulation[n] = p.index();
                initialV[n] = (float) ps.initialV().sample(rng);
                bias[n] = ps.bias() == null ? 0f : ps.bias()[i];
            }
        }
        return new CompiledNetwork(spec, neuronCount, totalCount, rowStart, target, receptor, weight, weightFixed, delay,
                delayMs, maxDelay, scale, neuronPopulation, bias, initialV, params, populations, sources, projections,
                fixedPoint, stepped);
    }

    private void layOut() {
        long offset = 0;
        for (int i = 0; i < spec.populations().size(); i++) {
            PopulationSpec p = spec.populations().get(i);
            CompiledNetwork.PopulationLayout l = new CompiledNetwork.PopulationLayout(p.name(), i, (int) offset, p.size());
            populations.add(l);
            groups.put(p.name(), l);
            offset += p.size();
        }
        long neurons = offset;
        for (int i = 0; i < spec.sources().size(); i++) {
            SourceSpec s = spec.sources().get(i);
            CompiledNetwork.SourceLayout l = new CompiledNetwork.SourceLayout(s.name(), i, (int) offset, s.size());
            sources.add(l);
            groups.put(s.name(), l);
            offset += s.size();
        }
        if (offset > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("the network has " + offset + " neurons and sources; at most 2^31 are supported");
        }
        neuronCount = (int) neurons;
        totalCount = (int) offset;
    }

    private void fillParameters(CompiledNetwork.PopulationParameters params, int p, PopulationSpec ps) {
        double dt = spec.dtMs();
        if (ps.model() instanceof LifParameters lif) {
            double vDecay = Math.exp(-dt / lif.tauMs());
            params.kind[p] = CompiledNetwork.KIND_LIF;
            params.vDecay[p] = (float) vDecay;
            params.biasToV[p] = (float) (1 - vDecay);
            params.vRest[p] = (float) lif.vRestMv();
            params.vReset[p] = (float) lif.vResetMv();
            params.vThreshold[p] = (float) lif.vThresholdMv();
            params.refractorySteps[p] = (int) Math.round(lif.refractoryMs() / dt);
            int mask = 0;
            if (lif.deltaExcitatory()) {
                mask |= 1;
            } else {
                params.excDecay[p] = (float) Math.exp(-dt / lif.tauExcMs());
                params.excToV[p] = (float) currentToVoltage(dt, lif.tauMs(), lif.tauExcMs());
            }
            if (lif.deltaInhibitory()) {
                mask |= 2;
            } else {
                params.inhDecay[p] = (float) Math.exp(-dt / lif.tauInhMs());
                params.inhToV[p] = (float) currentToVoltage(dt, lif.tauMs(), lif.tauInhMs());
            }
            params.deltaMask[p] = mask;
        } else if (ps.model() instanceof DiscreteLifParameters d) {
            params.kind[p] = CompiledNetwork.KIND_DISCRETE_LIF;
            params.tauSteps[p] = (float) d.tauSteps();
            params.vThreshold[p] = (float) d.vThreshold();
            params.vReset[p] = (float) d.vReset();
            params.deltaMask[p] = 3;
        } else {
            throw new InvalidInputException("population '" + ps.name() + "': unsupported neuron model " + ps.model());
        }
    }

    /**
     * Exact contribution to V(t+dt) of a synaptic current I(t) decaying with tauSyn, for
     * tau_m dV/dt = -V + I: {@code tauSyn/(tauSyn - tauM) * (exp(-dt/tauSyn) - exp(-dt/tauM))}, and its limit
     * {@code dt/tau exp(-dt/tau)} when the two time constants are equal.
     */
    static double currentToVoltage(double dt, double tauM, double tauSyn) {
        if (Math.abs(tauSyn - tauM) < 1e-9 * tauM) {
            return dt / tauM * Math.exp(-dt / tauM);
        }
        return tauSyn / (tauSyn - tauM) * (Math.exp(-dt / tauSyn) - Math.exp(-dt / tauM));
    }

    private CompiledNetwork.ProjectionLayout generate(int k, ProjectionSpec pr) {
        CompiledNetwork.Group pre = groups.get(pr.pre());
        CompiledNetwork.Group post = groups.get(pr.post());
        RandomEngine rng = new MersenneTwister(streamSeed(spec.seed(), k));
        byte receptor = (byte) (pr.receptor() == Receptor.EXCITATORY ? 0 : 1);
        int[] fanOut = new int[pre.size()];
        int before = synCount;
        boolean same = pr.pre().equals(pr.post());
        String where = "projection '" + pr.name() + "'";
        Connectivity c = pr.connectivity();
        if (c instanceof Connectivity.AllToAll a) {
            for (int i = 0; i < pre.size(); i++) {
                for (int j = 0; j < post.size(); j++) {
                    if (a.allowSelf() || !same || i != j) {
                        add(pre, post, i, j, pr, rng, receptor, fanOut, where);
                    }
                }
            }
        } else if (c instanceof Connectivity.FixedProbability fp) {
            generateFixedProbability(pre, post, fp, same, pr, rng, receptor, fanOut, where);
        } else if (c instanceof Connectivity.FixedInDegree fi) {
            generateFixedInDegree(pre, post, fi, same, pr, rng, receptor, fanOut, where);
        } else if (c instanceof Connectivity.OneToOne) {
            for (int i = 0; i < pre.size(); i++) {
                add(pre, post, i, i, pr, rng, receptor, fanOut, where);
            }
        } else if (c instanceof Connectivity.Explicit e) {
            for (int s = 0; s < e.pre().length; s++) {
                double w = e.weights() != null ? e.weights()[s] : pr.weight().sample(rng);
                double d = e.delaysMs() != null ? e.delaysMs()[s] : pr.delayMs().sample(rng);
                append(pre.offset() + e.pre()[s], post.offset() + e.post()[s], w, toSteps(d, where), d, receptor);
                fanOut[e.pre()[s]]++;
            }
        }
        return new CompiledNetwork.ProjectionLayout(pr.name(), pr.pre(), pr.post(), pre.offset(), pre.size(),
                post.offset(), post.size(), synCount - before, fanOut, receptor);
    }

    private void generateFixedProbability(CompiledNetwork.Group pre, CompiledNetwork.Group post,
                                          Connectivity.FixedProbability fp, boolean same, ProjectionSpec pr,
                                          RandomEngine rng, byte receptor, int[] fanOut, String where) {
        double p = fp.p();
        if (p <= 0) {
            return;
        }
        double logQ = Math.log1p(-p);
        for (int i = 0; i < pre.size(); i++) {
            // Geometric skipping: O(synapses), not O(pre x post).
            long j = -1;
            while (true) {
                j += p >= 1 ? 1 : 1 + (long) Math.floor(Math.log(1 - rng.raw()) / logQ);
                if (j >= post.size()) {
                    break;
                }
                if (fp.allowSelf() || !same || i != j) {
                    add(pre, post, i, (int) j, pr, rng, receptor, fanOut, where);
                }
            }
        }
    }

    private void generateFixedInDegree(CompiledNetwork.Group pre, CompiledNetwork.Group post, Connectivity.FixedInDegree fi,
                                       boolean same, ProjectionSpec pr, RandomEngine rng, byte receptor, int[] fanOut,
                                       String where) {
        int k = fi.k();
        int[] stamp = new int[pre.size()];
        int[] chosen = new int[k];
        for (int j = 0; j < post.size(); j++) {
            int mark = j + 1;
            if (same && !fi.allowSelf()) {
                stamp[j] = mark;
            }
            // Rejection sampling of distinct presynaptic neurons; k is at most the available count (validated).
            for (int c = 0; c < k; c++) {
                int i;
                do {
                    i = (int) (rng.raw() * pre.size());
                } while (stamp[i] == mark);
                stamp[i] = mark;
                chosen[c] = i;
            }
            for (int c = 0; c < k; c++) {
                add(pre, post, chosen[c], j, pr, rng, receptor, fanOut, where);
            }
        }
    }

    private void add(CompiledNetwork.Group pre, CompiledNetwork.Group post, int i, int j, ProjectionSpec pr,
                     RandomEngine rng, byte receptor, int[] fanOut, String where) {
        double w = pr.weight().sample(rng);
        double d = pr.delayMs().sample(rng);
        append(pre.offset() + i, post.offset() + j, w, toSteps(d, where), d, receptor);
        fanOut[i]++;
    }

    private int toSteps(double delayMs, String where) {
        long steps = Math.round(delayMs / spec.dtMs());
        if (steps < 1) {
            throw new InvalidInputException(where + ": a delay of " + delayMs + " ms is shorter than dt = " + spec.dtMs() + " ms");
        }
        if (steps > 1_000_000) {
            throw new InvalidInputException(where + ": a delay of " + delayMs + " ms is " + steps
                    + " steps; the delay buffer holds at most 1000000 steps");
        }
        return (int) steps;
    }

    private void append(int pre, int post, double w, int delay, double delayMs, byte receptor) {
        if (synCount == synPre.length) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 8L, synPre.length * 2L);
            if (cap == synCount) {
                throw new InvalidInputException("more than " + synCount + " synapses: too many for one network");
            }
            synPre = java.util.Arrays.copyOf(synPre, cap);
            synPost = java.util.Arrays.copyOf(synPost, cap);
            synWeight = java.util.Arrays.copyOf(synWeight, cap);
            synDelay = java.util.Arrays.copyOf(synDelay, cap);
            synDelayMs = java.util.Arrays.copyOf(synDelayMs, cap);
            synReceptor = java.util.Arrays.copyOf(synReceptor, cap);
        }
        synPre[synCount] = pre;
        synPost[synCount] = post;
        synWeight[synCount] = (float) w;
        synDelay[synCount] = delay;
        synDelayMs[synCount] = delayMs;
        synReceptor[synCount] = receptor;
        synCount++;
    }
}
