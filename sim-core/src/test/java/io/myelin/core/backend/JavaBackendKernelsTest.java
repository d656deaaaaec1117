package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.engine.Simulator;
import io.myelin.core.model.CubaNetwork;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java backend's kernels (Vector API and scalar, 1 to 3 threads, with and without the next step's update done
 * ahead) against {@link ReferenceClock}, the plain step: every spike and every membrane and current, bit for bit.
 */
class JavaBackendKernelsTest {
    /** Thread ranges as small as the old default, so that the 4k-neuron test networks run on every thread. */
    private static final int SMALL_TASKS = 1024;
    private static final int[][] CONFIGS = {{1, 1}, {1, 0}, {2, 1}, {3, 1}, {3, 0}};   // {threads, vector}

    @Test
    void theVectorKernelIsTheOneUnderTest() {
        assertTrue(new JavaBackend(1).vectorized(), "the build's tests run with --add-modules jdk.incubator.vector, "
                + "so the Vector API kernel must be in use (else these tests would check the scalar one twice)");
        assertTrue(!new JavaBackend(1, false).vectorized());
    }

    /** CUBA with populations that end in partial vector registers (3279 + 820 neurons). */
    @Test
    void cubaEveryStepMatchesTheReference() {
        CompiledNetwork net = CompiledNetwork.compile(CubaNetwork.spec(4099, 3));
        for (int[] c : CONFIGS) {
            int spikes = compareStepByStep(net, c[0], c[1] == 1, 400);
            assertTrue(spikes > 800, "the network must be active for the comparison to mean much: " + spikes);
        }
    }

    /**
     * Every kind of population the clock engine has: LIF with an exponential excitatory and a delta inhibitory
     * receptor, LIF with delta synapses and per-neuron bias, discrete LIF with per-neuron and with shared bias;
     * Poisson and explicit sources; delays of 1 to 6 steps; weights of both signs; and a population whose reset
     * equals its threshold once rounded to float, so that a neuron held at V_reset fires again while refractory.
     */
    @Test
    void mixedNetworkEveryStepMatchesTheReference() {
        CompiledNetwork net = CompiledNetwork.compile(mixed());
        for (int[] c : CONFIGS) {
            int spikes = compareStepByStep(net, c[0], c[1] == 1, 300);
            assertTrue(spikes > 1000, "the network must be active: " + spikes);
        }
    }

    /**
     * The path that delivers the input before the update (one-step delays, current receptors only): per-neuron bias,
     * weights of both signs onto one receptor (sums that cancel to 0), source spikes listed twice in one step, several
     * synapses from one source onto one target, and a population whose reset equals its threshold (the scalar kernel
     * on the delivered currents, a refractory neuron firing again).
     */
    @Test
    void deliveredInputEveryStepMatchesTheReference() {
        CompiledNetwork net = CompiledNetwork.compile(currentsOnly());
        for (int[] c : CONFIGS) {
            try (JavaBackend b = new JavaBackend(c[0], c[1] == 1, SMALL_TASKS)) {
                b.load(net);
                assertTrue(b.deliversInput(), "one-step delays and current receptors only: input delivered apart");
            }
            int spikes = compareStepByStep(net, c[0], c[1] == 1, 300);
            assertTrue(spikes > 1000, "the network must be active: " + spikes);
        }
    }

    /** Which networks take which input path, so that the comparisons above cover both. */
    @Test
    void inputIsDeliveredApartOnlyWhereEveryDelayIsOneStepAndEveryReceptorACurrent() {
        try (JavaBackend cuba = new JavaBackend(1); JavaBackend mixed = new JavaBackend(1)) {
            cuba.load(CompiledNetwork.compile(CubaNetwork.spec(4099, 3)));
            mixed.load(CompiledNetwork.compile(mixed()));
            assertTrue(cuba.deliversInput());
            assertTrue(!mixed.deliversInput());
        }
    }

    /**
     * Delays of 1 to 4 steps with one weight, delay and receptor per presynaptic neuron: the ring of several slots is
     * filled from compact rows (the scatter that wraps a row around the ring) and read by the update.
     */
    @Test
    void compactRowsWithDelaysMatchTheReference() {
        CompiledNetwork net = CompiledNetwork.compile(compactRowsWithDelays());
        int[] ranges = {0, 1024, 2048, net.neuronCount};
        TargetPartitions parts = new TargetPartitions(net, ranges, NeuronState.padded(net.neuronCount), net.maxDelaySteps);
        for (int t = 0; t < parts.size(); t++) {
            assertTrue(parts.compactRows(t), "partition " + t + " must keep compact rows");
        }
        CompiledNetwork mixed = CompiledNetwork.compile(mixed());
        int[] whole = {0, mixed.neuronCount};
        assertTrue(!new TargetPartitions(mixed, whole, NeuronState.padded(mixed.neuronCount), mixed.maxDelaySteps)
                .compactRows(0), "rows of several weights are kept per synapse");
        for (int[] c : CONFIGS) {
            int spikes = compareStepByStep(net, c[0], c[1] == 1, 300);
            assertTrue(spikes > 1000, "the network must be active: " + spikes);
        }
    }

    /** Long runs, where threads go on from scattering one step to updating the next: same spike trains and state. */
    @Test
    void longRunsMatchTheReference() {
        for (CompiledNetwork net : List.of(CompiledNetwork.compile(CubaNetwork.spec(4099, 4)),
                CompiledNetwork.compile(mixed()))) {
            int steps = 600;
            Recorded ref = reference(net, steps);
            for (int[] c : CONFIGS) {
                try (Simulator sim = new Simulator(net, new JavaBackend(c[0], c[1] == 1, SMALL_TASKS))) {
                    List<int[]> trains = new ArrayList<>();
                    sim.addSpikeListener((step, s, k) -> trains.add(Arrays.copyOf(s, k)));
                    sim.runSteps(steps / 2);
                    sim.runSteps(steps - steps / 2);
                    String what = sim.description();
                    assertEquals(steps, trains.size());
                    for (int t = 0; t < steps; t++) {
                        assertArrayEquals(ref.spikes.get(t), trains.get(t), what + ": spikes of step " + t);
                    }
                    assertStateEquals(net, ref.clock, sim.backend(), what + " after " + steps + " steps");
                }
            }
        }
    }

    @Test
    void resetStartsOverIdentically() {
        CompiledNetwork net = CompiledNetwork.compile(CubaNetwork.spec(4099, 5));
        try (Simulator sim = new Simulator(net, new JavaBackend(2, true, SMALL_TASKS))) {
            long[] first = countsAfter(sim, 300);
            sim.reset();
            long[] second = countsAfter(sim, 300);
            assertArrayEquals(first, second);
        }
    }

    private static long[] countsAfter(Simulator sim, int steps) {
        sim.runSteps(steps);
        return sim.backend().spikeCountsPerIndex();
    }

    private record Recorded(List<int[]> spikes, ReferenceClock clock) {
    }

    /** Runs the reference, taking the source spikes from a simulator (the sources are not what is under test). */
    private static Recorded reference(CompiledNetwork net, int steps) {
        List<int[]> sources = new ArrayList<>();
        try (Simulator sim = new Simulator(net, new JavaBackend(1, false))) {
            sim.addSpikeListener((step, s, k) -> sources.add(Arrays.stream(s, 0, k).filter(i -> i >= net.neuronCount).toArray()));
            sim.runSteps(steps);
        }
        ReferenceClock clock = new ReferenceClock(net);
        List<int[]> trains = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            int[] neurons = clock.update(t);
            int[] all = concat(neurons, sources.get(t));
            clock.propagate(t, all);
            trains.add(all);
        }
        return new Recorded(trains, clock);
    }

    /** Steps the backend and the reference side by side, comparing spikes and all state after every step. */
    private static int compareStepByStep(CompiledNetwork net, int threads, boolean vector, int steps) {
        ReferenceClock clock = new ReferenceClock(net);
        int total = 0;
        try (Simulator sim = new Simulator(net, new JavaBackend(threads, vector, SMALL_TASKS))) {
            int[][] last = new int[1][];
            sim.addSpikeListener((step, s, k) -> last[0] = Arrays.copyOf(s, k));
            String what = sim.description();
            for (int t = 0; t < steps; t++) {
                sim.runSteps(1);
                int[] neurons = clock.update(t);
                int[] sources = Arrays.stream(last[0]).filter(i -> i >= net.neuronCount).toArray();
                int[] all = concat(neurons, sources);
                assertArrayEquals(all, last[0], what + ": spikes of step " + t);
                clock.propagate(t, all);
                assertStateEquals(net, clock, sim.backend(), what + " after step " + t);
                total += neurons.length;
            }
        }
        return total;
    }

    private static void assertStateEquals(CompiledNetwork net, ReferenceClock clock, Backend backend, String what) {
        int n = net.neuronCount;
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        float[] v = new float[n], e = new float[n], i = new float[n];
        backend.readState(all, v, e, i);
        assertArrayEquals(bits(clock.v), bits(v), what + ": V");
        assertArrayEquals(bits(clock.iExc), bits(e), what + ": I_exc");
        assertArrayEquals(bits(clock.iInh), bits(i), what + ": I_inh");
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int k = 0; k < a.length; k++) {
            b[k] = Float.floatToRawIntBits(a[k]);
        }
        return b;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static NetworkSpec mixed() {
        Random r = new Random(11);
        LifParameters excCurrentInhJump = LifParameters.builder().tauMs(15).vRestMv(-52).vResetMv(-62).vThresholdMv(-50)
                .refractoryMs(2).tauExcMs(4).build();
        LifParameters deltaBoth = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-70).vThresholdMv(-55)
                .refractoryMs(1.5).build();
        float[] lifBias = new float[1100];
        for (int k = 0; k < lifBias.length; k++) {
            lifBias[k] = 8 + 6 * r.nextFloat();
        }
        float[] discreteBias = new float[1300];
        for (int k = 0; k < discreteBias.length; k++) {
            discreteBias[k] = 0.2f * r.nextFloat() - 0.05f;
        }
        // -50.000001 mV rounds to the float -50: reset == threshold in the engine's arithmetic.
        LifParameters resetAtThreshold = LifParameters.builder().tauMs(10).vRestMv(-49).vResetMv(-50.000001)
                .vThresholdMv(-50).refractoryMs(1).tauExcMs(3).tauInhMs(6).build();
        return NetworkSpec.builder().dtMs(0.5).seed(9)
                .poissonSource("noise", 200, 40)
                .spikeTimesSource("pulse", 3, new int[]{0, 1, 2, 0, 1}, new double[]{1, 1, 2.5, 40, 41})
                .population("a", 1501, excCurrentInhJump, Distribution.uniform(-62, -50))
                .population(new PopulationSpec("b", 1100, deltaBoth, Distribution.uniform(-70, -55), lifBias))
                .population(new PopulationSpec("c", 1300, DiscreteLifParameters.spiking(3.0), Distribution.constant(0),
                        discreteBias))
                .population(new PopulationSpec("d", 707, DiscreteLifParameters.spiking(2.0), Distribution.uniform(0, 1),
                        filled(707, 0.15f)))
                .population("e", 37, resetAtThreshold, Distribution.uniform(-60, -50.5))
                .projection(ProjectionSpec.from("noise").to("a").fixedProbability(0.1).weight(2.5))
                .projection(ProjectionSpec.from("a").to("e").fixedProbability(0.05).weight(-0.5).inhibitory())
                .projection(ProjectionSpec.from("noise").to("c").fixedProbability(0.05).weight(0.4))
                .projection(ProjectionSpec.from("pulse").to("d").allToAll().weight(0.5).delayMs(1.5))
                .projection(ProjectionSpec.from("a").to("b").fixedProbability(0.02).weight(Distribution.uniform(-1, 3))
                        .delayMs(Distribution.uniform(0.5, 3)))
                .projection(ProjectionSpec.from("b").to("a").fixedProbability(0.02).weight(-1.5).inhibitory()
                        .delayMs(Distribution.uniform(0.5, 2)))
                .projection(ProjectionSpec.from("a").to("c").fixedInDegree(12).weight(Distribution.normal(0.1, 0.2))
                        .delayMs(1))
                .projection(ProjectionSpec.from("c").to("d").fixedProbability(0.03).weight(0.3).delayMs(2.5))
                .projection(ProjectionSpec.from("d").to("a").fixedProbability(0.01).weight(-2).inhibitory().delayMs(0.5))
                .build();
    }

    static NetworkSpec currentsOnly() {
        Random r = new Random(12);
        LifParameters currents = LifParameters.builder().tauMs(12).vRestMv(-60).vResetMv(-62).vThresholdMv(-50)
                .refractoryMs(2).tauExcMs(4).tauInhMs(7).build();
        float[] bias = new float[1501];
        for (int k = 0; k < bias.length; k++) {
            bias[k] = 4 + 9 * r.nextFloat();
        }
        LifParameters resetAtThreshold = LifParameters.builder().tauMs(10).vRestMv(-49).vResetMv(-50.000001)
                .vThresholdMv(-50).refractoryMs(1).tauExcMs(3).tauInhMs(6).build();
        // Source 0 fires twice at 1 ms and at 20 ms: listed twice in one step.
        return NetworkSpec.builder().dtMs(0.5).seed(13)
                .poissonSource("noise", 300, 60)
                .spikeTimesSource("pulse", 2, new int[]{0, 0, 1, 0, 0}, new double[]{1, 1, 2.5, 20, 20})
                .population(new PopulationSpec("a", 1501, currents, Distribution.uniform(-62, -50), bias))
                .population("e", 37, resetAtThreshold, Distribution.uniform(-60, -50.5))
                .projection(ProjectionSpec.from("noise").to("a").fixedProbability(0.05).weight(Distribution.uniform(-2, 3)))
                .projection(ProjectionSpec.from("pulse").to("a").allToAll().weight(0.75))
                .projection(ProjectionSpec.from("pulse").to("a").named("pulse-back")
                        .explicit(new int[]{0, 0, 1}, new int[]{5, 5, 7}, new float[]{-0.75f, 1.25f, -0.75f}, null))
                .projection(ProjectionSpec.from("a").to("a").fixedProbability(0.02).weight(-1.5).inhibitory())
                .projection(ProjectionSpec.from("a").to("e").fixedProbability(0.05).weight(Distribution.uniform(-1, 1)))
                .projection(ProjectionSpec.from("noise").to("e").fixedProbability(0.1).weight(0.6).inhibitory())
                .build();
    }

    static NetworkSpec compactRowsWithDelays() {
        LifParameters currents = LifParameters.builder().tauMs(12).vRestMv(-49).vResetMv(-62).vThresholdMv(-50)
                .refractoryMs(2).tauExcMs(4).tauInhMs(7).build();
        return NetworkSpec.builder().dtMs(0.5).seed(14)
                .poissonSource("noise", 300, 40)
                .population("exc", 2400, currents, Distribution.uniform(-62, -50))
                .population("inh", 700, currents, Distribution.uniform(-62, -50))
                .projection(ProjectionSpec.from("noise").to("exc").fixedProbability(0.05).weight(0.9).delayMs(0.5))
                .projection(ProjectionSpec.from("exc").to("exc").fixedProbability(0.02).weight(0.4).delayMs(1))
                .projection(ProjectionSpec.from("exc").to("inh").fixedProbability(0.02).weight(0.4).delayMs(1))
                .projection(ProjectionSpec.from("inh").to("exc").fixedProbability(0.02).weight(-2).inhibitory()
                        .delayMs(2))
                .build();
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }
}
