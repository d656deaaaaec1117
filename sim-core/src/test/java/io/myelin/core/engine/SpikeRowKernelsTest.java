package io.myelin.core.engine;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The layered execution's data-movement kernels against their definitions, element by element. */
class SpikeRowKernelsTest {
    @Test
    void spikeRowsFollowTheirDefinition() {
        int n = 2 * SpikeRowKernels.lanes();
        Random r = new Random(5);
        float[] spikes = new float[n + 3];
        for (int t = 0; t < spikes.length; t++) {
            spikes[t] = r.nextBoolean() ? 1f : 0f;
        }
        if (SpikeRowKernels.transposes()) {
            byte[] rows = new byte[n + 40];
            SpikeRowKernels.spikeRow(spikes, 3, rows, 11, n);
            for (int t = 0; t < n; t++) {
                assertEquals((byte) -(int) spikes[3 + t], rows[11 + t], "row entry " + t);
            }
            assertEquals(0, rows[10]);
            assertEquals(0, rows[11 + n]);
        }
    }

    @Test
    void twoTilesAtOnceEqualTwoTilesInTurn() {
        int L = SpikeRowKernels.lanes(), steps = 37;
        float[][] tiles = randomTiles(7, steps);
        float[] a = tiles[0], b = tiles[1], v = tiles[2];
        float[] a1 = a.clone(), b1 = b.clone(), v1 = v.clone(), ca = new float[3 * L], cb = new float[3 * L];
        float[] trace1 = new float[steps * 3 * L];
        SpikeRowKernels.lif(a1, steps, 1.7f, 0.8f, -0.1f, v1, 0, ca, trace1, 3 * L, L);
        SpikeRowKernels.lif(b1, steps, 1.7f, 0.8f, -0.1f, v1, L, cb, trace1, 3 * L, 2 * L);
        float[] a2 = a.clone(), b2 = b.clone(), v2 = v.clone(), da = new float[3 * L], db = new float[3 * L];
        float[] trace2 = new float[steps * 3 * L];
        SpikeRowKernels.lif2(a2, b2, steps, 1.7f, 0.8f, -0.1f, v2, 0, da, db, trace2, 3 * L, L);
        assertSameRuns(new float[][]{a1, b1, v1, ca, cb, trace1}, new float[][]{a2, b2, v2, da, db, trace2});
        float spikes = 0;
        for (int j = 0; j < L; j++) {
            spikes += ca[j];
        }
        org.junit.jupiter.api.Assertions.assertTrue(spikes > 0, "the tiles must spike");
        assertBounds(a1, 0, steps, ca);
        assertBounds(b2, 0, steps, db);
    }

    @Test
    void afterLastZeroFindsTheLastZeroStepOfTheRangeOnly() {
        Random r = new Random(21);
        for (int round = 0; round < 400; round++) {
            int n = 1 + r.nextInt(130), at = r.nextInt(5);
            int[] any = new int[at + n + 20];
            for (int t = 0; t < any.length; t++) {
                any[t] = r.nextInt(4) == 0 ? 0 : r.nextInt() | 1;
            }
            if (round % 3 == 0) {
                // zeros only in the first steps, as in a sample's silent start, and past the range
                for (int t = at; t < at + n; t++) {
                    any[t] = t - at < round % 7 ? 0 : 1 + r.nextInt(9);
                }
            }
            int expected = 0;
            for (int t = n - 1; t >= 0; t--) {
                if (any[at + t] == 0) {
                    expected = t + 1;
                    break;
                }
            }
            assertEquals(expected, SpikeRowKernels.afterLastZero(any, at, n), "n " + n + " at " + at);
        }
    }

    @Test
    void theInputIsTakenTheLastZeroSumFoundAmongTheChunksStepsAndArrivalsAreTheOredSums() {
        int L = SpikeRowKernels.lanes();
        Random r = new Random(33);
        for (int round = 0; round < 400; round++) {
            int at = r.nextInt(5), steps = 1 + r.nextInt(130), padded = (steps + L - 1) / L * L;
            int[] e = new int[at + padded + 2], i = new int[at + padded + 2], any = new int[at + padded + 2];
            for (int t = 0; t < e.length; t++) {
                e[t] = r.nextInt(8) == 0 ? 0 : r.nextInt();
                i[t] = r.nextInt(8) == 0 ? 0 : r.nextInt();
            }
            if (round % 3 == 0) {
                // zeros in the first steps only (a sample's silent start), and in the padding past the chunk
                for (int t = 0; t < padded; t++) {
                    e[at + t] = t < round % 11 || t >= steps ? 0 : 1 + r.nextInt(9);
                }
            }
            boolean inhibitory = round % 2 == 0;
            int expected = 0;
            for (int t = 0; t < steps; t++) {
                if ((e[at + t] | (inhibitory ? i[at + t] : 0)) == 0) {
                    expected = t + 1;
                }
            }
            int[] e0 = e.clone(), i0 = i.clone();
            float inv = 0x1p-12f, bias = 0.375f;
            float[] x = new float[padded + 3];
            assertEquals(expected, SpikeRowKernels.takeInputAndArrivals(e, inhibitory ? i : null, at, inv, bias, x, 3,
                    padded, steps, any), "steps " + steps + " at " + at);
            for (int t = 0; t < padded; t++) {
                assertEquals(e0[at + t] | (inhibitory ? i0[at + t] : 0), any[at + t], "step " + t);
                // the stepwise engines' input expression, and the sums left zero for the next population
                float want = inhibitory ? e0[at + t] * inv + i0[at + t] * inv + bias : e0[at + t] * inv + bias;
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(x[3 + t]), "input at step " + t);
                assertEquals(0, e[at + t]);
                assertEquals(inhibitory ? 0 : i0[at + t], i[at + t]);
            }
            assertEquals(e0[at + padded], e[at + padded], "past the n steps untouched");
        }
    }

    @Test
    void aTileRunFromAStepContinuesTheRunUpToIt() {
        int L = SpikeRowKernels.lanes(), steps = 41, from = 7;
        float[][] tiles = randomTiles(8, steps);
        float[] a = tiles[0], b = tiles[1], v = tiles[2];
        float[] a1 = a.clone(), b1 = b.clone(), v1 = v.clone(), ca = new float[3 * L], cb = new float[3 * L];
        float[] trace1 = new float[steps * 2 * L];
        SpikeRowKernels.lif2(a1, b1, steps, 1.7f, 0.8f, -0.1f, v1, 0, ca, cb, trace1, 2 * L, 0);
        // the same steps in two parts: the first steps one tile at a time, the rest from step `from`
        float[] a2 = a.clone(), b2 = b.clone(), v2 = v.clone(), pa = new float[3 * L], pb = new float[3 * L];
        float[] da = new float[3 * L], db = new float[3 * L], trace2 = new float[steps * 2 * L];
        SpikeRowKernels.lif(a2, from, 1.7f, 0.8f, -0.1f, v2, 0, pa, trace2, 2 * L, 0);
        SpikeRowKernels.lif(b2, from, 1.7f, 0.8f, -0.1f, v2, L, pb, trace2, 2 * L, L);
        SpikeRowKernels.lif2(a2, b2, from, steps, 1.7f, 0.8f, -0.1f, v2, 0, da, db, trace2, 2 * L, 0);
        // each part's bounds are its own steps'
        assertBounds(a2, 0, from, pa);
        assertBounds(b2, from, steps, db);
        for (int j = 0; j < L; j++) {
            da[j] += pa[j];
            db[j] += pb[j];
        }
        assertSameRuns(new float[][]{a1, b1, v1, Arrays.copyOf(ca, L), Arrays.copyOf(cb, L), trace1},
                new float[][]{a2, b2, v2, Arrays.copyOf(da, L), Arrays.copyOf(db, L), trace2});
        // one tile from a step, against one tile through all steps
        float[] a3 = a.clone(), v3 = v.clone(), c3 = new float[3 * L], a4 = a.clone(), v4 = v.clone();
        float[] c4 = new float[3 * L];
        SpikeRowKernels.lif(a3, steps, 1.7f, 0.8f, -0.1f, v3, 0, c3, null, 0, 0);
        SpikeRowKernels.lif(a4, from, 1.7f, 0.8f, -0.1f, v4, 0, pa, null, 0, 0);
        SpikeRowKernels.lif(a4, from, steps, 1.7f, 0.8f, -0.1f, v4, 0, c4, null, 0, 0);
        for (int j = 0; j < L; j++) {
            c4[j] += pa[j];
        }
        assertArrayEquals(a3, a4, "spikes");
        assertArrayEquals(Arrays.copyOf(c3, L), Arrays.copyOf(c4, L), "counts");
        assertEquals(v3[0], v4[0]);
    }

    /**
     * The first and last spike step of each lane of an LIF tile's output over steps {@code [from, to)}, found by a
     * loop, against the kernel's ({@code spikes[L + j]}, {@code spikes[2L + j]}; {@code to} and -1 without a spike).
     */
    @Test
    void sumPassesAddEachSynapseOverItsPassesStepsOnly() {
        int L = SpikeRowKernels.lanes(), chunk = SumPasses.MAX_WIDTH * L, history = 9;
        Random r = new Random(41);
        int neurons = 23, sources = 7, stride = history + chunk + SpikeRowKernels.rowSlack();
        byte[] rows = new byte[(neurons + sources) * stride];
        for (int g = 0; g < neurons + sources; g++) {
            for (int t = 0; t < history + chunk; t++) {
                int u = r.nextInt(4);
                rows[g * stride + t] = (byte) (g < neurons ? (u == 0 ? -1 : 0) : (u == 0 ? r.nextInt(128) : 0));
            }
        }
        int segments = 6, perSegment = 40;
        int[] off = new int[segments * perSegment], w = new int[off.length], pre = new int[off.length];
        for (int s = 0; s < off.length; s++) {
            pre[s] = r.nextInt(neurons + sources);
            off[s] = pre[s] * stride + history - r.nextInt(history + 1);
            w[s] = r.nextInt(1 << 20) - (1 << 19);
        }
        int[] pos = new int[off.length];
        int[] accE = new int[segments * chunk], accI = new int[segments * chunk];
        int[] wantE = new int[accE.length], wantI = new int[accI.length];
        SumPasses passes = new SumPasses();
        for (int round = 0; round < 3; round++) {
            passes.clear();
            Arrays.fill(accE, 0);
            Arrays.fill(accI, 0);
            Arrays.fill(wantE, 0);
            Arrays.fill(wantI, 0);
            for (int seg = 0; seg < segments; seg++) {
                int base = seg * perSegment, receptor = seg % 2, at = seg * chunk;
                int[] want = receptor == 0 ? wantE : wantI;
                // spans of positions, each over its own vectors; some synapses in no span
                for (int k = base; k < base + perSegment; ) {
                    int n = Math.min(1 + r.nextInt(9), base + perSegment - k);
                    for (int q = k; q < k + n; q++) {
                        pos[q] = r.nextInt(perSegment);
                    }
                    int v0 = r.nextInt(SumPasses.MAX_WIDTH), v1 = v0 + 1 + r.nextInt(SumPasses.MAX_WIDTH - v0);
                    if (r.nextInt(5) > 0) {
                        boolean neuronRows = r.nextBoolean();
                        passes.add(neuronRows ? SumPasses.NEURON_ROWS : SumPasses.SOURCE_ROWS, receptor, k, k + n,
                                base, v0, v1, at, L);
                        for (int q = k; q < k + n; q++) {
                            int s = base + pos[q];
                            for (int t = v0 * L; t < v1 * L; t++) {
                                int row = rows[off[s] + t];
                                // only rows of the span's kind are listed in it by the engine; the kernel's
                                // definition holds for either
                                want[at + t] += neuronRows ? w[s] & row : w[s] * row;
                            }
                        }
                    }
                    k += n;
                }
            }
            SpikeRowKernels.sums(rows, off, w, pos, passes, accE, accI);
            assertArrayEquals(wantE, accE, "excitatory sums, round " + round);
            assertArrayEquals(wantI, accI, "inhibitory sums, round " + round);
        }
    }

    @Test
    void listsThatOutgrowTheirRoomKeepEveryPass() {
        int L = SpikeRowKernels.lanes();
        byte[] rows = new byte[4 * L + SpikeRowKernels.rowSlack()];
        Arrays.fill(rows, (byte) -1);
        int passesPerList = 700;
        int[] off = {0}, w = {3}, pos = {0};
        int[] accE = new int[2 * passesPerList * L], accI = new int[accE.length];
        SumPasses passes = new SumPasses();
        for (int k = 0; k < passesPerList; k++) {
            // two lists far past their first room (16 passes), interleaved, and one pass of another list in between
            passes.add(SumPasses.NEURON_ROWS, 0, 0, 1, 0, 0, 1, 2 * k * L, L);
            passes.add(SumPasses.NEURON_ROWS, 1, 0, 1, 0, 1, 2, 2 * k * L, L);
            if (k == 350) {
                passes.add(SumPasses.SOURCE_ROWS, 0, 0, 1, 0, 0, 2, 0, L);
            }
        }
        SpikeRowKernels.sums(rows, off, w, pos, passes, accE, accI);
        for (int k = 0; k < passesPerList; k++) {
            for (int t = 0; t < L; t++) {
                // 3 & -1 from the neuron pass; the one source pass adds 3 * -1 over the first two vectors
                assertEquals(k == 0 ? 0 : 3, accE[2 * k * L + t], "excitatory, pass " + k + " step " + t);
                assertEquals(k == 0 ? -3 : 0, accE[2 * k * L + L + t], "excitatory, pass " + k + " step " + (L + t));
                assertEquals(3, accI[2 * k * L + L + t], "inhibitory, pass " + k + " step " + t);
                assertEquals(0, accI[2 * k * L + t]);
            }
        }
    }

    private static void assertBounds(float[] tile, int from, int to, float[] spikes) {
        int L = SpikeRowKernels.lanes();
        for (int j = 0; j < L; j++) {
            int first = to, last = -1;
            for (int t = from; t < to; t++) {
                if (tile[t * L + j] != 0f) {
                    first = Math.min(first, t);
                    last = t;
                }
            }
            assertEquals(first, spikes[L + j], "first spike of lane " + j);
            assertEquals(last, spikes[2 * L + j], "last spike of lane " + j);
        }
    }

    /** Two tiles of inputs over {@code steps} steps and the membranes of their neurons, drawn from {@code seed}. */
    private static float[][] randomTiles(long seed, int steps) {
        int L = SpikeRowKernels.lanes();
        Random r = new Random(seed);
        float[] a = new float[steps * L], b = new float[steps * L], v = new float[2 * L];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian() * 0.6f;
            b[i] = (float) r.nextGaussian() * 0.6f;
        }
        for (int j = 0; j < v.length; j++) {
            v[j] = r.nextFloat() - 0.3f;
        }
        return new float[][]{a, b, v};
    }

    /** Two runs of two tiles, each {spikes of tile one, of tile two, membranes, counts one, counts two, trace}. */
    private static void assertSameRuns(float[][] one, float[][] two) {
        String[] what = {"spikes of the first tile", "spikes of the second tile", "membranes",
                "counts of the first tile", "counts of the second tile", "membrane traces"};
        for (int k = 0; k < what.length; k++) {
            assertArrayEquals(one[k], two[k], what[k]);
        }
    }
}
