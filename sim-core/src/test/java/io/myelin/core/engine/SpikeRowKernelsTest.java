package io.myelin.core.engine;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The layered execution's data-movement kernels against their definitions, element by element. */
class SpikeRowKernelsTest {
    @Test
    void transposeMovesEveryElementOfABlock() {
        Assumptions.assumeTrue(SpikeRowKernels.transposes(), "no 16-lane Vector API here");
        Random r = new Random(3);
        float[] src = new float[3 + 15 * 130 + 16 + 5];
        for (int i = 0; i < src.length; i++) {
            src[i] = r.nextFloat() - 0.5f;
        }
        float[] dst = new float[7 + 15 * 20 + 16 + 5];
        float[] untouched = dst.clone();
        SpikeRowKernels.transpose16(src, 3, 130, dst, 7, 20);
        for (int row = 0; row < 16; row++) {
            for (int col = 0; col < 16; col++) {
                assertEquals(Float.floatToRawIntBits(src[3 + row * 130 + col]),
                        Float.floatToRawIntBits(dst[7 + col * 20 + row]), "element " + row + ", " + col);
                untouched[7 + col * 20 + row] = dst[7 + col * 20 + row];
            }
        }
        assertArrayEquals(untouched, dst, "nothing outside the block is written");
    }

    @Test
    void spikeRowsAndArrivalFlagsFollowTheirDefinitions() {
        int n = 2 * SpikeRowKernels.lanes();
        Random r = new Random(5);
        int[] any = new int[n + 3];
        float[] spikes = new float[n + 3];
        for (int t = 0; t < any.length; t++) {
            any[t] = r.nextInt(3) == 0 ? 0 : r.nextInt() | 1;
            spikes[t] = r.nextBoolean() ? 1f : 0f;
        }
        any[3] = Integer.MIN_VALUE;   // -0f as a float: still an arrival
        float[] flags = new float[n + 1];
        SpikeRowKernels.flags(any, 3, flags, 1, n);
        for (int t = 0; t < n; t++) {
            assertEquals(any[3 + t] != 0 ? 1f : 0f, flags[1 + t], "flag " + t);
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
}
