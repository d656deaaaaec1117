package io.myelin.kernels;

import io.myelin.core.backend.JavaBackend;
import io.myelin.core.engine.Simulator;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.model.CubaNetwork;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenCL backend against the Java reference: identical spike trains (every spike's step and index), identical
 * spike counts, and bit-identical membrane potentials and synaptic currents wherever they are sampled.
 */
class OpenClAgreementTest {
    private static final double DT = 0.1;

    @BeforeAll
    static void device() {
        OpenClTestDevice.require();
    }

    private static LifParameters.Builder lif() {
        return LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-70).vThresholdMv(-50).refractoryMs(2)
                .tauExcMs(5).tauInhMs(10);
    }

    private static double[] times(int count, double every, double offset) {
        double[] t = new double[count];
        for (int k = 0; k < count; k++) {
            t[k] = offset + k * every;
        }
        return t;
    }

    /** Three neurons with different biases driven by excitatory and inhibitory spike trains. */
    private static NetworkSpec singleNeurons(LifParameters model) {
        return NetworkSpec.builder().dtMs(DT).seed(3)
                .spikeTimesSource("e", 1, new int[40], times(40, 4.7, 1.0))
                .spikeTimesSource("i", 1, new int[25], times(25, 7.3, 3.05))
                .population(new PopulationSpec("n", 3, model, Distribution.uniform(-70, -55), new float[]{0f, 12.5f, 16f}))
                .projection(ProjectionSpec.from("e").to("n").weight(6.0).delayMs(0.1).excitatory())
                .projection(ProjectionSpec.from("i").to("n").weight(-4.0).delayMs(0.3).inhibitory())
                .build();
    }

    @Test
    void singleNeuronTracesWithExponentialSynapses() {
        Agreement.Run r = Agreement.assertIdentical(singleNeurons(lif().build()), 2000, "n", new int[]{0, 1, 2});
        assertTrue(r.spikeSteps().length > 65, "the trace must contain neuron spikes, not only input: " + r.spikeSteps().length);
    }

    @Test
    void singleNeuronTracesWithDeltaAndMixedSynapses() {
        Agreement.assertIdentical(singleNeurons(lif().tauExcMs(0).tauInhMs(0).build()), 2000, "n", new int[]{0, 1, 2});
        Agreement.assertIdentical(singleNeurons(lif().tauExcMs(0).build()), 2000, "n", new int[]{0, 1, 2});
        Agreement.assertIdentical(singleNeurons(lif().tauInhMs(0).build()), 2000, "n", new int[]{0, 1, 2});
    }

    /**
     * Every delay the ring buffer holds, 1..D-1 steps (D = 16). A delay of 0 steps does not exist in this engine:
     * specs reject delays below dt, because a spike of step t is scattered after every neuron of step t has been
     * updated, so the earliest it can act is step t+1.
     */
    @Test
    void everyDelayValue() {
        int d = 16;
        int[] pre = new int[d - 1];
        int[] post = new int[d - 1];
        float[] delays = new float[d - 1];
        for (int k = 0; k < d - 1; k++) {
            post[k] = k;
            delays[k] = (float) ((k + 1) * DT);
        }
        NetworkSpec spec = NetworkSpec.builder().dtMs(DT).seed(5)
                .spikeTimesSource("in", 1, new int[12], times(12, 0.3, 0.2))
                .population("n", d - 1, lif().vResetMv(-66).build(), Distribution.constant(-65))
                .projection(ProjectionSpec.from("in").to("n").explicit(pre, post, null, delays).weight(7.0).excitatory())
                .build();
        CompiledNetwork net = CompiledNetwork.compile(spec);
        assertEquals(d, net.ringSlots());
        int[] all = new int[d - 1];
        Arrays.setAll(all, k -> k);
        Agreement.assertIdentical(spec, 400, "n", all);
    }

    @Test
    void refractoryPeriodHoldsAndCountsDown() {
        NetworkSpec spec = NetworkSpec.builder().dtMs(DT).seed(7)
                .spikeTimesSource("e", 1, new int[60], times(60, 1.1, 0.5))
                .population(new PopulationSpec("n", 2, lif().refractoryMs(3.3).build(), Distribution.constant(-60),
                        new float[]{20f, 30f}))
                .projection(ProjectionSpec.from("e").to("n").weight(9.0).delayMs(0.2).excitatory())
                .build();
        Agreement.Run r = Agreement.assertIdentical(spec, 1500, "n", new int[]{0, 1});
        assertTrue(r.countsPerIndex()[1] > 10, "neuron 1 fires repeatedly (refractory periods exercised)");
    }

    private static NetworkSpec randomNetwork(int n, int sourceSize, double sourceHz, long seed) {
        int ne = n * 4 / 5;
        LifParameters m = lif().build();
        return NetworkSpec.builder().dtMs(DT).seed(seed)
                .poissonSource("drive", sourceSize, sourceHz)
                .population("exc", ne, m, Distribution.uniform(-70, -50))
                .population("inh", n - ne, m, Distribution.uniform(-70, -50))
                .projection(ProjectionSpec.from("drive").to("exc").fixedProbability(0.1).weight(Distribution.uniform(1, 4)).delayMs(Distribution.uniform(0.1, 2)))
                .projection(ProjectionSpec.from("drive").to("inh").fixedProbability(0.1).weight(Distribution.uniform(1, 4)).delayMs(Distribution.uniform(0.1, 2)))
                .projection(ProjectionSpec.from("exc").to("exc").fixedProbability(0.05).weight(Distribution.uniform(0.2, 1.5)).delayMs(Distribution.uniform(0.1, 4)).excitatory())
                .projection(ProjectionSpec.from("exc").to("inh").fixedProbability(0.05).weight(Distribution.uniform(0.2, 1.5)).delayMs(Distribution.uniform(0.1, 4)).excitatory())
                .projection(ProjectionSpec.from("inh").to("exc").fixedProbability(0.1).weight(Distribution.uniform(-4, -1)).delayMs(Distribution.uniform(0.1, 4)).inhibitory())
                .projection(ProjectionSpec.from("inh").to("inh").fixedProbability(0.1).weight(Distribution.uniform(-4, -1)).delayMs(Distribution.uniform(0.1, 4)).inhibitory())
                .build();
    }

    @Test
    void randomNetworkWithHeterogeneousDelays() {
        // 1001 neurons: not a multiple of any work-group size.
        NetworkSpec spec = randomNetwork(1001, 200, 20, 11);
        assertTrue(CompiledNetwork.compile(spec).maxDelaySteps >= 39, "delays up to 4 ms = 40 steps");
        Agreement.Run r = Agreement.assertIdentical(spec, 3000, "exc", new int[]{0, 17, 400, 799});
        assertTrue(r.spikeSteps().length > 1000, "the network is active: " + r.spikeSteps().length + " spikes");
    }

    @Test
    void manySourceSpikesPerStep() {
        // ~100 source spikes per step: more than the initial upload buffer holds.
        CompiledNetwork net = CompiledNetwork.compile(randomNetwork(300, 10_000, 100, 13));
        Agreement.Run java = Agreement.run(net, new JavaBackend(1), 500, "exc", new int[]{3, 99});
        Agreement.Run ocl = Agreement.run(net, OpenClTestDevice.backend(), 500, "exc", new int[]{3, 99});
        Agreement.assertSame(java, ocl);
        assertTrue(java.maxSpikesInStep() > 64, "max spikes in one step " + java.maxSpikesInStep());
    }

    @Test
    void discreteTimeLifNetwork() {
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0).seed(17)
                .poissonSource("in", 50, 80)
                .population(new PopulationSpec("hidden", 77, DiscreteLifParameters.spiking(3.0), Distribution.uniform(0, 0.5),
                        null))
                .population("out", 5, DiscreteLifParameters.readout(7.0))
                .projection(ProjectionSpec.from("in").to("hidden").fixedProbability(0.3).weight(Distribution.uniform(-0.3, 0.7)).delayMs(Distribution.uniform(1, 5)))
                .projection(ProjectionSpec.from("hidden").to("hidden").fixedProbability(0.1).weight(Distribution.uniform(-0.4, 0.4)).delayMs(Distribution.uniform(1, 3)))
                .projection(ProjectionSpec.from("hidden").to("out").allToAll().weight(Distribution.uniform(-0.2, 0.3)).delayMs(Distribution.uniform(1, 4)))
                .build();
        Agreement.Run r = Agreement.assertIdentical(spec, 1000, "hidden", new int[]{0, 5, 76});
        assertTrue(r.spikeSteps().length > 500, "hidden layer is active");
        Agreement.assertIdentical(spec, 1000, "out", new int[]{0, 1, 2, 3, 4});
    }

    @Test
    void discreteLifWithBiasAndDivisionByAwkwardTau() {
        float[] bias = new float[64];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = 0.01f * i + 0.013f;
        }
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0).seed(19)
                .population(new PopulationSpec("n", 64, DiscreteLifParameters.spiking(2.7182817), Distribution.uniform(-1, 1), bias))
                .build();
        int[] all = new int[64];
        Arrays.setAll(all, k -> k);
        Agreement.assertIdentical(spec, 300, "n", all);
    }

    @Test
    void cuba4000OneSecondIdenticalSpikeTrains() {
        NetworkSpec spec = CubaNetwork.spec(4000, 1);
        Agreement.Run r = Agreement.assertIdentical(spec, 10_000, "exc", new int[]{0, 1234, 3199});
        double rate = r.spikeSteps().length / 4000.0;
        assertTrue(rate > 2 && rate < 30, "CUBA fires at a few Hz, got " + rate);
    }

    /**
     * Aparapi re-creates a device buffer from its Java array when the collector moves the array; this run forces
     * young and full collections between steps, and a reset, and must still match the reference exactly.
     */
    @Test
    void deviceStateSurvivesGarbageCollectionAndReset() {
        // The scenario of `myelin bench cuba` (warm-up run, reset, timed run), which lost device state on PoCL before
        // the mutable device arrays were pinned.
        CompiledNetwork net = CompiledNetwork.compile(CubaNetwork.spec(4000, 2));
        Agreement.Run java = Agreement.run(net, new JavaBackend(1), 2000, null, null);
        try (Simulator sim = new Simulator(net, OpenClTestDevice.backend())) {
            sim.recordSpikes("exc");
            churn(sim, 6000);
            sim.reset();
            List<Long> spikes = new ArrayList<>();
            sim.addSpikeListener((step, list, n) -> {
                for (int k = 0; k < n; k++) {
                    spikes.add(step * 1_000_000 + list[k]);
                }
            });
            churn(sim, 2000);
            assertEquals(java.spikeSteps().length, spikes.size(), "spike count after GC churn and reset");
            for (int k = 0; k < spikes.size(); k++) {
                long expected = java.spikeSteps()[k] * 1_000_000 + java.spikeIndices()[k];
                assertEquals(expected, spikes.get(k), "spike " + k + " (step * 1e6 + index)");
            }
            assertArrayEquals(java.countsPerIndex(), sim.backend().spikeCountsPerIndex());
        }
    }

    /** Runs {@code steps} in chunks with young and full collections in between. */
    private static void churn(Simulator sim, int steps) {
        long[][] keep = new long[64][];
        for (int done = 0, k = 0; done < steps; k++) {
            int chunk = Math.min(37, steps - done);
            sim.runSteps(chunk);
            done += chunk;
            for (int j = 0; j < 3000; j++) {
                keep[j % keep.length] = new long[500 + j % 7];
            }
            if (k % 10 == 0) {
                System.gc();
            }
        }
        assertTrue(keep[0].length > 0);
    }

    @Test
    void noSpikesInSomeSteps() {
        // Sub-threshold neurons and no input: nothing ever spikes, V relaxes to rest.
        NetworkSpec spec = NetworkSpec.builder().dtMs(DT).seed(23)
                .population("n", 100, lif().build(), Distribution.uniform(-70, -60))
                .projection(ProjectionSpec.from("n").to("n").fixedProbability(0.1).weight(1.0).delayMs(0.5))
                .build();
        Agreement.Run r = Agreement.assertIdentical(spec, 200, "n", new int[]{0, 50, 99});
        assertEquals(0, r.spikeSteps().length);
    }

    @Test
    void everyNeuronSpikesInTheSameStep() {
        // V(0) above threshold everywhere: all 1000 neurons (not a multiple of the work-group size) fire in step 0
        // and scatter 200k synapses at once into the same slot.
        LifParameters m = lif().vRestMv(-49).vThresholdMv(-50).vResetMv(-60).refractoryMs(0.5).build();
        NetworkSpec spec = NetworkSpec.builder().dtMs(DT).seed(29)
                .population("n", 1000, m, Distribution.constant(-45))
                .projection(ProjectionSpec.from("n").to("n").fixedProbability(0.2).weight(Distribution.uniform(-0.2, 0.1)).delayMs(0.1))
                .build();
        Agreement.Run r = Agreement.assertIdentical(spec, 100, "n", new int[]{0, 999});
        assertEquals(1000, r.maxSpikesInStep());
        long inStep0 = Arrays.stream(r.spikeSteps()).filter(s -> s == 0).count();
        assertEquals(1000, inStep0);
    }

    @Test
    void populationOfOneNeuron() {
        NetworkSpec spec = NetworkSpec.builder().dtMs(DT).seed(31)
                .population(new PopulationSpec("one", 1, lif().build(), Distribution.constant(-65), new float[]{18f}))
                .build();
        Agreement.Run r = Agreement.assertIdentical(spec, 3000, "one", new int[]{0});
        assertTrue(r.spikeSteps().length >= 10, "the biased neuron fires about every 7 ms: " + r.spikeSteps().length);
    }
}
