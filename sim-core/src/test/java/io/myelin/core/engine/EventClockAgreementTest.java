package io.myelin.core.engine;

import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event-driven engine against the clock-driven {@link Simulator}. */
class EventClockAgreementTest {

    // ---------------------------------------------------------------- discrete mode: bit-identical

    /** A hand-built trained-style network: 40 input channels, 30 recurrent hidden neurons, 5 non-firing readouts. */
    private static NetworkSpec discreteNetwork() {
        SplittableRandom rng = new SplittableRandom(21);
        int spikes = 600;
        int[] ch = new int[spikes];
        double[] t = new double[spikes];
        for (int k = 0; k < spikes; k++) {
            ch[k] = rng.nextInt(40);
            t[k] = rng.nextInt(80) + rng.nextDouble();   // within-step jitter: binned by floor(t/dt)
        }
        float[] hiddenBias = new float[30];
        for (int i = 0; i < 30; i++) {
            hiddenBias[i] = i < 3 ? 0.4f : (i % 5 == 0 ? -0.05f : 0f); // three neurons fire on their own
        }
        float[] readoutBias = {0.01f, 0f, -0.02f, 0f, 0f};
        return NetworkSpec.builder().dtMs(1.0).seed(4)
                .population(new PopulationSpec("hidden", 30, DiscreteLifParameters.spiking(2.0), Distribution.uniform(-0.5, 0.9), hiddenBias))
                .population(new PopulationSpec("out", 5, DiscreteLifParameters.readout(1.5), Distribution.constant(0), readoutBias))
                .spikeTimesSource("in", 40, ch, t)
                .poissonSource("noise", 10, 30)
                .projection(ProjectionSpec.from("in").to("hidden").fixedProbability(0.3).weight(Distribution.normal(0.3, 0.3))
                        .delayMs(Distribution.uniform(1, 12)))
                .projection(ProjectionSpec.from("noise").to("hidden").fixedProbability(0.2).weight(0.5).delayMs(3))
                .projection(ProjectionSpec.from("hidden").to("hidden").fixedProbability(0.2).weight(Distribution.normal(0, 0.4))
                        .delayMs(Distribution.uniform(1, 6)).inhibitory())
                .projection(ProjectionSpec.from("hidden").to("out").allToAll().weight(Distribution.normal(0.1, 0.2))
                        .delayMs(Distribution.uniform(1, 20)))
                .build();
    }

    @Test
    void discreteModeIsBitIdenticalToTheClockEngine() {
        NetworkSpec spec = discreteNetwork();
        Simulator clock = Simulator.create(spec);
        SpikeMonitor cs = clock.recordSpikes("hidden");
        SpikeMonitor cin = clock.recordSpikes("noise");
        StateMonitor cv = clock.recordState("out", new int[]{0, 1, 2, 3, 4}, 1);
        StateMonitor ch = clock.recordState("hidden", new int[]{0, 7, 29}, 1);
        clock.run(150);
        assertTrue(cs.count() > 100, "hidden layer must be active, got " + cs.count());
        for (EventDrivenSimulator.QueueKind q : EventDrivenSimulator.QueueKind.values()) {
            EventDrivenSimulator ev = EventDrivenSimulator.create(spec, q);
            assertEquals(EventDrivenSimulator.Mode.DISCRETE, ev.mode());
            SpikeMonitor es = ev.recordSpikes("hidden");
            SpikeMonitor ein = ev.recordSpikes("noise");
            StateMonitor evv = ev.recordState("out", new int[]{0, 1, 2, 3, 4}, 1);
            StateMonitor eh = ev.recordState("hidden", new int[]{0, 7, 29}, 1);
            ev.run(100);
            ev.run(50);  // in two pieces: the state carries over
            assertArrayEquals(cs.steps(), es.steps(), q.name());
            assertArrayEquals(cs.neurons(), es.neurons(), q.name());
            assertArrayEquals(cs.timesMs(), es.timesMs(), 0.0);
            assertArrayEquals(cin.steps(), ein.steps());
            for (int k = 0; k < 5; k++) {
                assertArrayEquals(cv.v(k), evv.v(k), 0f, "readout " + k + " with " + q);
            }
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(ch.v(k), eh.v(k), 0f, "hidden membrane " + k + " with " + q);
            }
            var c = clock.operationCounts();
            var e = ev.operationCounts();
            assertEquals(c.spikesByGroup(), e.spikesByGroup());
            assertEquals(c.synapticEventsByProjection(), e.synapticEventsByProjection());
            assertTrue(e.neuronUpdates() < c.neuronUpdates(), "event-driven must skip dormant neurons");
        }
    }

    @Test
    void discreteModeWithoutMonitorsSkipsIdleStepsAndStaysIdentical() {
        // No sources and no state monitor: idle stretches are skipped; a pulse of initial potential decays away.
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0).seed(8)
                .population("a", 20, DiscreteLifParameters.spiking(1.005), Distribution.uniform(0, 400))
                .population("b", 20, DiscreteLifParameters.spiking(5), Distribution.constant(0))
                .projection(ProjectionSpec.from("a").to("b").allToAll().weight(0.7).delayMs(Distribution.uniform(1, 300)))
                .projection(ProjectionSpec.from("b").to("b").fixedProbability(0.1).weight(0.7).delayMs(Distribution.uniform(50, 200)))
                .build();
        Simulator clock = Simulator.create(spec);
        SpikeMonitor cs = clock.recordSpikes("b");
        clock.run(2000);
        EventDrivenSimulator ev = EventDrivenSimulator.create(spec);
        SpikeMonitor es = ev.recordSpikes("b");
        ev.run(2000);
        assertTrue(cs.count() > 5, "b must fire, got " + cs.count());
        assertArrayEquals(cs.steps(), es.steps());
        assertArrayEquals(cs.neurons(), es.neurons());
        assertTrue(ev.operationCounts().neuronUpdates() * 5 < clock.operationCounts().neuronUpdates(),
                ev.operationCounts().neuronUpdates() + " updates vs clock " + clock.operationCounts().neuronUpdates());
    }

    // ---------------------------------------------------------------- continuous mode: convergence as dt -> 0

    /**
     * Feed-forward delta-LIF network with deterministic input on a 0.5 ms grid and delays that are multiples of
     * every dt tested: 8 channels -> 6 neurons (two bias-driven) -> 3 neurons. Times, delays and steps are dyadic
     * (exact in binary), so an arrival that lands exactly on the end of a refractory period does so in both engines.
     */
    private static NetworkSpec convergenceNetwork(double dt) {
        SplittableRandom rng = new SplittableRandom(13);
        int spikes = 120;
        int[] ch = new int[spikes];
        double[] t = new double[spikes];
        for (int k = 0; k < spikes; k++) {
            ch[k] = rng.nextInt(8);
            t[k] = 0.5 * rng.nextInt(160);
        }
        LifParameters model = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-70).vThresholdMv(-55)
                .refractoryMs(2).build();
        float[] bias = {0, 0, 11.5f, 0, 13f, 0};
        int[] inPre = new int[48], inPost = new int[48];
        float[] inW = new float[48], inD = new float[48];
        for (int s = 0; s < 48; s++) {
            inPre[s] = s / 6;
            inPost[s] = s % 6;
            inW[s] = (float) (1.5 + 3.5 * rng.nextDouble());
            inD[s] = (float) (0.25 * (1 + rng.nextInt(8)));
        }
        return NetworkSpec.builder().dtMs(dt).seed(5)
                .population(new PopulationSpec("h", 6, model, Distribution.constant(-65), bias))
                .population("o", 3, model)
                .spikeTimesSource("in", 8, ch, t)
                .projection(ProjectionSpec.from("in").to("h").explicit(inPre, inPost, inW, inD))
                .projection(ProjectionSpec.from("h").to("o").allToAll().weight(Distribution.uniform(3, 7)).delayMs(Distribution.constant(1.25)))
                .build();
    }

    private static double[][] spikeTimesByNeuron(SpikeMonitor m, int size) {
        int[] c = m.countsPerNeuron();
        double[][] out = new double[size][];
        int[] fill = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = new double[c[i]];
        }
        double[] t = m.timesMs();
        int[] n = m.neurons();
        for (int k = 0; k < t.length; k++) {
            out[n[k]][fill[n[k]]++] = t[k];
        }
        return out;
    }

    /** Largest spike-time difference, neuron by neuron (spike counts must agree). */
    private static double maxError(double[][] exact, double[][] clock, double dt) {
        double err = 0;
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i].length, clock[i].length, "spike count of neuron " + i + " at dt = " + dt);
            for (int k = 0; k < exact[i].length; k++) {
                err = Math.max(err, Math.abs(exact[i][k] - clock[i][k]));
            }
        }
        return err;
    }

    @Test
    void clockEngineConvergesLinearlyToTheEventDrivenSpikeTimes() {
        double duration = 85;
        EventDrivenSimulator ev = EventDrivenSimulator.create(convergenceNetwork(0.125));
        SpikeMonitor eh = ev.recordSpikes("h"), eo = ev.recordSpikes("o");
        ev.run(duration);
        double[][] exactH = spikeTimesByNeuron(eh, 6), exactO = spikeTimesByNeuron(eo, 3);
        assertTrue(eh.count() > 30 && eo.count() > 10, "network must fire: " + eh.count() + ", " + eo.count());

        double[] dts = {0.125, 0.0625, 0.03125, 0.015625};
        double[] err = new double[dts.length];
        for (int k = 0; k < dts.length; k++) {
            Simulator clock = Simulator.create(convergenceNetwork(dts[k]));
            SpikeMonitor ch = clock.recordSpikes("h"), co = clock.recordSpikes("o");
            clock.run(duration);
            err[k] = Math.max(maxError(exactH, spikeTimesByNeuron(ch, 6), dts[k]),
                    maxError(exactO, spikeTimesByNeuron(co, 3), dts[k]));
        }
        String table = java.util.Arrays.toString(err);
        for (int k = 0; k < dts.length; k++) {
            assertTrue(err[k] <= 3 * dts[k], "error " + err[k] + " at dt " + dts[k] + ": " + table);
            if (k > 0) {
                double ratio = err[k - 1] / err[k];
                assertTrue(ratio > 1.4 && ratio < 2.8, "halving dt should halve the error: " + table);
            }
        }
        // Least-squares slope of log(error) against log(dt): first order.
        double mx = 0, my = 0;
        for (int k = 0; k < dts.length; k++) {
            mx += Math.log(dts[k]) / dts.length;
            my += Math.log(err[k]) / dts.length;
        }
        double sxy = 0, sxx = 0;
        for (int k = 0; k < dts.length; k++) {
            sxy += (Math.log(dts[k]) - mx) * (Math.log(err[k]) - my);
            sxx += (Math.log(dts[k]) - mx) * (Math.log(dts[k]) - mx);
        }
        double slope = sxy / sxx;
        assertEquals(1.0, slope, 0.15, "convergence order, errors " + table);
    }
}
