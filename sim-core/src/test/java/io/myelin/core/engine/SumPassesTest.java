package io.myelin.core.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Listing one span for several segments at once gives, list by list, the passes that listing each segment does. */
class SumPassesTest {

    private static List<String> passesOf(SumPasses p, int list) {
        List<String> out = new ArrayList<>();
        int[] a = p.passes(list);
        for (int e = 0; e < p.end(list); e += SumPasses.FIELDS) {
            out.add(Arrays.toString(Arrays.copyOfRange(a, e, e + SumPasses.FIELDS)));
        }
        return out;
    }

    @ParameterizedTest(name = "vectors {0} to {1}, {2} segments")
    @CsvSource({"0, 1, 1", "0, 8, 3", "2, 19, 5", "3, 4, 40", "0, 17, 300"})
    void segmentsAtOnceEqualSegmentBySegment(int v0, int v1, int segments) {
        int lanes = 16;
        int[] base = new int[segments + 2], at = new int[segments + 2];
        for (int m = 0; m < base.length; m++) {
            base[m] = 37 * m + 5;
            at[m] = 128 * m;
        }
        SumPasses bySegment = new SumPasses(), atOnce = new SumPasses();
        for (int kind = SumPasses.NEURON_ROWS; kind <= SumPasses.SOURCE_ROWS; kind++) {
            for (int receptor = 0; receptor < 2; receptor++) {
                // segments 1 .. segments of the arrays: a range that does not start at 0
                for (int m = 1; m <= segments; m++) {
                    bySegment.add(kind, receptor, 3, 11, base[m], v0, v1, at[m], lanes);
                }
                atOnce.addForSegments(kind, receptor, 3, 11, v0, v1, lanes, base, at, 1, segments + 1);
            }
        }
        int total = 0;
        for (int kind = SumPasses.NEURON_ROWS; kind <= SumPasses.SOURCE_ROWS; kind++) {
            for (int receptor = 0; receptor < 2; receptor++) {
                for (int width = 1; width <= SumPasses.MAX_WIDTH; width++) {
                    int list = SumPasses.list(kind, receptor, width);
                    List<String> a = passesOf(bySegment, list), b = passesOf(atOnce, list);
                    a.sort(null);
                    b.sort(null);
                    assertEquals(a, b, "list " + list);
                    total += b.size();
                }
            }
        }
        int blocks = (v1 - v0 + SumPasses.MAX_WIDTH - 1) / SumPasses.MAX_WIDTH;
        assertEquals(4 * blocks * segments, total, "a pass per block, segment, kind and receptor");
    }
}
