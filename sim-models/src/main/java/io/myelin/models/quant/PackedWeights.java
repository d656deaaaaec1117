package io.myelin.models.quant;

import io.myelin.core.InvalidInputException;

/**
 * Quantized weights as stored: each integer level in {@link BitWidth#storedBits} bits (two's complement, packed
 * little-endian into 64-bit words), plus one float scale per output channel. The model file holds exactly this, so
 * its size is {@code n * storedBits + 32 * channels} bits (plus the word padding).
 */
public record PackedWeights(BitWidth bits, int channels, int perChannel, long[] words, float[] scales) {

    public static PackedWeights pack(BitWidth bits, int channels, int perChannel, int[] levels, float[] scales) {
        if (levels.length != channels * perChannel || scales.length != channels) {
            throw new IllegalArgumentException("levels/scales do not match " + channels + " x " + perChannel);
        }
        int b = bits.storedBits;
        long mask = (1L << b) - 1;
        long[] words = new long[(int) (((long) levels.length * b + 63) / 64)];
        for (int k = 0; k < levels.length; k++) {
            int q = levels[k];
            if (q < -bits.qNeg || q > bits.qPos) {
                throw new InvalidInputException("level " + q + " at " + k + " is outside [" + -bits.qNeg + ", " + bits.qPos
                        + "] for " + bits.nominalBits + "-bit weights");
            }
            long bitPos = (long) k * b;
            int word = (int) (bitPos >>> 6), off = (int) (bitPos & 63);
            words[word] |= (q & mask) << off;
            if (off + b > 64) {
                words[word + 1] |= (q & mask) >>> (64 - off);
            }
        }
        return new PackedWeights(bits, channels, perChannel, words, scales.clone());
    }

    /** The integer levels back. */
    public int[] levels() {
        int b = bits.storedBits;
        long mask = (1L << b) - 1;
        int n = channels * perChannel;
        int[] q = new int[n];
        for (int k = 0; k < n; k++) {
            long bitPos = (long) k * b;
            int word = (int) (bitPos >>> 6), off = (int) (bitPos & 63);
            long v = words[word] >>> off;
            if (off + b > 64) {
                v |= words[word + 1] << (64 - off);
            }
            v &= mask;
            q[k] = (int) ((v << (64 - b)) >> (64 - b));   // sign-extend
        }
        return q;
    }

    /** Stored size in bits: the packed levels plus a float32 scale per channel. */
    public long storedBits() {
        return (long) channels * perChannel * bits.storedBits + 32L * channels;
    }
}
