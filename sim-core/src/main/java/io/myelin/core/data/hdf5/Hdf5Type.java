package io.myelin.core.data.hdf5;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An HDF5 element type that {@link Hdf5Writer} can write: little-endian integers of 1, 2, 4 or 8 bytes (signed or
 * not), IEEE floats of 2, 4 or 8 bytes, and fixed-length null-padded ASCII strings.
 */
public final class Hdf5Type {
    /** The three HDF5 datatype classes used by spike datasets. */
    public enum Kind { INTEGER, FLOAT, STRING }

    public static final Hdf5Type FLOAT16 = new Hdf5Type(Kind.FLOAT, 2, true);
    public static final Hdf5Type FLOAT32 = new Hdf5Type(Kind.FLOAT, 4, true);
    public static final Hdf5Type FLOAT64 = new Hdf5Type(Kind.FLOAT, 8, true);
    public static final Hdf5Type UINT8 = new Hdf5Type(Kind.INTEGER, 1, false);
    public static final Hdf5Type UINT16 = new Hdf5Type(Kind.INTEGER, 2, false);
    public static final Hdf5Type UINT32 = new Hdf5Type(Kind.INTEGER, 4, false);
    public static final Hdf5Type INT8 = new Hdf5Type(Kind.INTEGER, 1, true);
    public static final Hdf5Type INT16 = new Hdf5Type(Kind.INTEGER, 2, true);
    public static final Hdf5Type INT32 = new Hdf5Type(Kind.INTEGER, 4, true);
    public static final Hdf5Type INT64 = new Hdf5Type(Kind.INTEGER, 8, true);

    private final Kind kind;
    private final int size;
    private final boolean signed;

    private Hdf5Type(Kind kind, int size, boolean signed) {
        this.kind = kind;
        this.size = size;
        this.signed = signed;
    }

    /** Fixed-length ASCII string of {@code lengthBytes} bytes, null-padded (NumPy {@code S<n>}, as h5py writes). */
    public static Hdf5Type fixedString(int lengthBytes) {
        if (lengthBytes < 1) {
            throw new IllegalArgumentException("string length must be >= 1, got " + lengthBytes);
        }
        return new Hdf5Type(Kind.STRING, lengthBytes, false);
    }

    /** Integer type by width in bytes (1, 2, 4, 8) and signedness. */
    public static Hdf5Type integer(int bytes, boolean signed) {
        if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
            throw new IllegalArgumentException("integer width must be 1, 2, 4 or 8 bytes, got " + bytes);
        }
        return new Hdf5Type(Kind.INTEGER, bytes, signed);
    }

    public Kind kind() {
        return kind;
    }

    /** Size of one element in bytes. */
    public int size() {
        return size;
    }

    public boolean signed() {
        return signed;
    }

    /** The datatype message body (HDF5 spec IV.A.2.d), version 1. */
    byte[] datatypeMessage() {
        ByteBuffer b = ByteBuffer.allocate(messageSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (kind) {
            case INTEGER -> {
                b.put((byte) 0x10); // version 1, class 0 fixed-point
                b.put((byte) (signed ? 0x08 : 0x00)).put((byte) 0).put((byte) 0);
                b.putInt(size);
                b.putShort((short) 0).putShort((short) (8 * size));
            }
            case FLOAT -> {
                int expLoc;
                int expSize;
                int mantSize;
                int bias;
                switch (size) {
                    case 2 -> { expLoc = 10; expSize = 5; mantSize = 10; bias = 15; }
                    case 4 -> { expLoc = 23; expSize = 8; mantSize = 23; bias = 127; }
                    default -> { expLoc = 52; expSize = 11; mantSize = 52; bias = 1023; }
                }
                b.put((byte) 0x11); // version 1, class 1 floating-point
                b.put((byte) 0x20); // little endian, mantissa normalisation 2 (implied leading 1)
                b.put((byte) (8 * size - 1)); // sign bit location
                b.put((byte) 0);
                b.putInt(size);
                b.putShort((short) 0).putShort((short) (8 * size));
                b.put((byte) expLoc).put((byte) expSize).put((byte) 0).put((byte) mantSize);
                b.putInt(bias);
            }
            case STRING -> {
                b.put((byte) 0x13); // version 1, class 3 string
                b.put((byte) 0x01); // null pad, ASCII
                b.put((byte) 0).put((byte) 0);
                b.putInt(size);
            }
            default -> throw new IllegalStateException();
        }
        return b.array();
    }

    int messageSize() {
        return switch (kind) {
            case INTEGER -> 12;
            case FLOAT -> 20;
            case STRING -> 8;
        };
    }

    /**
     * Appends {@code value} in this type's encoding (floats rounded to nearest).
     *
     * @throws IllegalArgumentException for an integer type, when {@code value} is not an integer in its range
     */
    void encode(ByteBuffer out, double value) {
        if (kind == Kind.FLOAT) {
            switch (size) {
                case 2 -> out.putShort(Float16.fromFloat((float) value));
                case 4 -> out.putFloat((float) value);
                default -> out.putDouble(value);
            }
        } else if (kind == Kind.INTEGER) {
            long v = (long) value;
            if (v != value || value < minValue() || value > maxValue()) {
                throw new IllegalArgumentException(value + " does not fit " + this);
            }
            switch (size) {
                case 1 -> out.put((byte) v);
                case 2 -> out.putShort((short) v);
                case 4 -> out.putInt((int) v);
                default -> out.putLong(v);
            }
        } else {
            throw new IllegalStateException("strings are encoded by Hdf5Writer.strings");
        }
    }

    private double minValue() {
        return signed ? -Math.pow(2, 8 * size - 1) : 0;
    }

    private double maxValue() {
        return signed ? Math.pow(2, 8 * size - 1) - 1 : Math.pow(2, 8 * size) - 1;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case INTEGER -> (signed ? "int" : "uint") + (8 * size);
            case FLOAT -> "float" + (8 * size);
            case STRING -> "S" + size;
        };
    }
}
