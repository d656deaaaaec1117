package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;
import io.myelin.core.backend.JavaBackend;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.model.SourceSpec;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LayeredExecution} against each engine's own step loop on random feed-forward discrete-LIF networks: the same
 * spikes (steps, neurons, order), the same membranes (bits) after every step and the same operation counts, whether run
 * in one piece or many, reset, or fed new input through {@link Engine#reset(List)} (itself equal to compiling anew).
 */
class LayeredExecutionTest {
    private static final int STEPS = 300;

    /**
     * Spike-times input with repeated spikes in a step, a Poisson source, a bias source, four populations (sizes that
     * do and do not fill 16 lanes) with a skip connection, inhibitory projections, biases, random initial membranes,
     * resets other than 0 and delays of 1..40 steps (history longer than a vector, chunks of several vectors).
     */
    static NetworkSpec network(long seed, int[] inputNeurons, double[] inputTimes) {
        Random r = new Random(seed);
        float[] bias = new float[37];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) (r.nextGaussian() * 0.05);
        }
        return NetworkSpec.builder().dtMs(1.0).seed(seed)
                .spikeTimesSource("in", 20, inputNeurons, inputTimes)
                .poissonSource("noise", 7, 40)
                .spikeTimesSource("bias", 1, new int[]{0, 0, 0}, new double[]{3, 4, 9})
                .population(new PopulationSpec("a", 37, new DiscreteLifParameters(1.7, 1.0, 0.0),
                        Distribution.uniform(-0.5, 0.9), bias))
                .population(new PopulationSpec("b", 16, new DiscreteLifParameters(3.0, 0.8, -0.2),
                        Distribution.constant(0), null))
                .population(new PopulationSpec("c", 50, new DiscreteLifParameters(1.005, 1.0, 0.0),
                        Distribution.normal(0, 0.3), null))
                .population("out", 5, DiscreteLifParameters.readout(2.0))
                .projection(ProjectionSpec.from("in").to("a").fixedProbability(0.5).weight(Distribution.normal(0.35, 0.3))
                        .delayMs(Distribution.uniform(1, 40)))
                .projection(ProjectionSpec.from("noise").to("a").allToAll().weight(0.2).delayMs(2).inhibitory())
                .projection(ProjectionSpec.from("bias").to("b").allToAll().weight(0.3).delayMs(1))
                .projection(ProjectionSpec.from("a").to("b").fixedInDegree(12).weight(Distribution.normal(0.2, 0.2))
                        .delayMs(Distribution.uniform(1, 25)))
                .projection(ProjectionSpec.from("a").to("c").fixedProbability(0.3).weight(Distribution.normal(0.25, 0.4))
                        .delayMs(Distribution.uniform(1, 17)))
                .projection(ProjectionSpec.from("in").to("c").fixedProbability(0.2).weight(0.4).delayMs(5))
                .projection(ProjectionSpec.from("b").to("c").allToAll().weight(Distribution.normal(0.1, 0.2)).delayMs(3)
                        .inhibitory())
                .projection(ProjectionSpec.from("c").to("out").allToAll().weight(Distribution.normal(0, 0.5))
                        .delayMs(Distribution.uniform(1, 30)))
                .build();
    }

    /** Random input with several spikes per neuron and step. */
    static SourceSpec.SpikeTimes input(long seed) {
        Random r = new Random(seed);
        List<Integer> n = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        for (int k = 0; k < 900; k++) {
            int neuron = r.nextInt(20);
            double time = Math.floor(r.nextDouble() * 200) + (r.nextBoolean() ? 0.0 : 0.5);
            int repeat = r.nextInt(10) == 0 ? 3 : 1;
            for (int q = 0; q < repeat; q++) {
                n.add(neuron);
                t.add(time);
            }
        }
        return new SourceSpec.SpikeTimes("in", 20, n.stream().mapToInt(Integer::intValue).toArray(),
                t.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static NetworkSpec network(long seed) {
        SourceSpec.SpikeTimes in = input(seed + 1);
        return network(seed, in.neurons(), in.timesMs());
    }

    /** Everything observable of one run. */
    record Run(List<long[]> spikeSteps, List<int[]> spikeNeurons, List<int[]> vBits, OperationCounts counts) {
        void assertSame(Run o, String what) {
            for (int k = 0; k < spikeSteps.size(); k++) {
                assertArrayEquals(spikeSteps.get(k), o.spikeSteps.get(k), what + ": spike steps of group " + k);
                assertArrayEquals(spikeNeurons.get(k), o.spikeNeurons.get(k), what + ": spiking neurons of group " + k);
            }
            for (int k = 0; k < vBits.size(); k++) {
                assertArrayEquals(vBits.get(k), o.vBits.get(k), what + ": membrane bits of population " + k);
            }
            assertEquals(counts, o.counts, what + ": operation counts");
        }
    }

    static final String[] GROUPS = {"a", "b", "c", "out", "in", "noise", "bias"};
    static final String[] POPS = {"a", "b", "c", "out"};

    /** Runs {@code engine} for {@code pieces} steps in turn, recording all spikes and every membrane after every step. */
    static Run run(Engine engine, int... pieces) {
        List<SpikeMonitor> spikes = new ArrayList<>();
        for (String g : GROUPS) {
            spikes.add(engine.recordSpikes(g));
        }
        List<StateMonitor> states = recordAllStates(engine);
        for (int p : pieces) {
            engine.runSteps(p);
        }
        return collect(engine, spikes, states);
    }

    static Run collect(Engine engine, List<SpikeMonitor> spikes, List<StateMonitor> states) {
        List<long[]> steps = new ArrayList<>();
        List<int[]> neurons = new ArrayList<>();
        for (SpikeMonitor m : spikes) {
            steps.add(m.steps());
            neurons.add(m.neurons());
        }
        List<int[]> bits = new ArrayList<>();
        for (StateMonitor m : states) {
            int n = m.neurons().length, s = m.samples();
            int[] b = new int[n * s];
            for (int k = 0; k < n; k++) {
                float[] v = m.v(k);
                for (int t = 0; t < s; t++) {
                    b[k * s + t] = Float.floatToRawIntBits(v[t]);
                }
            }
            bits.add(b);
        }
        return new Run(steps, neurons, bits, engine.operationCounts());
    }

    static Engine engine(NetworkSpec spec, String name, ExecutionStrategy e) {
        return Engines.create(spec, name, EngineOptions.defaults().withExecution(e));
    }

    @Test
    void layeredEqualsEachEnginesStepLoopBitForBit() {
        for (long seed = 1; seed <= 4; seed++) {
            NetworkSpec spec = network(seed);
            for (String name : Engines.names()) {
                Run reference, layered, pieces;
                try (Engine e = engine(spec, name, ExecutionStrategy.STEPWISE)) {
                    reference = run(e, STEPS);
                }
                try (Engine e = engine(spec, name, ExecutionStrategy.LAYERED)) {
                    assertTrue(e.description().contains("layered"), e.description());
                    layered = run(e, STEPS);
                }
                try (Engine e = engine(spec, name, ExecutionStrategy.AUTO)) {
                    // chunks of one step (a sample stopped early), odd sizes, a chunk longer than the widest kernel
                    pieces = run(e, 1, 1, 7, 130, 161);
                }
                assertTrue(reference.counts.totalSpikes() > 0 && reference.spikeSteps.get(2).length > 20,
                        "the network must fire for the check to mean much");
                reference.assertSame(layered, name + " seed " + seed + " layered");
                reference.assertSame(pieces, name + " seed " + seed + " layered in pieces");
            }
        }
    }

    @Test
    void sourceBurstsOverAByteInOneStepCountInFull() {
        // rows hold at most 127 spikes of a source per step; bursts of 128 to 300 spikes in one step, at the last
        // step of a chunk (127), the first of the next (128) and among ordinary input, must add up exactly
        SourceSpec.SpikeTimes in = withBursts(input(5), new int[][]{{3, 127, 300}, {7, 128, 128}, {3, 60, 200},
                {11, 127, 129}});
        NetworkSpec spec = network(11, in.neurons(), in.timesMs());
        for (String name : Engines.names()) {
            Run reference, layered, pieces;
            try (Engine e = engine(spec, name, ExecutionStrategy.STEPWISE)) {
                reference = run(e, STEPS);
            }
            try (Engine e = engine(spec, name, ExecutionStrategy.LAYERED)) {
                layered = run(e, STEPS);
            }
            try (Engine e = engine(spec, name, ExecutionStrategy.LAYERED)) {
                pieces = run(e, 1, 126, 1, 1, 171);
            }
            assertTrue(reference.counts.totalSpikes() > 757, "the bursts must be there");
            reference.assertSame(layered, name + " with bursts");
            reference.assertSame(pieces, name + " with bursts, in pieces");
        }
    }

    @Test
    void withoutSpikeMonitorsSourcesAreEmittedSourceBySourceWithTheSameResult() {
        // No monitor asks for each step's spikes: the layered run then writes each spike-times source's spikes of a
        // chunk straight into the rows, source by source (bursts over 127 in a step included). Membranes and counts
        // must equal the step loops'; the network's Poisson source keeps the step-by-step path, so it is left out.
        SourceSpec.SpikeTimes in = withBursts(input(21), new int[][]{{4, 127, 200}});
        NetworkSpec withPoisson = network(21, in.neurons(), in.timesMs());
        List<io.myelin.core.model.ProjectionSpec> projections = new ArrayList<>();
        for (io.myelin.core.model.ProjectionSpec pr : withPoisson.projections()) {
            if (!pr.pre().equals("noise")) {
                projections.add(pr);
            }
        }
        List<io.myelin.core.model.SourceSpec> sources = new ArrayList<>();
        for (io.myelin.core.model.SourceSpec so : withPoisson.sources()) {
            if (!so.name().equals("noise")) {
                sources.add(so);
            }
        }
        NetworkSpec spec = new NetworkSpec(withPoisson.dtMs(), withPoisson.seed(), withPoisson.populations(), sources,
                projections);
        for (String name : Engines.names()) {
            Run reference, layered;
            try (Engine e = engine(spec, name, ExecutionStrategy.STEPWISE)) {
                reference = runStates(e, STEPS);
            }
            try (Engine e = engine(spec, name, ExecutionStrategy.LAYERED)) {
                layered = runStates(e, 1, 126, 1, 40, 132);
            }
            assertTrue(reference.counts.totalSpikes() > 200, "the input must be there");
            reference.assertSame(layered, name + " without spike monitors");
        }
    }

    /** {@code base}'s spikes, then each burst {neuron, time (ms), spikes} as that many spikes of one neuron at once. */
    private static SourceSpec.SpikeTimes withBursts(SourceSpec.SpikeTimes base, int[][] bursts) {
        List<Integer> n = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        for (int k = 0; k < base.neurons().length; k++) {
            n.add(base.neurons()[k]);
            t.add(base.timesMs()[k]);
        }
        for (int[] burst : bursts) {
            for (int q = 0; q < burst[2]; q++) {
                n.add(burst[0]);
                t.add((double) burst[1]);
            }
        }
        return new SourceSpec.SpikeTimes(base.name(), base.size(), n.stream().mapToInt(Integer::intValue).toArray(),
                t.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void membranesAreTracedForTheMonitoredPopulationsOnly() {
        // The layered run keeps each chunk's membranes only for populations a state monitor reads: some neurons of
        // "c" and all of "out" from the start, "b" from a later piece on (its trace then begins mid-run).
        NetworkSpec spec = network(33);
        for (String name : Engines.names()) {
            Run reference = null;
            for (ExecutionStrategy x : new ExecutionStrategy[]{ExecutionStrategy.STEPWISE, ExecutionStrategy.LAYERED}) {
                try (Engine e = engine(spec, name, x)) {
                    List<StateMonitor> states = new ArrayList<>();
                    states.add(e.recordState("c", new int[]{3, 17, 40}, 1));
                    states.add(e.recordState("out", new int[]{0, 1, 2, 3, 4}, 1));
                    e.runSteps(70);
                    states.add(e.recordState("b", new int[]{0, 9, 15}, 1));
                    e.runSteps(1);
                    e.runSteps(229);
                    Run r = collect(e, List.of(), states);
                    assertEquals(230, states.get(2).samples(), "b is sampled from step 70 on");
                    if (reference == null) {
                        reference = r;
                    } else {
                        reference.assertSame(r, name + " with some populations monitored");
                    }
                }
            }
        }
    }

    @Test
    void aSpikeInTheOldestHistoryEntryIsStillRead() {
        // The layered run skips rows whose latest spike is older than the history the rows hold. A spike at step 10
        // through the longest delay (40 steps, the whole history) is read at step 50 from the oldest entry: with a
        // chunk starting at step 50 it must still arrive, and the neuron fire then as in the step loops.
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0).seed(5)
                .spikeTimesSource("in", 2, new int[]{0, 1}, new double[]{10, 3})
                .population(new PopulationSpec("a", 3, new DiscreteLifParameters(1.7, 1.0, 0.0),
                        Distribution.constant(0), null))
                .projection(ProjectionSpec.from("in").to("a").allToAll().weight(2.0).delayMs(40))
                .build();
        for (String name : Engines.names()) {
            Run reference;
            try (Engine e = engine(spec, name, ExecutionStrategy.STEPWISE)) {
                reference = runOf(e, 60);
            }
            assertArrayEquals(new long[]{43, 43, 43, 50, 50, 50}, reference.spikeSteps.get(0), name + ": the step loop");
            for (int[] pieces : new int[][]{{50, 10}, {49, 1, 10}, {51, 9}, {60}}) {
                try (Engine e = engine(spec, name, ExecutionStrategy.LAYERED)) {
                    reference.assertSame(runOf(e, pieces), name + " in pieces " + java.util.Arrays.toString(pieces));
                }
            }
        }
    }

    /** Spikes of population "a" and its membranes, every step. */
    private static Run runOf(Engine engine, int... pieces) {
        SpikeMonitor spikes = engine.recordSpikes("a");
        StateMonitor states = engine.recordState("a", new int[]{0, 1, 2}, 1);
        for (int p : pieces) {
            engine.runSteps(p);
        }
        return collect(engine, List.of(spikes), List.of(states));
    }

    /** A state monitor of every neuron of every population, every step. */
    private static List<StateMonitor> recordAllStates(Engine engine) {
        List<StateMonitor> states = new ArrayList<>();
        for (String p : POPS) {
            int size = engine.network().population(p).size();
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            states.add(engine.recordState(p, all, 1));
        }
        return states;
    }

    /** Only the membranes (every step) and the counts: no spike monitor. */
    private static Run runStates(Engine engine, int... pieces) {
        List<StateMonitor> states = recordAllStates(engine);
        for (int p : pieces) {
            engine.runSteps(p);
        }
        return collect(engine, List.of(), states);
    }

    @Test
    void inputInEveryStepOfAWindowCountsEveryUpdateAndKeepsTheActiveFlags() {
        // A source firing in every step of a window reaches every neuron of "h" (two whole tiles and a part one): the
        // event engine's layered run updates each in every step of the window and carries the active flags of the
        // window's last step into the next chunk (neurons without bias reset to 0 there rest); the counts, spikes
        // and membranes are those of its step loop
        int steps = 420;
        java.util.List<Double> driveTimes = new ArrayList<>();
        // arrivals (delay 1) from step 61 to 255, the end of the second chunk of 128: the third chunk starts from the
        // active flags the second left without per-step flags
        for (int t = 60; t < 255; t++) {
            driveTimes.add((double) t);
        }
        double[] drive = driveTimes.stream().mapToDouble(Double::doubleValue).toArray();
        SourceSpec.SpikeTimes in = input(5);
        Random r = new Random(4);
        float[] bias = new float[40];
        for (int i = 0; i < bias.length; i++) {
            // without bias, a neuron reset to 0 in the chunk's last step rests: not active in the next one
            bias[i] = i % 2 == 0 ? 0f : (float) (r.nextGaussian() * 0.02);
        }
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0).seed(8)
                .spikeTimesSource("in", 20, in.neurons(), in.timesMs())
                .spikeTimesSource("drive", 1, new int[drive.length], drive)
                .population(new PopulationSpec("h", 40, new DiscreteLifParameters(2.5, 1.0, 0.0),
                        Distribution.uniform(-0.3, 0.8), bias))
                .population("out", 5, DiscreteLifParameters.readout(2.0))
                .projection(ProjectionSpec.from("in").to("h").fixedProbability(0.3).weight(Distribution.normal(0.3, 0.3))
                        .delayMs(Distribution.uniform(1, 30)))
                // weights over the threshold: those neurons fire in every step of the window, reset to 0
                .projection(ProjectionSpec.from("drive").to("h").allToAll().weight(Distribution.uniform(-0.1, 1.6))
                        .delayMs(1))
                .projection(ProjectionSpec.from("h").to("out").allToAll().weight(Distribution.normal(0, 0.5))
                        .delayMs(Distribution.uniform(1, 20)))
                .build();
        Run reference, layered, pieces;
        try (Engine e = engine(spec, Engines.EVENT, ExecutionStrategy.STEPWISE)) {
            reference = runHidden(e, steps);
        }
        try (Engine e = engine(spec, Engines.EVENT, ExecutionStrategy.LAYERED)) {
            layered = runHidden(e, steps);
        }
        try (Engine e = engine(spec, Engines.EVENT, ExecutionStrategy.LAYERED)) {
            pieces = runHidden(e, 59, 3, 130, 128, 100);
        }
        Run clock;
        try (Engine e = engine(spec, Engines.CLOCK, ExecutionStrategy.LAYERED)) {
            clock = runHidden(e, steps);
        }
        assertTrue(reference.counts.neuronUpdates() < clock.counts.neuronUpdates(),
                "outside the window some neurons must rest for the counts to mean much");
        assertTrue(reference.spikeSteps.get(0).length > 50, "h must fire");
        reference.assertSame(layered, "input in every step of a window");
        reference.assertSame(pieces, "input in every step of a window, in pieces");
    }

    /** Spikes and every membrane of populations "h" and "out" after every step, and the counts. */
    private static Run runHidden(Engine engine, int... pieces) {
        List<SpikeMonitor> spikes = List.of(engine.recordSpikes("h"), engine.recordSpikes("out"));
        List<StateMonitor> states = new ArrayList<>();
        for (String p : new String[]{"h", "out"}) {
            int[] all = java.util.stream.IntStream.range(0, engine.network().population(p).size()).toArray();
            states.add(engine.recordState(p, all, 1));
        }
        for (int p : pieces) {
            engine.runSteps(p);
        }
        return collect(engine, spikes, states);
    }

    @Test
    void arrivalsThatCancelStillCountAsUpdates() {
        // Two synapses of weights +w and -w deliver in the same steps: the sum is 0, yet the event engine updates the
        // (otherwise dormant) neuron there; the layered run must count those updates too (it ORs the rows where a sum is 0)
        int[] neurons = {0, 1, 0, 1, 0, 1};
        double[] times = {5, 5, 40, 40, 41, 41};
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0).seed(3)
                .spikeTimesSource("in", 3, neurons, times)
                .population(new PopulationSpec("a", 3, new DiscreteLifParameters(2.0, 1.0, 0.0),
                        Distribution.constant(0), null))
                .projection(ProjectionSpec.from("in").to("a").named("cancel").explicit(new int[]{0, 1, 0, 1},
                        new int[]{0, 0, 1, 1}, new float[]{0.5f, -0.5f, 0.25f, -0.25f}, new float[]{3, 3, 7, 7}))
                .build();
        Run reference = eventStepLoopEqualsLayered(spec, 100, "cancelling arrivals");
        // every neuron is updated in step 0, then dormant (V = 0 is its silent fixed point) but where arrivals come:
        // neurons 0 and 1 in three steps each, neuron 2 (no synapses) never
        assertEquals(3 + 3 + 3, reference.counts.neuronUpdates(), "the event engine's updates");
    }

    @Test
    void aCancellingFirstArrivalJustBeforeADriveIsCounted() {
        // The group's first spikes (step 5, delay 3, the group's shortest) cancel in step 8; a drive arrives from step
        // 9 on, so step 8 is the last zero sum of its vector of steps, the very first step a spike can reach: the
        // layered run's early "nothing can have arrived yet" test must not swallow it
        List<Integer> neurons = new ArrayList<>(List.of(0, 1));
        List<Double> times = new ArrayList<>(List.of(5.0, 5.0));
        for (int t = 6; t <= 20; t++) {
            neurons.add(2);
            times.add((double) t);
        }
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0).seed(3)
                .spikeTimesSource("in", 3, neurons.stream().mapToInt(Integer::intValue).toArray(),
                        times.stream().mapToDouble(Double::doubleValue).toArray())
                .population(new PopulationSpec("a", 2, new DiscreteLifParameters(2.0, 1.0, 0.0),
                        Distribution.constant(0), null))
                .projection(ProjectionSpec.from("in").to("a").named("cancel").explicit(new int[]{0, 1, 2},
                        new int[]{0, 0, 0}, new float[]{0.5f, -0.5f, 0.1f}, new float[]{3, 3, 3}))
                .build();
        eventStepLoopEqualsLayered(spec, 60, "a cancelling first arrival");
    }

    /** The event engine's step loop and its layered run over {@code steps} steps: the same spikes and counts. */
    private static Run eventStepLoopEqualsLayered(NetworkSpec spec, int steps, String what) {
        Run reference, layered;
        try (Engine e = engine(spec, Engines.EVENT, ExecutionStrategy.STEPWISE)) {
            reference = runSpikes(e, steps);
        }
        try (Engine e = engine(spec, Engines.EVENT, ExecutionStrategy.LAYERED)) {
            layered = runSpikes(e, steps);
        }
        reference.assertSame(layered, what);
        return reference;
    }

    @Test
    void inputInAWindowOfALongRunIsSummedWhereItReaches() {
        // Input only in steps 150..175 of 420: whole chunks without any spike, a first spike near a chunk's end that
        // reaches the next chunk through the history, and a silent tail. The layered sums skip the vectors of steps
        // that no spike reaches and the event engine's counting skips the rows where none can arrive; both must
        // still give every spike, membrane bit and update count of the step loops. The chain's populations use every
        // receptor and delays of 1..40 steps, in sizes that do and do not fill the lanes.
        Random r = new Random(17);
        List<Integer> n = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        for (int k = 0; k < 300; k++) {
            n.add(r.nextInt(12));
            t.add(150.0 + r.nextInt(26));
        }
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0).seed(5)
                .spikeTimesSource("in", 12, n.stream().mapToInt(Integer::intValue).toArray(),
                        t.stream().mapToDouble(Double::doubleValue).toArray())
                .population(new PopulationSpec("a", 21, new DiscreteLifParameters(2.0, 1.0, 0.0),
                        Distribution.constant(0), null))
                .population(new PopulationSpec("b", 16, new DiscreteLifParameters(4.0, 0.7, 0.0),
                        Distribution.constant(0), null))
                .population("out", 3, DiscreteLifParameters.readout(2.0))
                .projection(ProjectionSpec.from("in").to("a").allToAll().weight(Distribution.normal(0.3, 0.3))
                        .delayMs(Distribution.uniform(1, 40)))
                .projection(ProjectionSpec.from("a").to("b").allToAll().weight(Distribution.normal(0.25, 0.2))
                        .delayMs(Distribution.uniform(1, 25)))
                .projection(ProjectionSpec.from("a").to("b").named("a->b inh").fixedInDegree(5).weight(0.1).delayMs(
                        Distribution.uniform(20, 40)).inhibitory())
                .projection(ProjectionSpec.from("b").to("out").allToAll().weight(Distribution.normal(0, 0.5))
                        .delayMs(Distribution.uniform(1, 30)))
                .build();
        String[] groups = {"a", "b", "out", "in"};
        for (String name : Engines.names()) {
            Run reference, layered, pieces;
            try (Engine e = engine(spec, name, ExecutionStrategy.STEPWISE)) {
                reference = runGroups(e, groups, 420);
            }
            try (Engine e = engine(spec, name, ExecutionStrategy.LAYERED)) {
                layered = runGroups(e, groups, 420);
            }
            try (Engine e = engine(spec, name, ExecutionStrategy.LAYERED)) {
                pieces = runGroups(e, groups, 140, 9, 1, 128, 142);
            }
            assertTrue(reference.spikeSteps.get(1).length > 10, "the chain must fire for the check to mean much");
            assertTrue(reference.spikeSteps.get(1)[0] > 150, "nothing fires before the input");
            reference.assertSame(layered, name + " input in a window");
            reference.assertSame(pieces, name + " input in a window, in pieces");
        }
    }

    /** {@link #run} for these groups' spikes and the membranes of all but the last (a source). */
    private static Run runGroups(Engine engine, String[] groups, int... pieces) {
        List<SpikeMonitor> spikes = new ArrayList<>();
        List<StateMonitor> states = new ArrayList<>();
        for (int g = 0; g < groups.length; g++) {
            spikes.add(engine.recordSpikes(groups[g]));
            if (g < groups.length - 1) {
                int size = engine.network().population(groups[g]).size();
                int[] all = new int[size];
                for (int i = 0; i < size; i++) {
                    all[i] = i;
                }
                states.add(engine.recordState(groups[g], all, 1));
            }
        }
        for (int p : pieces) {
            engine.runSteps(p);
        }
        return collect(engine, spikes, states);
    }

    private static Run runSpikes(Engine engine, int steps) {
        List<SpikeMonitor> spikes = List.of(engine.recordSpikes("a"));
        engine.runSteps(steps);
        return collect(engine, spikes, List.of());
    }

    @Test
    void resetWithNewInputEqualsAFreshCompile() {
        NetworkSpec spec = network(7);
        for (String name : Engines.names()) {
            for (ExecutionStrategy ex : new ExecutionStrategy[]{ExecutionStrategy.STEPWISE, ExecutionStrategy.LAYERED}) {
                try (Engine reused = engine(spec, name, ex)) {
                    reused.runSteps(50);
                    for (long s = 20; s < 23; s++) {
                        SourceSpec.SpikeTimes in = input(s);
                        reused.reset(List.of(in));
                        Run again = run(reused, STEPS);
                        Run fresh;
                        try (Engine f = engine(network(7, in.neurons(), in.timesMs()), name, ExecutionStrategy.STEPWISE)) {
                            fresh = run(f, STEPS);
                        }
                        assertEquals(CompiledNetwork.compile(network(7, in.neurons(), in.timesMs())).scale,
                                reused.network().scale, "the scale a fresh compile chooses");
                        fresh.assertSame(again, name + " " + ex + " input " + s);
                    }
                    reused.reset();
                    Run replay = run(reused, STEPS);
                    try (Engine f = engine(network(7, input(22).neurons(), input(22).timesMs()), name,
                            ExecutionStrategy.STEPWISE)) {
                        run(f, STEPS).assertSame(replay, name + " " + ex + " reset() replays the last input");
                    }
                }
            }
        }
    }

    @Test
    void onlyFeedForwardDiscreteNetworksRunLayered() {
        NetworkSpec loop = NetworkSpec.builder().dtMs(1.0)
                .spikeTimesSource("in", 3, new int[]{0, 1}, new double[]{0, 1})
                .population("x", 4, DiscreteLifParameters.spiking(2))
                .population("y", 4, DiscreteLifParameters.spiking(2))
                .projection(ProjectionSpec.from("in").to("x").allToAll().weight(1.5).delayMs(1))
                .projection(ProjectionSpec.from("x").to("y").allToAll().weight(0.5).delayMs(1))
                .projection(ProjectionSpec.from("y").to("x").allToAll().weight(0.5).delayMs(2))
                .build();
        assertNotNull(LayeredExecution.whyNot(CompiledNetwork.compile(loop)));
        assertNull(LayeredExecution.whyNot(CompiledNetwork.compile(network(1))));
        for (String name : Engines.names()) {
            try (Engine e = engine(loop, name, ExecutionStrategy.AUTO)) {
                assertTrue(!e.description().contains("layered"), e.description());
            }
            InvalidInputException ex = assertThrows(InvalidInputException.class,
                    () -> engine(loop, name, ExecutionStrategy.LAYERED));
            assertTrue(ex.getMessage().contains("loop"), ex.getMessage());
        }
        // the clock engine built directly keeps its backend's loop
        try (Simulator s = new Simulator(CompiledNetwork.compile(network(1)), new JavaBackend(1))) {
            assertEquals(ExecutionStrategy.STEPWISE, s.execution());
        }
    }
}
