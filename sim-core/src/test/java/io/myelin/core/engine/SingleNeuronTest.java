package io.myelin.core.engine;

import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A single LIF neuron driven by a constant current against the closed-form solution of tau dV/dt = -(V - E) + I. */
class SingleNeuronTest {
    static final double TAU = 10, REST = -65, RESET = -70, TH = -50, DT = 0.1;

    private static NetworkSpec neuron(double currentMv, double v0, double refractoryMs) {
        LifParameters lif = LifParameters.builder().tauMs(TAU).vRestMv(REST).vResetMv(RESET).vThresholdMv(TH)
                .refractoryMs(refractoryMs).build();
        return NetworkSpec.builder().dtMs(DT)
                .population(new PopulationSpec("n", 1, lif, Distribution.constant(v0), new float[]{(float) currentMv}))
                .build();
    }

    @Test
    void subthresholdTraceEqualsClosedForm() {
        double current = 10, v0 = -70; // settles at -55 mV, below threshold
        try (Simulator sim = Simulator.create(neuron(current, v0, 0))) {
            StateMonitor m = sim.recordState("n", new int[]{0}, 1);
            SpikeMonitor s = sim.recordSpikes("n");
            sim.run(100);
            float[] v = m.v(0);
            double[] t = m.timesMs();
            assertEquals(1000, v.length);
            for (int k = 0; k < v.length; k++) {
                double exact = REST + current + (v0 - REST - current) * Math.exp(-t[k] / TAU);
                assertEquals(exact, v[k], 2e-4, "V at t = " + t[k] + " ms");
            }
            assertEquals(0, s.count());
        }
    }

    @Test
    void firstSpikeAtAnalyticTime() {
        double current = 25, v0 = -70; // asymptote -40 mV, above threshold
        double tStar = TAU * Math.log((v0 - REST - current) / (TH - REST - current));
        try (Simulator sim = Simulator.create(neuron(current, v0, 0))) {
            SpikeMonitor s = sim.recordSpikes("n");
            sim.run(tStar + 5);
            assertTrue(s.count() >= 1);
            double first = s.timesMs()[0];
            // The spike is detected at the end of the step in which V crosses threshold.
            assertTrue(first >= tStar - 1e-9 && first < tStar + DT + 1e-9,
                    "first spike at " + first + " ms, analytic crossing at " + tStar + " ms");
        }
    }

    @Test
    void regularFiringPeriodFollowsFromClosedForm() {
        double current = 25, refractory = 2;
        // After a reset to -70 mV the neuron needs tStar to reach threshold again, plus the refractory period.
        double tStar = TAU * Math.log((RESET - REST - current) / (TH - REST - current));
        try (Simulator sim = Simulator.create(neuron(current, RESET, refractory))) {
            SpikeMonitor s = sim.recordSpikes("n");
            sim.run(200);
            double[] times = s.timesMs();
            assertTrue(times.length > 5);
            for (int k = 1; k < times.length; k++) {
                double isi = times[k] - times[k - 1];
                assertTrue(isi >= refractory + tStar - 1e-9 && isi <= refractory + tStar + DT + 1e-9,
                        "ISI " + isi + " vs refractory + crossing " + (refractory + tStar));
            }
        }
    }

    @Test
    void refractoryHoldsMembraneAtReset() {
        double current = 40, refractory = 3;
        try (Simulator sim = Simulator.create(neuron(current, RESET, refractory))) {
            StateMonitor m = sim.recordState("n", new int[]{0}, 1);
            SpikeMonitor s = sim.recordSpikes("n");
            sim.run(50);
            long firstSpikeStep = s.steps()[0];
            float[] v = m.v(0);
            int refSteps = (int) Math.round(refractory / DT);
            for (int k = 1; k <= refSteps; k++) {
                assertEquals((float) RESET, v[(int) firstSpikeStep + k], 0f, "held at reset " + k + " steps after the spike");
            }
            assertTrue(v[(int) firstSpikeStep + refSteps + 1] > RESET, "integrates again after the refractory period");
            long[] steps = s.steps();
            for (int k = 1; k < steps.length; k++) {
                assertTrue(steps[k] - steps[k - 1] > refSteps, "no spike inside the refractory period");
            }
        }
    }
}
