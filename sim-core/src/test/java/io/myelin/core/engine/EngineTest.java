package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;
import io.myelin.core.model.CubaNetwork;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Engine} interface as callers use it: created by name, run in pieces (one step at a time, as an inference
 * that may stop early runs) with the same result as in one piece, and counting only the steps actually run.
 */
class EngineTest {
    private static final int IN = 30, HIDDEN = 25, IDLE = 7;

    /** Explicit random connectivity, so the test knows every fan-out without asking the engine. */
    private record Wiring(int[] pre, int[] post, float[] weight, float[] delayMs) {
        static Wiring random(SplittableRandom rng, int preSize, int postSize, double p, double wMean, double maxDelay) {
            List<int[]> pairs = new ArrayList<>();
            for (int i = 0; i < preSize; i++) {
                for (int o = 0; o < postSize; o++) {
                    if (rng.nextDouble() < p) {
                        pairs.add(new int[]{i, o});
                    }
                }
            }
            int n = pairs.size();
            int[] pre = new int[n], post = new int[n];
            float[] w = new float[n], d = new float[n];
            for (int k = 0; k < n; k++) {
                pre[k] = pairs.get(k)[0];
                post[k] = pairs.get(k)[1];
                w[k] = (float) (wMean * (0.5 + rng.nextDouble()));
                d[k] = (float) (1 + Math.floor(rng.nextDouble() * maxDelay));
            }
            return new Wiring(pre, post, w, d);
        }

        long events(int[] preSpikes) {
            long e = 0;
            for (int p : pre) {
                e += preSpikes[p];
            }
            return e;
        }
    }

    private static final Wiring IN_HIDDEN = Wiring.random(new SplittableRandom(5), IN, HIDDEN, 0.3, 0.45, 8);
    private static final Wiring HIDDEN_HIDDEN = Wiring.random(new SplittableRandom(6), HIDDEN, HIDDEN, 0.15, 0.3, 5);

    /**
     * Discrete-time LIF (what trained networks export to): both engines run it. "idle" has no input, no bias and
     * starts at V = 0, a fixed point below threshold.
     */
    private static NetworkSpec discrete() {
        SplittableRandom rng = new SplittableRandom(11);
        int spikes = 500;
        int[] ch = new int[spikes];
        double[] t = new double[spikes];
        for (int k = 0; k < spikes; k++) {
            ch[k] = rng.nextInt(IN);
            t[k] = rng.nextInt(60) + rng.nextDouble();
        }
        return NetworkSpec.builder().dtMs(1.0).seed(8)
                .population(new PopulationSpec("hidden", HIDDEN, DiscreteLifParameters.spiking(2.0), Distribution.uniform(-0.2, 0.8), null))
                .population(new PopulationSpec("idle", IDLE, DiscreteLifParameters.spiking(2.0), Distribution.constant(0), null))
                .spikeTimesSource("in", IN, ch, t)
                .projection(ProjectionSpec.from("in").to("hidden").named("in->hidden").explicit(IN_HIDDEN.pre, IN_HIDDEN.post,
                        IN_HIDDEN.weight, IN_HIDDEN.delayMs))
                .projection(ProjectionSpec.from("hidden").to("hidden").named("hidden->hidden").explicit(HIDDEN_HIDDEN.pre,
                        HIDDEN_HIDDEN.post, HIDDEN_HIDDEN.weight, HIDDEN_HIDDEN.delayMs))
                .build();
    }

    /** Continuous-time LIF with delta synapses: the event engine's exact continuous mode. */
    private static NetworkSpec continuousDelta() {
        LifParameters lif = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-65).vThresholdMv(-55).refractoryMs(1).build();
        return NetworkSpec.builder().dtMs(0.1).seed(3)
                .population("cells", 40, lif, Distribution.uniform(-65, -56))
                .poissonSource("drive", 50, 40)
                .projection(ProjectionSpec.from("drive").to("cells").fixedProbability(0.3).weight(3).delayMs(Distribution.uniform(0.5, 2)))
                .projection(ProjectionSpec.from("cells").to("cells").fixedProbability(0.2).weight(-2).delayMs(1.3).inhibitory())
                .build();
    }

    /** What a run left in its monitors and counters. */
    private record Observed(List<long[]> steps, List<int[]> neurons, List<double[]> times, List<float[]> v,
                            OperationCounts counts, long currentStep, double timeMs) {
        void assertSame(Observed o, String what) {
            for (int g = 0; g < steps.size(); g++) {
                assertArrayEquals(steps.get(g), o.steps.get(g), what + ": spike steps of group " + g);
                assertArrayEquals(neurons.get(g), o.neurons.get(g), what + ": spiking neurons of group " + g);
                assertArrayEquals(times.get(g), o.times.get(g), 0.0, what + ": spike times of group " + g);
            }
            for (int k = 0; k < v.size(); k++) {
                assertArrayEquals(v.get(k), o.v.get(k), 0f, what + ": V trace " + k);
            }
            assertEquals(counts, o.counts, what + ": operation counts");
            assertEquals(currentStep, o.currentStep, what);
            assertEquals(timeMs, o.timeMs, 1e-9, what);
        }
    }

    /** Runs {@code spec} on engine {@code name}, monitoring every group and a few membranes, advanced by {@code run}. */
    private static Observed observe(NetworkSpec spec, String name, Consumer<Engine> run) {
        try (Engine engine = Engines.create(spec, name)) {
            assertEquals(name, engine.name());
            List<SpikeMonitor> spikes = new ArrayList<>();
            for (CompiledNetwork.Group g : engine.network().populations) {
                spikes.add(engine.recordSpikes(g.name()));
            }
            for (CompiledNetwork.Group g : engine.network().sources) {
                spikes.add(engine.recordSpikes(g.name()));
            }
            String first = engine.network().populations.get(0).name();
            StateMonitor state = engine.recordState(first, new int[]{0, 3, 5}, 1);
            run.accept(engine);
            List<float[]> v = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                v.add(state.v(k));
            }
            return new Observed(spikes.stream().map(SpikeMonitor::steps).toList(),
                    spikes.stream().map(SpikeMonitor::neurons).toList(), spikes.stream().map(SpikeMonitor::timesMs).toList(),
                    v, engine.operationCounts(), engine.currentStep(), engine.timeMs());
        }
    }

    @Test
    void runningInPiecesEqualsRunningInOnePieceOnEveryEngine() {
        record Case(NetworkSpec spec, String engine, String what) {
        }
        List<Case> cases = List.of(new Case(discrete(), "clock", "clock, discrete LIF"),
                new Case(discrete(), "event", "event, discrete mode"),
                new Case(continuousDelta(), "event", "event, continuous mode"),
                new Case(continuousDelta(), "clock", "clock, delta-synapse LIF"),
                new Case(CubaNetwork.spec(400, 2), "clock", "clock, CUBA"));
        for (Case c : cases) {
            long steps = c.spec.dtMs() == 1.0 ? 90 : 600;
            Observed whole = observe(c.spec, c.engine, e -> e.runSteps(steps));
            assertTrue(whole.counts.totalSpikes() > 50, c.what + ": the network must be active");
            Observed stepwise = observe(c.spec, c.engine, e -> {
                for (long s = 0; s < steps; s++) {
                    e.step();
                    assertEquals(s + 1, e.currentStep(), c.what);
                }
            });
            whole.assertSame(stepwise, c.what + " step by step");
            Observed pieces = observe(c.spec, c.engine, e -> {
                e.runSteps(steps / 3);
                e.step();
                e.runSteps(steps - steps / 3 - 1);
            });
            whole.assertSame(pieces, c.what + " in pieces");
        }
    }

    @Test
    void countsCoverExactlyTheStepsRunFromTheEnginesOwnSpikeRecord() {
        for (String name : Engines.names()) {
            try (Engine engine = Engines.create(discrete(), name)) {
                SpikeMonitor in = engine.recordSpikes("in");
                SpikeMonitor hidden = engine.recordSpikes("hidden");
                for (int k = 1; k <= 40; k++) {
                    engine.step();
                    OperationCounts oc = engine.operationCounts();
                    assertEquals(k, oc.steps(), name);
                    assertEquals(in.count(), oc.spikesByGroup().get("in"), name + " step " + k);
                    assertEquals(hidden.count(), oc.spikesByGroup().get("hidden"), name + " step " + k);
                    assertEquals(IN_HIDDEN.events(in.countsPerNeuron()), oc.synapticEventsByProjection().get("in->hidden"),
                            name + " step " + k);
                    assertEquals(HIDDEN_HIDDEN.events(hidden.countsPerNeuron()),
                            oc.synapticEventsByProjection().get("hidden->hidden"), name + " step " + k);
                    assertEquals(oc.neuronUpdates(), oc.neuronUpdatesByPopulation().values().stream().mapToLong(Long::longValue).sum());
                }
                OperationCounts oc = engine.operationCounts();
                assertTrue(hidden.count() > 20, name + ": hidden must fire");
                if (name.equals("clock")) {
                    assertEquals(Map.of("hidden", 40L * HIDDEN, "idle", 40L * IDLE), oc.neuronUpdatesByPopulation());
                } else {
                    // updated once at the start (nothing is known about the initial state), then dormant: V = 0 is a
                    // fixed point below threshold and nothing arrives
                    assertEquals(IDLE, oc.neuronUpdatesByPopulation().get("idle"));
                    assertTrue(oc.neuronUpdatesByPopulation().get("hidden") < 40L * HIDDEN, "event-driven saves updates");
                }
                engine.reset();
                assertEquals(0, engine.operationCounts().totalSpikes());
                assertEquals(0, engine.currentStep());
            }
        }
    }

    @Test
    void bothEnginesRunOneDescriptionToTheSameSpikesWithoutTheCallerKnowingWhich() {
        List<Observed> runs = new ArrayList<>();
        for (String name : Engines.names()) {
            runs.add(observe(discrete(), name, e -> e.run(75)));
        }
        Observed clock = runs.get(0), event = runs.get(1);
        for (int g = 0; g < clock.steps.size(); g++) {
            assertArrayEquals(clock.steps.get(g), event.steps.get(g));
            assertArrayEquals(clock.neurons.get(g), event.neurons.get(g));
        }
        assertEquals(clock.counts.spikesByGroup(), event.counts.spikesByGroup());
        assertEquals(clock.counts.synapticEventsByProjection(), event.counts.synapticEventsByProjection());
        assertEquals(75, event.currentStep);
    }

    @Test
    void theFactoryNamesItsChoicesAndRejectsWhatAnEngineCannotRun() {
        assertEquals(List.of("clock", "event"), Engines.names());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Engines.create(discrete(), "warp"));
        assertTrue(e.getMessage().contains("'warp'") && e.getMessage().contains("clock or event"), e.getMessage());
        InvalidInputException cuba = assertThrows(InvalidInputException.class,
                () -> Engines.create(CubaNetwork.spec(100, 1), "event"));
        assertTrue(cuba.getMessage().contains("exponential synaptic currents"), cuba.getMessage());
        InvalidInputException backend = assertThrows(InvalidInputException.class, () -> Engines.create(discrete(), "clock",
                new EngineOptions("quantum", io.myelin.core.backend.BackendOptions.defaults(), EventDrivenSimulator.QueueKind.HEAP)));
        assertTrue(backend.getMessage().contains("unknown backend 'quantum'"), backend.getMessage());
        InvalidInputException queue = assertThrows(InvalidInputException.class, () -> EventDrivenSimulator.QueueKind.of("fifo"));
        assertTrue(queue.getMessage().contains("'heap' or 'calendar'"), queue.getMessage());
        try (Engine engine = Engines.create(discrete(), "event")) {
            assertThrows(InvalidInputException.class, () -> engine.run(Double.NaN));
            assertThrows(InvalidInputException.class, () -> engine.run(-1));
            assertEquals("heap queue, discrete time", engine.description());
        }
    }
}
