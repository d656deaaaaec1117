package io.myelin.core.engine;

import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.ProjectionSpec;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connectivity rules build what they promise; the same seed builds the same synapses. */
class CompiledNetworkTest {
    private static NetworkSpec spec(long seed) {
        LifParameters lif = LifParameters.builder().build();
        return NetworkSpec.builder().dtMs(0.1).seed(seed)
                .population("a", 300, lif, Distribution.uniform(-70, -55))
                .population("b", 200, lif)
                .projection(ProjectionSpec.from("a").to("b").named("indeg").fixedInDegree(25).weight(Distribution.uniform(0, 1))
                        .delayMs(Distribution.uniform(0.1, 5)))
                .projection(ProjectionSpec.from("a").to("a").named("prob").fixedProbability(0.1, false).weight(1))
                .projection(ProjectionSpec.from("b").to("b").named("one").oneToOne().weight(1).delayMs(0.3))
                .build();
    }

    @Test
    void rulesBuildWhatTheyPromise() {
        CompiledNetwork net = CompiledNetwork.compile(spec(1));
        int[] inDegree = new int[net.neuronCount];
        Set<Long> pairs = new HashSet<>();
        int self = 0;
        for (int pre = 0; pre < net.totalCount; pre++) {
            for (int s = net.rowStart[pre]; s < net.rowStart[pre + 1]; s++) {
                int post = net.target[s];
                if (pre < 300 && post >= 300) {
                    inDegree[post]++;
                    assertTrue(pairs.add(pre * 1_000_000L + post), "fixed in-degree draws distinct pre neurons");
                    assertTrue(net.delaySteps[s] >= 1 && net.delaySteps[s] <= 50);
                }
                if (pre < 300 && post < 300 && pre == post) {
                    self++;
                }
                if (pre >= 300) {
                    assertEquals(pre, post, "one-to-one");
                    assertEquals(3, net.delaySteps[s], "0.3 ms at dt 0.1 ms is 3 steps");
                }
            }
        }
        for (int post = 300; post < 500; post++) {
            assertEquals(25, inDegree[post]);
        }
        assertEquals(0, self, "allowSelf=false");
        long prob = net.projections.get(1).synapses();
        double expected = 300 * 299 * 0.1;
        assertEquals(expected, prob, 5 * Math.sqrt(expected * 0.9), "fixed probability count");
        for (float v : net.initialV) {
            assertTrue(v == -70f || (v >= -70 && v <= -55));
        }
    }

    @Test
    void sameSeedSameNetwork() {
        CompiledNetwork a = CompiledNetwork.compile(spec(3));
        CompiledNetwork b = CompiledNetwork.compile(spec(3));
        CompiledNetwork c = CompiledNetwork.compile(spec(4));
        assertArrayEquals(a.target, b.target);
        assertArrayEquals(a.weight, b.weight);
        assertArrayEquals(a.delaySteps, b.delaySteps);
        assertArrayEquals(a.initialV, b.initialV);
        assertFalse(java.util.Arrays.equals(a.target, c.target));
    }

    @Test
    void fixedPointKeepsWeightsToTheirResolution() {
        CompiledNetwork net = CompiledNetwork.compile(spec(5));
        double resolution = Math.scalb(1.0, -net.scale.fractionalBits());
        for (int s = 0; s < net.synapseCount(); s++) {
            assertEquals(net.weight[s], net.scale.toWeight(net.weightFixed[s]), resolution / 2 + 1e-12);
        }
        assertTrue(net.scale.fractionalBits() >= 20, "small weights get fine resolution: " + net.scale.fractionalBits());
    }
}
