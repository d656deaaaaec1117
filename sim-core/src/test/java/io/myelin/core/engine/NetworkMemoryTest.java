package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;
import io.myelin.core.MemoryBudget;
import io.myelin.core.backend.Backends;
import io.myelin.core.model.CubaNetwork;
import io.myelin.core.model.NetworkSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heap a network takes, estimated from its spec, against what compiling it and building the backend take. */
class NetworkMemoryTest {
    static long used() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void theEstimateIsWithinAFactorOfTwoOfTheHeapTaken() {
        NetworkSpec spec = CubaNetwork.spec(20_000, 1);
        long estimate = NetworkMemory.estimateBytes(spec);
        long before = used();
        CompiledNetwork net = CompiledNetwork.compile(spec);
        try (Simulator sim = new Simulator(net, Backends.select("java"))) {
            long held = used() - before;
            assertTrue(estimate > held / 2 && estimate < held * 2, "estimate " + estimate + " bytes, held " + held
                    + " bytes (" + net.synapseCount() + " synapses)");
            assertTrue(Math.abs(NetworkMemory.expectedSynapses(spec) - net.synapseCount()) < 0.02 * net.synapseCount());
        }
    }

    @Test
    void aSpecOverTheBudgetIsRefusedBeforeItIsBuilt() {
        String old = System.getProperty(MemoryBudget.PROPERTY);
        System.setProperty(MemoryBudget.PROPERTY, "64m");
        try {
            long t0 = System.nanoTime();
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> NetworkMemory.check(CubaNetwork.spec(1_000_000, 1), "network spec cuba.json"));
            assertTrue((System.nanoTime() - t0) < 1_000_000_000L, "checked from the spec, not built");
            assertTrue(e.getMessage().startsWith("network spec cuba.json (80000000 synapses expected, 1000000 neurons")
                    && e.getMessage().contains("more than the budget of 64.0 MiB"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(MemoryBudget.PROPERTY);
            } else {
                System.setProperty(MemoryBudget.PROPERTY, old);
            }
        }
    }
}
