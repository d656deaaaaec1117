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
        src[3 + 130 + 2] = Float.intBitsToFloat(0x7fc00123);   // a NaN's payload moves as it is
        src[3 + 2 * 130 + 5] = -0f;
        float[] dst = new float[7 + 15 * 20 + 16 + 5];
        float[] untouched = dst.clone();
        Transpose16.transpose(src, 3, 130, dst, 7, 20);
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
    void isAvailableExactlyWhereTheVectorApiHasSixteenFloatLanes() {
        boolean sixteen = VectorApi.requested()
                && jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() == 16;
        assertEquals(sixteen, Transpose16.available());
    }
}
