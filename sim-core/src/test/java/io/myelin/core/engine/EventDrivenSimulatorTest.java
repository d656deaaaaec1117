package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closed-form single-neuron cases and the event semantics of the continuous-time mode. */
class EventDrivenSimulatorTest {
    private static final double TAU = 20, V_REST = -70, V_TH = -50;

    private static LifParameters lif(double vResetMv, double refractoryMs) {
        return LifParameters.builder().tauMs(TAU).vRestMv(V_REST).vResetMv(vResetMv).vThresholdMv(V_TH)
                .refractoryMs(refractoryMs).build();
    }

    /** One source neuron per spike, each wired to neuron 0 of "n" with its own weight and real-valued delay. */
    private static NetworkSpec inputs(LifParameters model, double[] timesMs, float[] weights, float[] delaysMs) {
        int k = timesMs.length;
        int[] src = new int[k];
        int[] post = new int[k];
        for (int i = 0; i < k; i++) {
            src[i] = i;
        }
        return NetworkSpec.builder().dtMs(0.1).seed(3)
                .population("n", 1, model)
                .spikeTimesSource("in", k, src, timesMs)
                .projection(ProjectionSpec.from("in").to("n").explicit(src, post, weights, delaysMs))
                .build();
    }

    @Test
    void biasDrivenNeuronFiresAtTheAnalyticCrossingTimes() {
        double bias = 25, tRef = 2;  // V_inf = -45 mV above threshold
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.1).seed(1)
                .population(new PopulationSpec("n", 1, lif(V_REST, tRef), Distribution.constant(V_REST), new float[]{(float) bias}))
                .build();
        for (EventDrivenSimulator.QueueKind q : EventDrivenSimulator.QueueKind.values()) {
            EventDrivenSimulator sim = EventDrivenSimulator.create(spec, q);
            SpikeMonitor m = sim.recordSpikes("n");
            sim.run(200);
            double isi = TAU * Math.log(bias / (V_REST + bias - V_TH)); // tau ln((V_inf - V_reset)/(V_inf - V_th))
            double[] t = m.timesMs();
            assertEquals((int) Math.floor((200 + tRef) / (isi + tRef)), t.length, q.name());
            for (int k = 0; k < t.length; k++) {
                assertEquals(isi + k * (isi + tRef), t[k], 1e-9, "spike " + k + " with " + q);
            }
        }
    }

    @Test
    void subthresholdBiasNeverFiresAndRelaxesExactly() {
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.1).seed(1)
                .population(new PopulationSpec("n", 1, lif(V_REST, 0), Distribution.constant(-60), new float[]{15f}))
                .build();
        EventDrivenSimulator sim = EventDrivenSimulator.create(spec);
        SpikeMonitor m = sim.recordSpikes("n");
        StateMonitor s = sim.recordState("n", new int[]{0}, 10);
        sim.run(100);
        assertEquals(0, m.count());
        float[] v = s.v(0);
        double[] ts = s.timesMs();
        assertEquals(100, v.length);
        for (int k = 0; k < v.length; k++) {
            double expected = -55 + (-60 + 55) * Math.exp(-ts[k] / TAU);
            assertEquals(expected, v[k], 1e-5, "sample at " + ts[k]);
        }
        assertEquals(-55 + (-5) * Math.exp(-100 / TAU), sim.membraneMv(0, 100), 1e-12);
    }

    @Test
    void secondInputFiresAtItsArrivalTimeOnlyIfTheDecayedSumReachesThreshold() {
        double w1 = 12;
        double t1 = 1.0 + 0.7, t2 = 3.0 + 1.3; // arrivals: spike time + real-valued delay
        double needed = (V_TH - V_REST) - w1 * Math.exp(-(t2 - t1) / TAU); // what the second input must add
        float above = (float) (needed + 1e-4), below = (float) (needed - 1e-4);
        for (float w2 : new float[]{above, below}) {
            NetworkSpec spec = inputs(lif(V_REST, 0), new double[]{1.0, 3.0}, new float[]{(float) w1, w2},
                    new float[]{0.7f, 1.3f});
            EventDrivenSimulator sim = EventDrivenSimulator.create(spec);
            SpikeMonitor m = sim.recordSpikes("n");
            sim.run(10);
            double a1 = 1.0 + (double) 0.7f, a2 = 3.0 + (double) 1.3f;   // delays are stored as given (float)
            if (w2 == above) {
                assertEquals(1, m.count());
                assertEquals(a2, m.timesMs()[0], 1e-12);
            } else {
                assertEquals(0, m.count());
                double expected = V_REST + ((float) w1 * Math.exp(-(a2 - a1) / TAU) + w2) * Math.exp(-(8 - a2) / TAU);
                assertEquals(expected, sim.membraneMv(0, 8), 1e-9);
            }
        }
    }

    @Test
    void coincidenceDetectorFiresOnlyWhenDelaysAlign() {
        // Two inputs of exactly half the threshold gap each: only simultaneous arrival reaches -50 mV.
        float w = 10f;
        double[] offsets = {-0.5, -0.01, -1e-6, 0.0, 1e-6, 0.01, 0.5};
        for (double offset : offsets) {
            // spikes at 1.0 and 2.0; delays 2.25 and 1.25 + offset: arrivals 3.25 and 3.25 + offset
            float d2 = (float) (1.25 + offset);
            NetworkSpec spec = inputs(lif(V_REST, 0), new double[]{1.0, 2.0}, new float[]{w, w}, new float[]{2.25f, d2});
            EventDrivenSimulator sim = EventDrivenSimulator.create(spec);
            SpikeMonitor m = sim.recordSpikes("n");
            sim.run(10);
            if (offset == 0) {
                assertEquals(1, m.count(), "aligned delays must fire");
                assertEquals(3.25, m.timesMs()[0], 0.0);
            } else {
                assertEquals(0, m.count(), "offset " + offset + " ms must not fire");
            }
        }
    }

    @Test
    void inputsDuringRefractorinessAreDiscardedAndFreeEvolutionRestartsFromReset() {
        double vReset = -75, tRef = 5;
        // A strong input at 1 fires the neuron (refractory (1, 6]); inputs at 3 and exactly 6 are dropped; 6.5 fires.
        NetworkSpec spec = inputs(lif(vReset, tRef), new double[]{0.5, 2.5, 5.5, 6.0},
                new float[]{30f, 30f, 30f, 30f}, new float[]{0.5f, 0.5f, 0.5f, 0.5f});
        EventDrivenSimulator sim = EventDrivenSimulator.create(spec);
        SpikeMonitor m = sim.recordSpikes("n");
        sim.run(6.25);
        assertArrayEquals(new double[]{1.0}, m.timesMs(), 0.0);
        assertEquals(2, sim.statistics().discardedArrivals());
        // After the refractory period V relaxes from V_reset towards rest.
        assertEquals(V_REST + (vReset - V_REST) * Math.exp(-0.25 / TAU), sim.membraneMv(0, 6.25), 1e-12);
        sim.run(5);
        assertArrayEquals(new double[]{1.0, 6.5}, m.timesMs(), 0.0);
        assertEquals(4, sim.statistics().synapticArrivals());
    }

    @Test
    void refractorinessDelaysABiasDrivenCrossing() {
        // Same neuron as the bias test but it starts in refractoriness after an input-driven spike at 1 ms.
        double bias = 25, tRef = 3;
        NetworkSpec base = inputs(lif(V_REST, tRef), new double[]{0.5}, new float[]{30f}, new float[]{0.5f});
        NetworkSpec spec = new NetworkSpec(base.dtMs(), base.seed(),
                java.util.List.of(new PopulationSpec("n", 1, lif(V_REST, tRef), Distribution.constant(-69.999),
                        new float[]{(float) bias})), base.sources(), base.projections()).validate();
        EventDrivenSimulator sim = EventDrivenSimulator.create(spec);
        SpikeMonitor m = sim.recordSpikes("n");
        sim.run(40);
        double isi = TAU * Math.log(bias / (V_REST + bias - V_TH));
        // The crossing first scheduled at about isi (from -69.999 mV) was moved by the input: exactly two spikes.
        assertEquals(2, m.count());
        assertEquals(1.0, m.timesMs()[0], 0.0);
        assertEquals(1.0 + tRef + isi, m.timesMs()[1], 1e-9);
        assertEquals(1, sim.statistics().crossingEvents());
    }

    @Test
    void simultaneousExcitationAndInhibitionCancelWhateverTheirOrder() {
        // 25 mV of excitation alone would fire; -25 mV at the same instant cancels it, in either listing order.
        for (boolean inhibitionFirst : new boolean[]{false, true}) {
            NetworkSpec.Builder b = NetworkSpec.builder().dtMs(0.1).seed(2)
                    .population("n", 1, lif(V_REST, 0))
                    .spikeTimesSource("e", 1, new int[]{0}, new double[]{1.0})
                    .spikeTimesSource("i", 1, new int[]{0}, new double[]{0.5});
            ProjectionSpec.Builder exc = ProjectionSpec.from("e").to("n").weight(25).delayMs(1.0).excitatory();
            ProjectionSpec.Builder inh = ProjectionSpec.from("i").to("n").weight(-25).delayMs(1.5).inhibitory();
            if (inhibitionFirst) {
                b.projection(inh).projection(exc);
            } else {
                b.projection(exc).projection(inh);
            }
            EventDrivenSimulator sim = EventDrivenSimulator.create(b.build());
            SpikeMonitor m = sim.recordSpikes("n");
            sim.run(5);
            assertEquals(0, m.count(), "inhibition first: " + inhibitionFirst);
            assertEquals(V_REST, sim.membraneMv(0, 2.0), 1e-12);
        }
    }

    /** A recurrent network driven by grid-aligned sources: lots of exactly simultaneous events. */
    private static NetworkSpec simultaneousEventsNetwork() {
        int sources = 20;
        int spikes = 400;
        int[] neuron = new int[spikes];
        double[] times = new double[spikes];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int k = 0; k < spikes; k++) {
            neuron[k] = rng.nextInt(sources);
            times[k] = 0.5 * rng.nextInt(100);     // 0.5 ms grid: many coincident spikes
        }
        LifParameters model = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-65).vThresholdMv(-55)
                .refractoryMs(1).build();
        return NetworkSpec.builder().dtMs(0.25).seed(9)
                .population("a", 50, model, Distribution.uniform(-65, -56))
                .spikeTimesSource("in", sources, neuron, times)
                .projection(ProjectionSpec.from("in").to("a").fixedProbability(0.3).weight(Distribution.uniform(2, 6)).delayMs(0.5))
                .projection(ProjectionSpec.from("a").to("a").fixedProbability(0.2).weight(Distribution.uniform(-3, 4)).delayMs(1.0))
                .build();
    }

    @Test
    void simultaneousEventsGiveIdenticalRunsWithEitherQueueAndAfterReset() {
        NetworkSpec spec = simultaneousEventsNetwork();
        double[] refTimes = null;
        int[] refNeurons = null;
        for (EventDrivenSimulator.QueueKind q : EventDrivenSimulator.QueueKind.values()) {
            EventDrivenSimulator sim = EventDrivenSimulator.create(spec, q);
            SpikeMonitor m = sim.recordSpikes("a");
            sim.run(60);
            double[] t = m.timesMs();
            int[] n = m.neurons();
            assertTrue(t.length > 50, "the network must be active, got " + t.length + " spikes");
            // Many spikes share their time exactly.
            int shared = 0;
            for (int k = 1; k < t.length; k++) {
                if (t[k] == t[k - 1]) {
                    shared++;
                    assertTrue(n[k] > n[k - 1], "spikes of one instant are listed neurons ascending");
                }
            }
            assertTrue(shared > 10, "expected simultaneous spikes, got " + shared);
            if (refTimes == null) {
                refTimes = t;
                refNeurons = n;
            } else {
                assertArrayEquals(refTimes, t, 0.0, q.name());
                assertArrayEquals(refNeurons, n, q.name());
            }
            m.clear();
            sim.reset();
            sim.run(60);
            assertArrayEquals(refTimes, m.timesMs(), 0.0, "after reset");
        }
    }

    @Test
    void poissonSourceIsSeededAndHasTheRequestedRate() {
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.1).seed(11)
                .population("n", 10, lif(V_REST, 0))
                .poissonSource("p", 100, 50)
                .projection(ProjectionSpec.from("p").to("n").fixedProbability(0.1).weight(1).delayMs(Distribution.uniform(0.1, 3)))
                .build();
        EventDrivenSimulator a = EventDrivenSimulator.create(spec);
        EventDrivenSimulator b = EventDrivenSimulator.create(spec, EventDrivenSimulator.QueueKind.HEAP);
        SpikeMonitor ma = a.recordSpikes("p"), mb = b.recordSpikes("p");
        a.run(1000);
        b.run(1000);
        assertArrayEquals(ma.timesMs(), mb.timesMs(), 0.0);
        double expected = 100 * 50.0;   // 100 neurons x 50 Hz x 1 s
        assertEquals(expected, ma.count(), 5 * Math.sqrt(expected));
        int[] perNeuron = ma.countsPerNeuron();
        for (int c : perNeuron) {
            assertTrue(c > 10 && c < 100, "per-neuron count " + c);
        }
        assertEquals(ma.count(), a.operationCounts().spikesByGroup().get("p"));
    }

    @Test
    void operationCountsMatchTheClockEngineFormula() {
        NetworkSpec spec = simultaneousEventsNetwork();
        EventDrivenSimulator sim = EventDrivenSimulator.create(spec);
        SpikeMonitor m = sim.recordSpikes("a");
        SpikeMonitor in = sim.recordSpikes("in");
        sim.run(60);
        var counts = sim.operationCounts();
        assertEquals(m.count(), counts.spikesByGroup().get("a"));
        assertEquals(in.count(), counts.spikesByGroup().get("in"));
        assertEquals(240, counts.steps());
        // Every spike reaches all its synapses within the run? Not those still in flight: delivered <= counted.
        assertTrue(sim.statistics().synapticArrivals() <= counts.totalSynapticEvents());
        assertTrue(sim.statistics().synapticArrivals() > 0.9 * counts.totalSynapticEvents());
    }

    @Test
    void exponentialSynapsesAndMixedModelsAreRejected() {
        LifParameters exp = LifParameters.builder().tauExcMs(5).build();
        NetworkSpec spec = NetworkSpec.builder().population("cells", 3, exp).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> EventDrivenSimulator.create(spec));
        assertTrue(e.getMessage().contains("'cells'") && e.getMessage().contains("exponential synaptic currents"), e.getMessage());
        NetworkSpec mixed = NetworkSpec.builder().population("a", 2, lif(V_REST, 0))
                .population("b", 2, DiscreteLifParameters.spiking(2)).build();
        e = assertThrows(InvalidInputException.class, () -> EventDrivenSimulator.create(mixed));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("one time model"), e.getMessage());
    }
}
