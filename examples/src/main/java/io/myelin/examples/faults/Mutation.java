package io.myelin.examples.faults;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A file changed the ways files break or are made to break: cut short, bytes flipped, a size or count field replaced by
 * a huge number, a value of the wrong type. The byte-level kinds work on any file; wrong types are written by
 * {@link WrongTypes}, which knows the layouts.
 *
 * @param kind   {@code truncated}, {@code flipped-bytes}, {@code huge-number}, {@code wrong-type}
 * @param detail what exactly changed, to reproduce it
 * @param bytes  the changed file
 */
public record Mutation(String kind, String detail, byte[] bytes) {
    public static final String TRUNCATED = "truncated";
    public static final String FLIPPED = "flipped-bytes";
    public static final String HUGE = "huge-number";
    public static final String WRONG_TYPE = "wrong-type";

    /** The file cut at a random length: often in its header, sometimes near its end. */
    public static Mutation truncated(byte[] b, SplittableRandom r) {
        int at = r.nextInt(4) == 0 ? r.nextInt(Math.min(b.length, 512)) : r.nextInt(Math.max(1, b.length));
        return new Mutation(TRUNCATED, "cut to " + at + " of " + b.length + " bytes", Arrays.copyOf(b, at));
    }

    /** One to eight bytes XORed with random non-zero values. */
    public static Mutation flipped(byte[] b, SplittableRandom r) {
        byte[] c = b.clone();
        int n = 1 + r.nextInt(8);
        StringBuilder d = new StringBuilder();
        boolean header = r.nextBoolean();
        for (int k = 0; k < n && c.length > 0; k++) {
            int at = header ? r.nextInt(Math.min(c.length, 2048)) : r.nextInt(c.length);
            int x = 1 + r.nextInt(255);
            c[at] ^= (byte) x;
            d.append(k == 0 ? "" : ",").append(at).append('^').append(x);
        }
        return new Mutation(FLIPPED, "bytes " + d, c);
    }

    /**
     * A 2-, 4- or 8-byte field holding a small positive number (a dimension, a length, a count, a size: what readers
     * allocate by) replaced by a huge one, in either byte order.
     */
    public static Mutation hugeNumber(byte[] b, SplittableRandom r) {
        int width = switch (r.nextInt(3)) {
            case 0 -> 2;
            case 1 -> 4;
            default -> 8;
        };
        ByteOrder order = r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer buf = ByteBuffer.wrap(b).order(order);
        List<Integer> candidates = new ArrayList<>();
        for (int at = 0; at + width <= b.length; at += width) {
            long v = width == 2 ? buf.getShort(at) & 0xffff : width == 4 ? buf.getInt(at) & 0xffffffffL : buf.getLong(at);
            if (v >= 1 && v <= 1_000_000) {
                candidates.add(at);
            }
        }
        byte[] c = b.clone();
        if (candidates.isEmpty()) {
            return new Mutation(HUGE, "no small number to replace", c);
        }
        int at = candidates.get(r.nextInt(candidates.size()));
        long huge = switch (width) {
            case 2 -> 0xffff;
            case 4 -> r.nextBoolean() ? 0x7fffffffL : 0xfffffff0L;
            default -> r.nextBoolean() ? 1L << 40 : Long.MAX_VALUE - r.nextInt(16);
        };
        ByteBuffer out = ByteBuffer.wrap(c).order(order);
        switch (width) {
            case 2 -> out.putShort(at, (short) huge);
            case 4 -> out.putInt(at, (int) huge);
            default -> out.putLong(at, huge);
        }
        return new Mutation(HUGE, width + "-byte " + (order == ByteOrder.LITTLE_ENDIAN ? "LE" : "BE") + " at " + at
                + " := " + Long.toUnsignedString(huge), c);
    }
}
