package io.myelin.core.data.hdf5;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small HDF5 writer for exactly what spike datasets and NIR graphs need: nested groups, contiguous datasets of
 * integers, floats (including float16) and fixed-length strings, one-dimensional variable-length sequences (stored
 * in global heap collections, as h5py stores {@code vlen} arrays), and scalar or n-dimensional numeric and
 * variable-length UTF-8 string datasets (h5py's {@code string_dtype()}, what the NIR library writes).
 *
 * <p>jHDF 0.9.4, which Myelin uses to read, cannot write variable-length or float16 data, hence this class. The
 * file uses the HDF5 1.8 structures (format spec 3.0): a version-2 superblock, version-2 object headers with
 * Jenkins lookup3 checksums, compact link storage for groups, contiguous data layout and global heap collections
 * of at least 4 KiB (as the HDF5 library makes them). Files are read back by h5py/libhdf5 and by jHDF.
 *
 * <p>Everything is held in memory until {@link #write(Path)}, which suits test fixtures and the small synthetic
 * and subset files Myelin writes (tens of MB).
 */
public final class Hdf5Writer {
    private static final long UNDEFINED = -1L;
    private static final int OFFSET = 8;
    private static final int SUPERBLOCK_SIZE = 48;
    private static final int VLEN_ELEMENT_SIZE = 4 + OFFSET + 4;
    private static final int HEAP_MIN_SIZE = 4096;
    private static final int HEAP_TARGET_SIZE = 1 << 20;
    private static final int HEAP_MAX_OBJECTS = 65535;

    private final Group root = new Group("");

    /** Creates the group at {@code path} (e.g. {@code "/extra/meta_info"}) and any missing parents. */
    public Hdf5Writer group(String path) {
        groupAt(path, true);
        return this;
    }

    /** Adds a one-dimensional integer or float dataset; values are converted to {@code type}. */
    public Hdf5Writer dataset(String path, Hdf5Type type, double[] values) {
        if (type.kind() == Hdf5Type.Kind.STRING) {
            throw new IllegalArgumentException("use strings() for string datasets");
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * type.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            type.encode(raw, v);
        }
        add(path, new Dataset(leaf(path), type, false, values.length, raw.array(), null));
        return this;
    }

    /** Adds a one-dimensional integer dataset. */
    public Hdf5Writer dataset(String path, Hdf5Type type, long[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return dataset(path, type, d);
    }

    /**
     * Adds a scalar ({@code shape} empty) or n-dimensional integer or float dataset; {@code values} holds the
     * elements in row-major order, converted to {@code type}.
     */
    public Hdf5Writer dataset(String path, Hdf5Type type, long[] shape, double[] values) {
        if (type.kind() == Hdf5Type.Kind.STRING) {
            throw new IllegalArgumentException("use strings() for string datasets");
        }
        checkCount(path, shape, values.length);
        ByteBuffer raw = ByteBuffer.allocate(values.length * type.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            type.encode(raw, v);
        }
        add(path, new Dataset(leaf(path), type, false, values.length, raw.array(), null).shaped(shape));
        return this;
    }

    /** Adds a scalar variable-length UTF-8 string (h5py {@code string_dtype()}). */
    public Hdf5Writer string(String path, String value) {
        return vlenStrings(path, new long[0], new String[] {value});
    }

    /**
     * Adds a scalar or n-dimensional dataset of variable-length UTF-8 strings (h5py {@code string_dtype()}),
     * {@code values} in row-major order.
     */
    public Hdf5Writer vlenStrings(String path, long[] shape, String[] values) {
        checkCount(path, shape, values.length);
        List<byte[]> objects = new ArrayList<>(values.length);
        for (String v : values) {
            objects.add(v.getBytes(StandardCharsets.UTF_8));
        }
        Dataset d = new Dataset(leaf(path), Hdf5Type.UINT8, true, values.length, null, objects).shaped(shape);
        d.utf8 = true;
        add(path, d);
        return this;
    }

    private static void checkCount(String path, long[] shape, int count) {
        long n = 1;
        for (long e : shape) {
            if (e < 0) {
                throw new IllegalArgumentException(path + ": negative dimension in " + java.util.Arrays.toString(shape));
            }
            n *= e;
        }
        if (n != count) {
            throw new IllegalArgumentException(path + ": shape " + java.util.Arrays.toString(shape) + " holds " + n
                    + " elements, got " + count);
        }
    }

    /**
     * Adds fixed-length, null-padded byte strings (NumPy {@code S<n>}, n = the longest value in UTF-8 bytes, at
     * least 1); like h5py, the type is tagged ASCII and non-ASCII names are stored as their UTF-8 bytes.
     */
    public Hdf5Writer strings(String path, String[] values) {
        int len = 1;
        byte[][] enc = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            enc[i] = values[i].getBytes(StandardCharsets.UTF_8);
            len = Math.max(len, enc[i].length);
        }
        byte[] raw = new byte[values.length * len];
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(enc[i], 0, raw, i * len, enc[i].length);
        }
        add(path, new Dataset(leaf(path), Hdf5Type.fixedString(len), false, values.length, raw, null));
        return this;
    }

    /**
     * Adds a one-dimensional dataset of variable-length sequences of {@code base} elements (h5py
     * {@code vlen_dtype(base)}); element i holds {@code sequences.get(i)} converted to {@code base}.
     */
    public Hdf5Writer vlen(String path, Hdf5Type base, List<double[]> sequences) {
        if (base.kind() == Hdf5Type.Kind.STRING) {
            throw new IllegalArgumentException("vlen strings are not supported");
        }
        List<byte[]> objects = new ArrayList<>(sequences.size());
        for (double[] seq : sequences) {
            ByteBuffer b = ByteBuffer.allocate(seq.length * base.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : seq) {
                base.encode(b, v);
            }
            objects.add(b.array());
        }
        add(path, new Dataset(leaf(path), base, true, sequences.size(), null, objects));
        return this;
    }

    /** Writes the file, replacing any existing file at {@code file}. */
    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        }
    }

    /** Writes the file's bytes to {@code out} (left open). */
    public void write(OutputStream out) throws IOException {
        Layout layout = new Layout();
        layout.plan();
        OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        layout.emit(buffered);
        buffered.flush();
    }

    // ---------------------------------------------------------------- tree

    private abstract static class Node {
        final String name;
        long address;

        Node(String name) {
            this.name = name;
        }
    }

    private static final class Group extends Node {
        final Map<String, Node> children = new LinkedHashMap<>();

        Group(String name) {
            super(name);
        }
    }

    private static final class Dataset extends Node {
        final Hdf5Type type;
        final boolean vlen;
        final int count;
        final byte[] raw;
        final List<byte[]> objects;
        long dataAddress;
        long dataSize;
        /** Per element: collection index; and per collection: address, object count. */
        int[] elementCollection;
        int[] elementIndex;
        final List<long[]> collections = new ArrayList<>();
        /** Dimensions; null for the one-dimensional {@code [count]}, empty for a scalar. */
        long[] shape;
        /** Variable-length UTF-8 strings (the sequences are their bytes). */
        boolean utf8;

        Dataset(String name, Hdf5Type type, boolean vlen, int count, byte[] raw, List<byte[]> objects) {
            super(name);
            this.type = type;
            this.vlen = vlen;
            this.count = count;
            this.raw = raw;
            this.objects = objects;
        }

        Dataset shaped(long[] dims) {
            this.shape = dims.clone();
            return this;
        }
    }

    private static String leaf(String path) {
        String p = strip(path);
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    private static String strip(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty() || p.endsWith("/")) {
            throw new IllegalArgumentException("bad HDF5 path: '" + path + "'");
        }
        return p;
    }

    private void add(String path, Dataset ds) {
        String p = strip(path);
        int slash = p.lastIndexOf('/');
        Group parent = slash < 0 ? root : groupAt(p.substring(0, slash), true);
        if (parent.children.containsKey(ds.name)) {
            throw new IllegalArgumentException("HDF5 path already exists: " + path);
        }
        if (ds.name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("HDF5 name longer than 255 bytes: " + ds.name);
        }
        parent.children.put(ds.name, ds);
    }

    private Group groupAt(String path, boolean create) {
        Group g = root;
        for (String part : strip(path).split("/")) {
            Node n = g.children.get(part);
            if (n == null) {
                Group child = new Group(part);
                g.children.put(part, child);
                n = child;
            } else if (!(n instanceof Group)) {
                throw new IllegalArgumentException("'" + part + "' in " + path + " is a dataset, not a group");
            }
            g = (Group) n;
        }
        return g;
    }

    // ---------------------------------------------------------------- file layout

    private final class Layout {
        final List<Node> headerOrder = new ArrayList<>();
        final List<Dataset> dataOrder = new ArrayList<>();
        long endOfFile;

        void plan() {
            collect(root);
            long addr = SUPERBLOCK_SIZE;
            for (Node n : headerOrder) {
                n.address = addr;
                addr += objectHeader(n).length; // addresses are fixed-width, so sizes do not depend on them
            }
            for (Dataset d : dataOrder) {
                if (!d.vlen) {
                    d.dataSize = d.raw.length;
                    d.dataAddress = d.count == 0 ? UNDEFINED : addr;
                    addr += d.raw.length;
                } else {
                    d.dataSize = (long) d.count * VLEN_ELEMENT_SIZE;
                    d.dataAddress = d.count == 0 ? UNDEFINED : addr;
                    addr += d.dataSize;
                    addr = planHeaps(d, addr);
                }
            }
            endOfFile = addr;
        }

        private void collect(Node n) {
            headerOrder.add(n);
            if (n instanceof Group g) {
                for (Node c : g.children.values()) {
                    collect(c);
                }
            } else {
                dataOrder.add((Dataset) n);
            }
        }

        /** Packs the non-empty sequences into collections of about 1 MiB (at most 65535 objects each). */
        private long planHeaps(Dataset d, long addr) {
            d.elementCollection = new int[d.count];
            d.elementIndex = new int[d.count];
            long content = 16;
            int objectsInCollection = 0;
            int collection = -1;
            for (int i = 0; i < d.count; i++) {
                byte[] obj = d.objects.get(i);
                if (obj.length == 0) {
                    d.elementCollection[i] = -1;
                    continue;
                }
                long need = 16 + pad8(obj.length);
                if (collection < 0 || objectsInCollection == HEAP_MAX_OBJECTS
                        || (content + need > HEAP_TARGET_SIZE && objectsInCollection > 0)) {
                    if (collection >= 0) {
                        addr = closeCollection(d, collection, content, addr);
                    }
                    d.collections.add(new long[] {addr, 0, 0});
                    collection = d.collections.size() - 1;
                    content = 16;
                    objectsInCollection = 0;
                }
                objectsInCollection++;
                content += need;
                d.elementCollection[i] = collection;
                d.elementIndex[i] = objectsInCollection;
            }
            if (collection >= 0) {
                addr = closeCollection(d, collection, content, addr);
            }
            return addr;
        }

        private long closeCollection(Dataset d, int collection, long content, long addr) {
            long size = Math.max(HEAP_MIN_SIZE, content);
            long[] c = d.collections.get(collection);
            c[1] = size;
            c[2] = content;
            return c[0] + size;
        }

        void emit(OutputStream out) throws IOException {
            out.write(superblock());
            for (Node n : headerOrder) {
                out.write(objectHeader(n));
            }
            for (Dataset d : dataOrder) {
                if (!d.vlen) {
                    out.write(d.raw);
                    continue;
                }
                ByteBuffer b = ByteBuffer.allocate((int) d.dataSize).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < d.count; i++) {
                    int c = d.elementCollection[i];
                    b.putInt(d.objects.get(i).length / d.type.size());
                    b.putLong(c < 0 ? 0L : d.collections.get(c)[0]);
                    b.putInt(c < 0 ? 0 : d.elementIndex[i]);
                }
                out.write(b.array());
                emitHeaps(d, out);
            }
        }

        private void emitHeaps(Dataset d, OutputStream out) throws IOException {
            int i = 0;
            for (int collection = 0; collection < d.collections.size(); collection++) {
                long[] c = d.collections.get(collection);
                ByteBuffer b = ByteBuffer.allocate((int) c[1]).order(ByteOrder.LITTLE_ENDIAN);
                b.put("GCOL".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put(new byte[3]).putLong(c[1]);
                for (; i < d.count; i++) {
                    if (d.elementCollection[i] < 0) {
                        continue;
                    }
                    if (d.elementCollection[i] != collection) {
                        break;
                    }
                    byte[] obj = d.objects.get(i);
                    b.putShort((short) d.elementIndex[i]).putShort((short) 1).putInt(0).putLong(obj.length);
                    b.put(obj);
                    b.position(b.position() + (int) (pad8(obj.length) - obj.length));
                }
                long free = c[1] - c[2];
                if (free >= 16) {
                    // free-space object: index 0, size counts its own 16-byte header (libhdf5 convention)
                    b.putShort((short) 0).putShort((short) 0).putInt(0).putLong(free);
                }
                out.write(b.array());
            }
        }

        private byte[] superblock() {
            ByteBuffer b = ByteBuffer.allocate(SUPERBLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.put(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
            b.put((byte) 2).put((byte) OFFSET).put((byte) OFFSET).put((byte) 0);
            b.putLong(0L).putLong(UNDEFINED).putLong(endOfFile).putLong(root.address);
            b.putInt(Lookup3.hash(b.array(), 0, SUPERBLOCK_SIZE - 4, 0));
            return b.array();
        }
    }

    private static long pad8(long n) {
        return (n + 7) & ~7L;
    }

    // ---------------------------------------------------------------- object headers

    private static byte[] objectHeader(Node n) {
        List<byte[]> messages = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        if (n instanceof Group g) {
            ByteBuffer linkInfo = le(18).put((byte) 0).put((byte) 0).putLong(UNDEFINED).putLong(UNDEFINED);
            types.add(0x02);
            messages.add(linkInfo.array());
            types.add(0x0A);
            messages.add(new byte[] {0, 0});
            for (Node c : g.children.values()) {
                byte[] name = c.name.getBytes(StandardCharsets.UTF_8);
                // version 1, flags 0: hard link, 1-byte name length, ASCII name
                ByteBuffer link = le(3 + name.length + OFFSET);
                link.put((byte) 1).put((byte) 0).put((byte) name.length).put(name).putLong(c.address);
                types.add(0x06);
                messages.add(link.array());
            }
        } else {
            Dataset d = (Dataset) n;
            types.add(0x01);
            long[] dims = d.shape == null ? new long[] {d.count} : d.shape;
            // dataspace version 2: rank, no max dims, type 0 = scalar / 1 = simple
            ByteBuffer space = le(4 + 8 * dims.length).put((byte) 2).put((byte) dims.length).put((byte) 0)
                    .put((byte) (dims.length == 0 ? 0 : 1));
            for (long e : dims) {
                space.putLong(e);
            }
            messages.add(space.array());
            types.add(0x03);
            messages.add(d.utf8 ? vlenStringDatatype() : d.vlen ? vlenDatatype(d.type) : d.type.datatypeMessage());
            types.add(0x05);
            messages.add(new byte[] {3, 0x0A});
            types.add(0x08);
            messages.add(le(18).put((byte) 3).put((byte) 1).putLong(d.dataAddress).putLong(d.dataSize).array());
        }
        int chunk = 0;
        for (byte[] m : messages) {
            chunk += 4 + m.length;
        }
        ByteBuffer b = le(10 + chunk + 4);
        b.put("OHDR".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0x02).putInt(chunk);
        for (int i = 0; i < messages.size(); i++) {
            byte[] m = messages.get(i);
            b.put((byte) (int) types.get(i)).putShort((short) m.length).put((byte) (types.get(i) == 0x03 ? 1 : 0));
            b.put(m);
        }
        b.putInt(Lookup3.hash(b.array(), 0, 10 + chunk, 0));
        return b.array();
    }

    private static byte[] vlenDatatype(Hdf5Type base) {
        byte[] parent = base.datatypeMessage();
        ByteBuffer b = le(8 + parent.length);
        b.put((byte) 0x19).put((byte) 0).put((byte) 0).put((byte) 0); // version 1, class 9, type 0 = sequence
        b.putInt(VLEN_ELEMENT_SIZE);
        b.put(parent);
        return b.array();
    }

    /** Variable-length string, null-terminated, UTF-8, over unsigned bytes (as libhdf5 writes h5py's str). */
    private static byte[] vlenStringDatatype() {
        byte[] parent = Hdf5Type.UINT8.datatypeMessage();
        ByteBuffer b = le(8 + parent.length);
        b.put((byte) 0x19).put((byte) 0x01).put((byte) 0x01).put((byte) 0); // class 9, type 1 = string, UTF-8
        b.putInt(VLEN_ELEMENT_SIZE);
        b.put(parent);
        return b.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

}
