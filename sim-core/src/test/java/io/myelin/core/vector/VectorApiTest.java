package io.myelin.core.vector;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorApiTest {

    @Test
    void theBuildsTestsRunWithTheModule() {
        assertTrue(VectorApi.requested(), "surefire starts the tests with --add-modules jdk.incubator.vector");
        assertTrue(VectorApi.usable(() -> true));
        assertFalse(VectorApi.usable(() -> false), "the probe has the last word");
    }

    @Test
    void aProbeThatCannotLinkMeansScalar() {
        assertFalse(VectorApi.usable(() -> {
            throw new NoClassDefFoundError("jdk/incubator/vector/FloatVector");
        }));
    }

    @Test
    void thePropertyTurnsItOff() {
        String old = System.getProperty("myelin.vector");
        try {
            System.setProperty("myelin.vector", "FALSE");
            assertFalse(VectorApi.requested());
            assertFalse(VectorApi.usable(() -> true));
        } finally {
            if (old == null) {
                System.clearProperty("myelin.vector");
            } else {
                System.setProperty("myelin.vector", old);
            }
        }
    }
}
