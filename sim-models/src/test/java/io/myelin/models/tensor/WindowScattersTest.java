package io.myelin.models.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event-window kernel against its definition written out with {@code Math.fma}, bit for bit: members with their
 * own shifts and columns a pitch apart, events of several values added in turn (each element's chain in event order),
 * a member count that is not a multiple of four, and values past every window left as they were.
 */
class WindowScattersTest {
    @Test
    void eachEventMultiplyAddsEveryMembersWindowIntoItsColumn() {
        final int C = WindowScatters.chunk(), members = 11, pitch = 40 + C, synapses = 30;
        Random rnd = new Random(12);
        float[] win = new float[synapses * C];
        int[] shift = new int[synapses];
        for (int s = 0; s < synapses; s++) {
            int len = 1 + rnd.nextInt(C);
            for (int k = 0; k < len; k++) {
                win[s * C + k] = (float) rnd.nextGaussian();
            }
            shift[s] = rnd.nextInt(pitch - C - 20);
        }
        float[] col = new float[members * pitch], want = new float[col.length];
        for (int k = 0; k < col.length; k++) {
            col[k] = (float) rnd.nextGaussian();
            want[k] = col[k];
        }
        float[] before = col.clone();
        int s0 = 7;
        for (int e = 0; e < 25; e++) {
            int at = rnd.nextInt(20);
            float v = e % 3 == 0 ? 1f : (float) (rnd.nextDouble() * 3);
            WindowScatters.add(col, at, pitch, win, shift, s0, members, v);
            for (int m = 0; m < members; m++) {
                int c = m * pitch + at + shift[s0 + m];
                for (int k = 0; k < C; k++) {
                    want[c + k] = Math.fma(win[(s0 + m) * C + k], v, want[c + k]);
                }
            }
        }
        int touched = 0;
        for (int k = 0; k < col.length; k++) {
            assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(col[k]), "element " + k);
        }
        for (int k = 0; k < col.length; k++) {
            touched += col[k] != before[k] ? 1 : 0;
        }
        assertTrue(touched > members * 20, "the case tests nothing");
    }
}
