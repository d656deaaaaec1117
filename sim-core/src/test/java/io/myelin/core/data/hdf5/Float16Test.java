package io.myelin.core.data.hdf5;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Float16Test {

    @Test
    void knownBitPatterns() {
        // values from the IEEE 754 binary16 tables
        assertEquals(0x3c00, Float16.fromFloat(1f) & 0xffff);
        assertEquals(0xc000, Float16.fromFloat(-2f) & 0xffff);
        assertEquals(0x2e66, Float16.fromFloat(0.1f) & 0xffff);
        assertEquals(0x7bff, Float16.fromFloat(65504f) & 0xffff);
        assertEquals(0x7c00, Float16.fromFloat(65520f) & 0xffff, "rounds up to infinity");
        assertEquals(0x0001, Float16.fromFloat(0x1p-24f) & 0xffff, "smallest subnormal");
        assertEquals(0x0000, Float16.fromFloat(0x1p-25f) & 0xffff, "tie rounds to even (zero)");
        assertEquals(0x0001, Float16.fromFloat(0x1.8p-25f) & 0xffff, "above the tie rounds up");
        assertEquals(0x0400, Float16.fromFloat(0x1p-14f) & 0xffff, "smallest normal");
        assertEquals(0x3c00, Float16.fromFloat(1f + 0x1p-11f) & 0xffff, "tie to even stays at 1");
        assertEquals(0x3c02, Float16.fromFloat(1f + 3 * 0x1p-11f) & 0xffff, "tie to even rounds up");
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xfc00));
        assertEquals(0.0999755859375f, Float16.toFloat((short) 0x2e66));
        assertEquals(0x1p-24f, Float16.toFloat((short) 1));
    }

    @Test
    void everyNonNanPatternRoundTrips() {
        for (int h = 0; h < 65536; h++) {
            float f = Float16.toFloat((short) h);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals(h, Float16.fromFloat(f) & 0xffff, "pattern " + Integer.toHexString(h));
        }
    }

    @Test
    void roundingIsToNearest() {
        // between consecutive halves a and b, values below the midpoint go to a, above to b
        for (int h = 0x0001; h < 0x7bff; h += 37) {
            float a = Float16.toFloat((short) h);
            float b = Float16.toFloat((short) (h + 1));
            float mid = (float) (((double) a + b) / 2);
            assertEquals(h, Float16.fromFloat(Math.nextDown(mid)) & 0xffff);
            assertEquals(h + 1, Float16.fromFloat(Math.nextUp(mid)) & 0xffff);
        }
    }
}
