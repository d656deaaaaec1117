package io.myelin.core.engine;

import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.model.Distribution;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A tiny discrete-time network worked out by hand: H = V - V/tau + X, spike at H >= 1, hard reset to 0. */
class DiscreteLifNetworkTest {
    @Test
    void handWorkedTwoLayerNetwork() {
        // Input spikes at steps 0, 1, 2 into a hidden neuron (weight 0.6, delay 1 step, tau 2, bias 0.1).
        // Hidden: X = 0.6 + 0.1 at steps 1..3, 0.1 otherwise.
        //   step 0: H = 0 + 0.1 = 0.1                      -> V 0.1
        //   step 1: H = 0.1 - 0.05 + 0.7 = 0.75            -> V 0.75
        //   step 2: H = 0.75 - 0.375 + 0.7 = 1.075 >= 1    -> spike, V 0
        //   step 3: H = 0 + 0.7 = 0.7                      -> V 0.7
        //   step 4: H = 0.7 - 0.35 + 0.1 = 0.45            -> V 0.45
        // Readout (never fires, tau 2): weight 2 from hidden with delay 2 steps: the spike of step 2 arrives at 4.
        //   V: 0,0,0,0, 2, 1, 0.5
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0)
                .spikeTimesSource("in", 1, new int[]{0, 0, 0}, new double[]{0, 1, 2})
                .population(new PopulationSpec("hidden", 1, DiscreteLifParameters.spiking(2.0), Distribution.constant(0),
                        new float[]{0.1f}))
                .population("out", 1, DiscreteLifParameters.readout(2.0))
                .projection(ProjectionSpec.from("in").to("hidden").weight(0.6).delayMs(1))
                .projection(ProjectionSpec.from("hidden").to("out").weight(2.0).delayMs(2))
                .build();
        try (Simulator sim = Simulator.create(spec)) {
            StateMonitor hidden = sim.recordState("hidden", new int[]{0}, 1);
            StateMonitor out = sim.recordState("out", new int[]{0}, 1);
            SpikeMonitor spikes = sim.recordSpikes("hidden");
            sim.runSteps(7);
            float[] h = hidden.v(0);
            float[] expectedHidden = {0.1f, 0.75f, 0f, 0.7f, 0.45f};
            for (int k = 0; k < expectedHidden.length; k++) {
                assertEquals(expectedHidden[k], h[k], 1e-6f, "hidden V after step " + k);
            }
            assertArrayEquals(new long[]{2}, spikes.steps());
            float[] o = out.v(0);
            float[] expectedOut = {0, 0, 0, 0, 2f, 1f, 0.5f};
            for (int k = 0; k < expectedOut.length; k++) {
                assertEquals(expectedOut[k], o[k], 1e-6f, "readout V after step " + k);
            }
        }
    }
}
