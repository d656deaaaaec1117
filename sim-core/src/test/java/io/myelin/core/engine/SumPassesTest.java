package io.myelin.core.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Listing one span for several segments at once: list by list, a pass per block of at most {@link SumPasses#MAX_WIDTH}
 * vectors and per segment, worked out here from the span; and {@link SumPasses#add} lists one segment the same way.
 */
class SumPassesTest {
    private static final int LANES = 16, K0 = 3, K1 = 11;

    private static List<String> passesOf(SumPasses p, int list) {
        List<String> out = new ArrayList<>();
        int[] a = p.passes(list);
        for (int e = 0; e < p.end(list); e += SumPasses.FIELDS) {
            out.add(Arrays.toString(Arrays.copyOfRange(a, e, e + SumPasses.FIELDS)));
        }
        out.sort(null);
        return out;
    }

    /** The passes of segments {@code [m0, m1)} in each list, from the blocks of {@code [v0, v1)} cut by hand. */
    private static List<List<String>> expected(int v0, int v1, int[] base, int[] at, int m0, int m1) {
        List<List<String>> lists = new ArrayList<>();
        for (int k = 0; k < 2 * 2 * (SumPasses.MAX_WIDTH + 1); k++) {
            lists.add(new ArrayList<>());
        }
        for (int kind = SumPasses.NEURON_ROWS; kind <= SumPasses.SOURCE_ROWS; kind++) {
            for (int receptor = 0; receptor < 2; receptor++) {
                int v = v0;
                while (v < v1) {
                    int width = Math.min(SumPasses.MAX_WIDTH, v1 - v), t = v * LANES;
                    for (int m = m0; m < m1; m++) {
                        lists.get(SumPasses.list(kind, receptor, width))
                                .add(Arrays.toString(new int[]{K0, K1, base[m], t, at[m] + t}));
                    }
                    v += width;
                }
            }
        }
        for (List<String> l : lists) {
            l.sort(null);
        }
        return lists;
    }

    @ParameterizedTest(name = "vectors {0} to {1}, {2} segments")
    @CsvSource({"0, 1, 1", "0, 8, 3", "2, 19, 5", "3, 4, 40", "0, 17, 300"})
    void segmentsAtOnceAndOneByOneGiveAPassPerBlockAndSegment(int v0, int v1, int segments) {
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
                    bySegment.add(kind, receptor, K0, K1, base[m], v0, v1, at[m], LANES);
                }
                atOnce.addForSegments(kind, receptor, K0, K1, v0, v1, LANES, base, at, 1, segments + 1);
            }
        }
        List<List<String>> want = expected(v0, v1, base, at, 1, segments + 1);
        int total = 0;
        for (int list = 0; list < want.size(); list++) {
            assertEquals(want.get(list), passesOf(atOnce, list), "list " + list);
            assertEquals(want.get(list), passesOf(bySegment, list), "list " + list + ", one segment at a time");
            total += want.get(list).size();
        }
        int blocks = (v1 - v0 + SumPasses.MAX_WIDTH - 1) / SumPasses.MAX_WIDTH;
        assertEquals(4 * blocks * segments, total, "a pass per block, segment, kind and receptor");
    }
}
