package io.myelin.core.data.hdf5;

/**
 * IEEE 754 binary16 ("half", HDF5/NumPy {@code float16}) conversion. Java 17 has no half type, and SHD stores spike
 * times as float16 seconds, so both the reader (decode) and the writer (encode) need it.
 */
public final class Float16 {
    private static final float[] DECODED = new float[1 << 16];

    static {
        for (int h = 0; h < DECODED.length; h++) {
            DECODED[h] = decodeSlow((short) h);
        }
    }

    private Float16() {
    }

    /** Value of the half-precision bit pattern {@code bits} (table lookup; exact). */
    public static float toFloat(short bits) {
        return DECODED[bits & 0xffff];
    }

    private static float decodeSlow(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24, exact in float
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Nearest half-precision bit pattern to {@code f} (round half to even; overflow gives infinity). */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int full = mant | 0x800000;
            int shift = 14 - e;
            int half = full >>> shift;
            int rem = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct rounding (up to infinity)
        }
        return (short) (sign | half);
    }
}
