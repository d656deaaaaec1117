package io.myelin.nir;

import io.myelin.nir.report.LifComparison;
import io.myelin.nir.report.NeuronTrace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where Myelin's two modes sit among the NIR paper's traces of the lif_norse neuron: Euler is Norse's (and
 * snnTorch's, SpiNNaker2's) trace, exact is the exact solution's, both in the graph's own units.
 */
class LifComparisonTest {
    @Test
    void eulerIsNorsesTraceAndExactIsTheExactSolution() throws Exception {
        LifComparison c = LifComparison.of(TestData.nirCase("lif_norse"), 1e-4);
        NeuronTrace euler = c.trace("myelin-euler"), exact = c.trace("myelin-exact");
        assertTrue(maxDiff(euler.voltage(), c.trace("norse").voltage()) < 1e-7, "Euler vs Norse");
        assertTrue(maxDiff(exact.voltage(), c.trace("exact").voltage()) < 1e-8,
                "exact vs exact solution: " + maxDiff(exact.voltage(), c.trace("exact").voltage()));
        assertArrayEquals(c.trace("exact").spikeSteps(), exact.spikeSteps());
        assertArrayEquals(c.trace("norse").spikeSteps(), euler.spikeSteps());
        assertEquals(4, euler.spikeSteps().length);
        // the two modes differ in between (Euler's one-step lag of the decay): the comparison is not vacuous
        assertTrue(maxDiff(euler.voltage(), exact.voltage()) > 1e-3);
        assertTrue(c.rmsToReference(c.trace("rockpool")) > c.rmsToReference(euler));
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
