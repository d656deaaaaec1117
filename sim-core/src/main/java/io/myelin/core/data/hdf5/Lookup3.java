package io.myelin.core.data.hdf5;

/**
 * Bob Jenkins' lookup3 {@code hashlittle}, the checksum HDF5 puts on version-2 superblocks and object headers.
 */
public final class Lookup3 {
    private Lookup3() {
    }

    /** Checksum of {@code length} bytes of {@code data} from {@code offset}, with start value {@code initval}. */
    public static int hash(byte[] data, int offset, int length, int initval) {
        int a = 0xdeadbeef + length + initval;
        int b = a;
        int c = a;
        int k = offset;
        int remaining = length;
        while (remaining > 12) {
            a += word(data, k);
            b += word(data, k + 4);
            c += word(data, k + 8);
            // mix
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            remaining -= 12;
            k += 12;
        }
        if (remaining == 0) {
            return c;
        }
        // the tail: bytes beyond 'remaining' count as zero
        a += tailWord(data, k, remaining, 0);
        b += tailWord(data, k, remaining, 4);
        c += tailWord(data, k, remaining, 8);
        // final
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    private static int word(byte[] d, int i) {
        return (d[i] & 0xff) | (d[i + 1] & 0xff) << 8 | (d[i + 2] & 0xff) << 16 | (d[i + 3] & 0xff) << 24;
    }

    private static int tailWord(byte[] d, int base, int remaining, int from) {
        int w = 0;
        for (int j = 0; j < 4; j++) {
            int idx = from + j;
            if (idx < remaining) {
                w |= (d[base + idx] & 0xff) << (8 * j);
            }
        }
        return w;
    }
}
