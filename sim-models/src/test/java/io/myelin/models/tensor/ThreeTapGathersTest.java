package io.myelin.models.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The three-tap gathers against their definition written out per tap (even-numbered events in one float chain of
 * rounded products, odd-numbered in another, then their sum), bit for bit: {@link ThreeTapGathers#one} and
 * {@link ThreeTapGathers#four} (the Vector API's 4-float loads where the module is present), with event counts from
 * none to many, odd and even, rows that reach both ends of a column, and values that are not one.
 */
class ThreeTapGathersTest {
    private static final int COLUMN = 300;

    @ParameterizedTest(name = "{0} events")
    @ValueSource(ints = {0, 1, 2, 3, 7, 64, 257})
    void fourSynapsesGiveEachTheChainsOfItsOwnTaps(int events) {
        SplittableRandom rnd = new SplittableRandom(events * 31L + 7);
        float[][] cols = new float[4][COLUMN + ThreeTapGathers.columnSlack()];
        for (float[] c : cols) {
            for (int r = 0; r < COLUMN; r++) {
                c[r] = (float) (rnd.nextDouble(-1, 1) * Math.pow(2, rnd.nextInt(-8, 8)));
            }
            // the slack: read by the vector loads and never used, so a NaN there must show in no sum
            Arrays.fill(c, COLUMN, c.length, Float.NaN);
        }
        int[] row = new int[events];
        float[] val = new float[events];
        for (int q = 0; q < events; q++) {
            row[q] = rnd.nextInt(0, COLUMN - 30);
            val[q] = rnd.nextInt(4) == 0 ? 2f : rnd.nextInt(3) == 0 ? 0.37f : 1f;
        }
        Arrays.sort(row);
        // shifts: the smallest reads row 0 at tap 2, the largest the last row at tap 0
        int[] shift = {2, 29, 13, 2 + rnd.nextInt(27)};
        if (events > 0) {
            row[0] = 0;
            row[events - 1] = COLUMN - 30;
        }
        float[] want = new float[12], one = new float[12], four = new float[12];
        for (int k = 0; k < 4; k++) {
            float[] c = cols[k];
            for (int j = 0; j < 3; j++) {
                float even = 0f, odd = 0f;
                for (int q = 0; q < events; q++) {
                    float term = val[q] * c[row[q] + shift[k] - j];
                    if (q % 2 == 0) {
                        even += term;
                    } else {
                        odd += term;
                    }
                }
                want[3 * k + j] = even + odd;
            }
            ThreeTapGathers.one(c, 0, events, row, val, shift[k], one, 3 * k);
        }
        ThreeTapGathers.four(cols[0], cols[1], cols[2], cols[3], 0, events, row, val, shift[0], shift[1], shift[2],
                shift[3], four, 0, 3, 6, 9);
        assertArrayEquals(want, one);
        assertArrayEquals(want, four);
    }

    @Test
    void anEventRangeInsideTheListSumsOnlyThoseEvents() {
        float[] c = new float[40 + ThreeTapGathers.columnSlack()];
        for (int r = 0; r < 40; r++) {
            c[r] = r + 1;
        }
        int[] row = {0, 5, 10, 20};
        float[] val = {1f, 2f, 3f, 4f};
        float[] d = new float[12];
        // events 1 and 2 (rows 5 and 10, values 2 and 3), shift 4: tap j reads row + 4 - j, whose value is row + 5 - j
        ThreeTapGathers.four(c, c, c, c, 1, 3, row, val, 4, 4, 4, 4, d, 0, 3, 6, 9);
        for (int k = 0; k < 4; k++) {
            assertEquals(2f * 10 + 3f * 15, d[3 * k]);
            assertEquals(2f * 9 + 3f * 14, d[3 * k + 1]);
            assertEquals(2f * 8 + 3f * 13, d[3 * k + 2]);
        }
    }
}
