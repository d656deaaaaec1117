package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.monitor.StateMonitor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spikes through delayed synapses arrive exactly when their delays say, with their own weights and signs. */
class SynapseDelayTest {
    /** A neuron with no leak to speak of (tau 1e9 ms), delta synapses, threshold out of reach: V integrates inputs. */
    static LifParameters integrator() {
        return LifParameters.builder().tauMs(1e9).vRestMv(0).vResetMv(-1e6).vThresholdMv(1e6).build();
    }

    @Test
    void spikeArrivesExactlyDelayStepsLater() {
        int delaySteps = 7;
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0)
                .spikeTimesSource("in", 1, new int[]{0}, new double[]{3.0}) // emitted in step 3
                .population("n", 1, integrator())
                .projection(ProjectionSpec.from("in").to("n").weight(2.5).delayMs(delaySteps))
                .build();
        try (Simulator sim = Simulator.create(spec)) {
            StateMonitor m = sim.recordState("n", new int[]{0}, 1);
            sim.run(20);
            float[] v = m.v(0);
            for (int step = 0; step < 20; step++) {
                assertEquals(step >= 3 + delaySteps ? 2.5f : 0f, v[step], 1e-5f, "V after step " + step);
            }
        }
    }

    @Test
    void twoSynapsesWithDifferentDelaysArriveAtTheirOwnSteps() {
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.5)
                .spikeTimesSource("in", 1, new int[]{0}, new double[]{0.0})
                .population("n", 1, integrator())
                .projection(ProjectionSpec.from("in").to("n").named("fast").weight(1.0).delayMs(1.0))      // 2 steps
                .projection(ProjectionSpec.from("in").to("n").named("slow").weight(-3.0).delayMs(2.5).inhibitory()) // 5 steps
                .build();
        try (Simulator sim = Simulator.create(spec)) {
            StateMonitor m = sim.recordState("n", new int[]{0}, 1);
            sim.run(5);
            float[] v = m.v(0);
            float[] expected = {0, 0, 1, 1, 1, -2, -2, -2, -2, -2};
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], v[k], 1e-5f, "V after step " + k);
            }
        }
    }

    @Test
    void inhibitoryWeightsLowerTheMembrane() {
        LifParameters lif = LifParameters.builder().tauMs(20).vRestMv(-65).vResetMv(-70).vThresholdMv(-50)
                .tauExcMs(5).tauInhMs(10).build();
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.1)
                .spikeTimesSource("in", 1, new int[]{0}, new double[]{1.0})
                .population("n", 1, lif)
                .projection(ProjectionSpec.from("in").to("n").weight(-5).delayMs(0.1).inhibitory())
                .build();
        try (Simulator sim = Simulator.create(spec)) {
            StateMonitor m = sim.recordState("n", new int[]{0}, 1);
            sim.run(30);
            float[] v = m.v(0);
            float min = Float.MAX_VALUE;
            for (float x : v) {
                min = Math.min(min, x);
            }
            assertTrue(min < -66, "an inhibitory current must hyperpolarise, min V " + min);
            assertEquals(-65f, v[5], 1e-6f, "no change before the spike arrives");
            // tau_m dV/dt = -(V-E) + I with I = -5 e^{-t/tau_i}: peak deflection has a closed form
            double tm = 20, ti = 10, tPeak = tm * ti / (tm - ti) * Math.log(tm / ti);
            double peak = -5 * ti / (ti - tm) * (Math.exp(-tPeak / ti) - Math.exp(-tPeak / tm));
            assertEquals(-65 + peak, min, 1e-3, "peak of the inhibitory PSP");
        }
    }

    @Test
    void delayLongerThanTheBufferIsRejected() {
        DelayRingBuffer ring = new DelayRingBuffer(5, 3);
        ring.add(0, 4, 0, 1, 10);
        assertEquals(10, ring.peek(4, 0, 1));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ring.add(0, 5, 0, 1, 10));
        assertTrue(e.getMessage().contains("does not fit the delay buffer"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> ring.add(0, 0, 0, 1, 10));
    }

    @Test
    void delayShorterThanTheTimeStepIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NetworkSpec.builder().dtMs(1.0)
                .spikeTimesSource("in", 1, new int[]{0}, new double[]{0.0})
                .population("n", 1, integrator())
                .projection(ProjectionSpec.from("in").to("n").weight(1).delayMs(0.5))
                .build());
        assertTrue(e.getMessage().contains("shorter than the time step"), e.getMessage());
    }
}
