package io.myelin.core.energy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ParetoTableTest {
    private static ParetoTable.Entry e(String label, double energy, Double acc) {
        return new ParetoTable.Entry(label, energy, acc, null, 0, 0, null);
    }

    @Test
    void frontIsTheUndominatedConfigurations() {
        ParetoTable t = ParetoTable.mark(List.of(
                e("delays-32bit", 100, 0.95),
                e("delays-4bit", 40, 0.94),
                e("no-delays", 60, 0.80),     // dominated by delays-4bit (cheaper and better)
                e("fixed-delays", 40, 0.90),  // same energy as delays-4bit, less accurate
                e("tiny", 5, 0.50),
                e("unlabeled", 1, null)));
        Map<String, Boolean> front = t.entries().stream().filter(x -> x.pareto() != null)
                .collect(Collectors.toMap(ParetoTable.Entry::label, ParetoTable.Entry::pareto));
        assertEquals(Map.of("delays-32bit", true, "delays-4bit", true, "no-delays", false, "fixed-delays", false,
                "tiny", true), front);
        assertNull(t.entries().get(0).pareto());
        assertEquals("unlabeled", t.entries().get(0).label(), "sorted by energy");
        assertEquals(7, t.toText().strip().split("\n").length);
    }
}
