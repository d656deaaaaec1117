package io.myelin.nir.io;

import io.myelin.core.InvalidInputException;
import io.myelin.core.MemoryBudget;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0): a magic string, a little header (a Python dict literal
 * with {@code descr}, {@code fortran_order} and {@code shape}) and the raw elements. Reads booleans, signed and
 * unsigned integers of 1 to 8 bytes and floats of 4 or 8 bytes in either byte order, C or Fortran order; writes
 * float32 or float64, little-endian, C order, version 1.0 with the header padded to a multiple of 64 bytes.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static NpyArray read(Path file) {
        try {
            // read whole before it is parsed (the values, as doubles, are checked against the budget after the header)
            MemoryBudget.check(Files.size(file), file.toString());
            return parse(Files.readAllBytes(file), file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidInputException(file + ": file not found");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static NpyArray read(InputStream in, String where) throws IOException {
        return parse(in.readAllBytes(), where);
    }

    /** Parses the bytes of a {@code .npy} file; {@code where} names it in errors. */
    public static NpyArray parse(byte[] bytes, String where) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10) {
            throw new InvalidInputException(where + ": not a .npy file (only " + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new InvalidInputException(where + ": not a .npy file (no NUMPY magic)");
            }
        }
        int major = bytes[6];
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new InvalidInputException(where + ": truncated .npy header");
            }
            headerLen = b.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new InvalidInputException(where + ": unsupported .npy version " + major);
        }
        if (start + headerLen > bytes.length) {
            throw new InvalidInputException(where + ": truncated .npy header");
        }
        String header = new String(bytes, start, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new InvalidInputException(where + ": .npy header lacks a numeric 'descr' or 'shape': "
                    + printable(header.trim()));
        }
        char order = d.group(1).charAt(0);
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        boolean fortran = f.find() && f.group(1).equals("True");
        int[] shape = parseShape(s.group(1), where);
        long count = 1;
        for (int e : shape) {
            if (e < 0) {
                throw new InvalidInputException(where + ": bad .npy shape " + java.util.Arrays.toString(shape)
                        + " (negative dimension)");
            }
            count = MemoryBudget.times(count, e);
            if (count < 0) {
                break;
            }
        }
        if (size < 1 || size > 16) {
            throw new InvalidInputException(where + ": unsupported .npy element size " + size);
        }
        int dataStart = start + (int) headerLen;
        long needed = MemoryBudget.times(count, size);
        if (needed < 0 || needed > bytes.length - dataStart) {
            throw new InvalidInputException(where + ": truncated .npy data: shape " + java.util.Arrays.toString(shape)
                    + " needs " + (needed < 0 ? "more than 8 EiB" : needed + " bytes") + ", the file has "
                    + (bytes.length - dataStart));
        }
        MemoryBudget.check(MemoryBudget.times(count, 8), where + " (" + count + " values)");
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart)
                .order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[(int) count];
        for (int i = 0; i < count; i++) {
            values[i] = element(data, kind, size, where);
        }
        if (fortran && shape.length > 1) {
            values = fortranToC(values, shape);
        }
        return new NpyArray(shape, values, kind == 'f' && size == 4);
    }

    /** Text from a file as one printable line: control and non-ASCII characters become '?', at most 120 of them. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 120; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 120 ? b + "..." : b.toString();
    }

    private static double element(ByteBuffer b, char kind, int size, String where) {
        switch (kind) {
            case 'f':
                if (size == 4) {
                    return b.getFloat();
                }
                if (size == 8) {
                    return b.getDouble();
                }
                break;
            case 'i':
                switch (size) {
                    case 1: return b.get();
                    case 2: return b.getShort();
                    case 4: return b.getInt();
                    case 8: return b.getLong();
                    default: break;
                }
                break;
            case 'u':
                switch (size) {
                    case 1: return b.get() & 0xff;
                    case 2: return b.getShort() & 0xffff;
                    case 4: return b.getInt() & 0xffffffffL;
                    case 8: {
                        long v = b.getLong();
                        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
                    }
                    default: break;
                }
                break;
            case 'b':
                if (size == 1) {
                    return b.get() != 0 ? 1 : 0;
                }
                break;
            default:
                break;
        }
        throw new InvalidInputException(where + ": unsupported .npy element type '" + kind + size
                + "' (numbers only: bool, int, uint, float32, float64)");
    }

    private static int[] parseShape(String body, String where) {
        String t = body.trim();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split(",");
        int n = 0;
        int[] out = new int[parts.length];
        for (String p : parts) {
            String q = p.trim();
            if (q.isEmpty()) {
                continue;
            }
            try {
                out[n++] = Integer.parseInt(q.endsWith("L") ? q.substring(0, q.length() - 1) : q);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(where + ": bad .npy shape (" + printable(body) + ")");
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static double[] fortranToC(double[] f, int[] shape) {
        double[] c = new double[f.length];
        int r = shape.length;
        int[] idx = new int[r];
        for (int k = 0; k < f.length; k++) {
            // k walks C order; compute the Fortran offset of the same index
            long off = 0, stride = 1;
            for (int d = 0; d < r; d++) {
                off += idx[d] * stride;
                stride *= shape[d];
            }
            c[k] = f[(int) off];
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return c;
    }

    /** The bytes of a {@code .npy} file holding {@code a}. */
    public static byte[] bytes(NpyArray a) {
        StringBuilder shape = new StringBuilder("(");
        int[] s = a.shape();
        for (int i = 0; i < s.length; i++) {
            shape.append(s[i]).append(s.length == 1 ? "," : i + 1 < s.length ? ", " : "");
        }
        shape.append(')');
        String dict = "{'descr': '" + (a.single() ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': " + shape
                + ", }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        StringBuilder h = new StringBuilder(dict);
        while (10 + h.length() + 1 < total) {
            h.append(' ');
        }
        h.append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        double[] d = a.data();
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + d.length * (a.single() ? 4 : 8))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        for (double v : d) {
            if (a.single()) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    public static void write(NpyArray a, OutputStream out) throws IOException {
        out.write(bytes(a));
    }

    public static void write(NpyArray a, Path file) throws IOException {
        Files.write(file, bytes(a));
    }
}
