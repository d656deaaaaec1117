package io.myelin.core.backend;

import io.myelin.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsTest {
    @Test
    void javaIsAlwaysThere() {
        try (Backend b = Backends.select("java")) {
            assertEquals("java", b.name());
        }
        try (Backend b = Backends.select("JAVA", BackendOptions.threads(2))) {
            assertTrue(b.device().contains("2 threads"), b.device());
        }
    }

    @Test
    void autoAlwaysGivesABackend() {
        try (Backend b = Backends.select("auto")) {
            assertTrue(Backends.names().contains(b.name()));
        }
    }

    @Test
    void unknownNameListsTheAvailableOnes() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Backends.select("cuda"));
        assertTrue(e.getMessage().contains("unknown backend 'cuda'"), e.getMessage());
        assertTrue(e.getMessage().contains("java"), e.getMessage());
        assertTrue(e.getMessage().contains("auto"), e.getMessage());
    }

    @Test
    void threadsMustBePositive() {
        assertThrows(InvalidInputException.class, () -> BackendOptions.threads(0));
    }
}
