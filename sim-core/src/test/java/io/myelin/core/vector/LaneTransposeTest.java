package io.myelin.core.vector;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The block transpose against its definition, element by element and bit for bit, at the JVM's lanes: the build runs
 * sim-core's tests at 16 (AVX-512 hosts), 8 and 4 lanes, so both the 16 x 16 and the 8 x 8 kernels are checked.
 */
class LaneTransposeTest {
    @Test
    void movesEveryElementOfABlockAndNothingElse() {
        Assumptions.assumeTrue(LaneTranspose.available(), "no 8- or 16-lane Vector API here");
        int n = LaneTranspose.lanes();
        Random r = new Random(3);
        float[] src = new float[3 + (n - 1) * 130 + n + 5];
        for (int i = 0; i < src.length; i++) {
            src[i] = r.nextFloat() - 0.5f;
        }
        // A NaN stays a NaN. Its payload is not checked: until the Vector API's operations are compiled (the first
        // calls), JDK 17 runs them in Java, reading lanes through Float.floatToIntBits, which canonicalises it.
        src[3 + 130 + 2] = Float.intBitsToFloat(0x7fc00123);
        src[3 + 2 * 130 + 5] = -0f;
        float[] dst = new float[7 + (n - 1) * 20 + n + 5];
        float[] untouched = dst.clone();
        LaneTranspose.transpose(src, 3, 130, dst, 7, 20);
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                assertEquals(Float.floatToIntBits(src[3 + row * 130 + col]),
                        Float.floatToIntBits(dst[7 + col * 20 + row]), "element " + row + ", " + col);
                untouched[7 + col * 20 + row] = dst[7 + col * 20 + row];
            }
        }
        assertArrayEquals(untouched, dst, "nothing outside the block is written");
    }

    /** A block transposed onto itself (the same offset and stride), as the contract allows. */
    @Test
    void transposesABlockInPlace() {
        Assumptions.assumeTrue(LaneTranspose.available(), "no 8- or 16-lane Vector API here");
        int n = LaneTranspose.lanes();
        Random r = new Random(5);
        float[] a = new float[2 + (n - 1) * 17 + n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
        }
        float[] before = a.clone();
        LaneTranspose.transpose(a, 2, 17, a, 2, 17);
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                assertEquals(before[2 + row * 17 + col], a[2 + col * 17 + row], "element " + row + ", " + col);
            }
        }
    }

    /** Blocks whose rows are one vector apart, as the LIF tiles lay them out, stay exact after many calls (compiled). */
    @Test
    void compiledTransposesOfTileBlocksFollowTheDefinition() {
        Assumptions.assumeTrue(LaneTranspose.available(), "no 8- or 16-lane Vector API here");
        int n = LaneTranspose.lanes();
        Random r = new Random(11);
        float[] src = new float[n * n * 4];
        float[] dst = new float[src.length];
        for (int round = 0; round < 20_000; round++) {
            int block = round % 4;
            for (int k = 0; k < n * n; k++) {
                src[block * n * n + k] = r.nextInt(1000) - 500;
            }
            LaneTranspose.transpose(src, block * n * n, n, dst, block * n * n, n);
            if (round % 997 == 0 || round >= 19_996) {
                for (int row = 0; row < n; row++) {
                    for (int col = 0; col < n; col++) {
                        assertEquals(src[block * n * n + row * n + col], dst[block * n * n + col * n + row],
                                "round " + round + ", element " + row + ", " + col);
                    }
                }
            }
        }
    }

    @Test
    void isAvailableExactlyWhereTheVectorApiHasEightOrSixteenFloatLanes() {
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        assertEquals(VectorApi.requested() && (lanes == 8 || lanes == 16), LaneTranspose.available());
        if (LaneTranspose.available()) {
            assertEquals(lanes, LaneTranspose.lanes());
        }
    }
}
