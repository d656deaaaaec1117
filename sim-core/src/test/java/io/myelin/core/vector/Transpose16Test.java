package io.myelin.core.vector;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The 16 x 16 block transpose against its definition, element by element and bit for bit. */
class Transpose16Test {
    @Test
    void movesEveryElementOfABlockAndNothingElse() {
        Assumptions.assumeTrue(Transpose16.available(), "no 16-lane Vector API here");
        Random r = new Random(3);
        float[] src = new float[3 + 15 * 130 + 16 + 5];
        for (int i = 0; i < src.length; i++) {
            src[i] = r.nextFloat() - 0.5f;
        }
        // A NaN stays a NaN. Its payload is not checked: until the Vector API's operations are compiled (the first
        // calls), JDK 17 runs them in Java, reading lanes through Float.floatToIntBits, which canonicalises it.
        src[3 + 130 + 2] = Float.intBitsToFloat(0x7fc00123);
        src[3 + 2 * 130 + 5] = -0f;
        float[] dst = new float[7 + 15 * 20 + 16 + 5];
        float[] untouched = dst.clone();
        Transpose16.transpose(src, 3, 130, dst, 7, 20);
        for (int row = 0; row < 16; row++) {
            for (int col = 0; col < 16; col++) {
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
        Assumptions.assumeTrue(Transpose16.available(), "no 16-lane Vector API here");
        Random r = new Random(5);
        float[] a = new float[2 + 15 * 17 + 16];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
        }
        float[] before = a.clone();
        Transpose16.transpose(a, 2, 17, a, 2, 17);
        for (int row = 0; row < 16; row++) {
            for (int col = 0; col < 16; col++) {
                assertEquals(before[2 + row * 17 + col], a[2 + col * 17 + row], "element " + row + ", " + col);
            }
        }
    }

    @Test
    void isAvailableExactlyWhereTheVectorApiHasSixteenFloatLanes() {
        boolean sixteen = VectorApi.requested()
                && jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() == 16;
        assertEquals(sixteen, Transpose16.available());
    }
}
