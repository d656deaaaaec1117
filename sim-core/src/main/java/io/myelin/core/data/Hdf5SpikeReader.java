package io.myelin.core.data;

import io.jhdf.GlobalHeap;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.exceptions.HdfInvalidPathException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import io.jhdf.object.datatype.VariableLength;
import io.jhdf.storage.HdfBackingStorage;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.hdf5.Float16;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads and validates one SHD-layout file into a {@link Hdf5SpikeDataset}. */
final class Hdf5SpikeReader {
    private static final System.Logger LOG = System.getLogger(Hdf5SpikeReader.class.getName());
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private final Path file;
    private final int channels;
    private final String where;
    private final List<String> warnings = new ArrayList<>();
    /** Addresses of the global-heap collections seen (for the format report). */
    private final Set<Long> heapAddresses = new HashSet<>();

    /** The samples read: {@code [from, to)}; {@code to < 0}: to the end of the file. */
    private int from;
    private int to = -1;

    Hdf5SpikeReader(Path file, int channels) {
        this.file = file;
        this.channels = channels;
        this.where = file.toString();
        if (channels < 1 || channels > 65536) {
            throw new IllegalArgumentException("channel count must be in [1, 65536], got " + channels);
        }
    }

    /** Reads only samples {@code [from, to)}: the spike data of the others is never touched. */
    Hdf5SpikeReader range(int from, int to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("sample range [" + from + ", " + to + ") is invalid");
        }
        this.from = from;
        this.to = to;
        return this;
    }

    /** The number of samples the file holds (its label count; nothing else is read). */
    int samples() {
        checkFile();
        try (HdfFile h5 = new HdfFile(file)) {
            return length(required(h5, "/labels"), "/labels");
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw fail("cannot read the HDF5 structure (corrupt or truncated file?): " + message(e), e);
        }
    }

    Hdf5SpikeDataset read() {
        long fileBytes = checkFile();
        HdfFile h5;
        try {
            h5 = new HdfFile(file);
        } catch (RuntimeException e) {
            throw fail("cannot read the HDF5 structure (corrupt or truncated file?): " + message(e), e);
        }
        try (h5) {
            long declared = h5.getHdfBackingStorage().getSuperblock().getEndOfFileAddress() + h5.getUserBlockSize();
            if (fileBytes < declared) {
                throw fail("truncated file: it has " + fileBytes + " bytes but its HDF5 superblock declares "
                        + declared);
            }
            return readDatasets(h5, fileBytes);
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw fail("cannot read the HDF5 data (corrupt file?): " + message(e), e);
        }
    }

    private Hdf5SpikeDataset readDatasets(HdfFile h5, long fileBytes) {
        Dataset times = required(h5, "/spikes/times");
        Dataset units = required(h5, "/spikes/units");
        Dataset labels = required(h5, "/labels");
        Dataset speaker = optional(h5, "/extra/speaker");
        Dataset keys = optional(h5, "/extra/keys");

        int n = length(times, "/spikes/times");
        int nUnits = length(units, "/spikes/units");
        int nLabels = length(labels, "/labels");
        if (n != nUnits || n != nLabels) {
            throw fail("sample counts differ: /spikes/times has " + n + ", /spikes/units " + nUnits + ", /labels "
                    + nLabels);
        }
        if (speaker != null && length(speaker, "/extra/speaker") != n) {
            throw fail("sample counts differ: /extra/speaker has " + length(speaker, "/extra/speaker")
                    + " entries but /labels has " + n);
        }

        HdfBackingStorage storage = h5.getHdfBackingStorage();
        VlenColumn t = new VlenColumn(times, "/spikes/times", storage);
        VlenColumn u = new VlenColumn(units, "/spikes/units", storage);
        if (!(t.base instanceof FloatingPoint)) {
            throw fail("/spikes/times must hold floating-point seconds, found " + describe(t.base));
        }
        if (!(u.base instanceof FixedPoint)) {
            throw fail("/spikes/units must hold integers, found " + describe(u.base));
        }
        int first = Math.min(from, n), end = to < 0 ? n : Math.min(to, n), m = end - first;
        int[] offsets = new int[m + 1];
        for (int k = 0; k < m; k++) {
            int i = first + k;
            if (t.lengths[i] != u.lengths[i]) {
                throw fail("sample " + i + ": " + t.lengths[i] + " spike times but " + u.lengths[i] + " units");
            }
            long next = (long) offsets[k] + t.lengths[i];
            if (next > Integer.MAX_VALUE - 8) {
                throw fail("more than 2^31 spikes in one file are not supported (at sample " + i + ")");
            }
            offsets[k + 1] = (int) next;
        }
        int total = offsets[m];
        boolean half = t.base.getSize() == 2;
        short[] halfTimes = half ? new short[total] : null;
        float[] floatTimes = half ? null : new float[total];
        short[] unitIds = new short[total];
        for (int k = 0; k < m; k++) {
            int i = first + k;
            if (half) {
                t.readShorts(i, halfTimes, offsets[k]);
            } else {
                t.readFloats(i, floatTimes, offsets[k]);
            }
            u.readUnits(i, unitIds, offsets[k]);
        }
        checkAndSortTimes(offsets, halfTimes, floatTimes, unitIds, first);

        long[] rawLabels = integers(labels, "/labels");
        String[] names = keys == null ? null : strings(keys, "/extra/keys");
        int[] lab = new int[n];
        long maxLabel = -1;
        for (int i = 0; i < n; i++) {
            long l = rawLabels[i];
            if (l < 0) {
                throw fail("sample " + i + ": label " + l + " is negative");
            }
            if (names != null && l >= names.length) {
                throw fail("sample " + i + ": label " + l + " is outside /extra/keys (" + names.length
                        + " class names, labels 0.." + (names.length - 1) + ")");
            }
            if (l > 1_000_000) {
                throw fail("sample " + i + ": label " + l + " is implausibly large (no /extra/keys to check against)");
            }
            lab[i] = (int) l;
            maxLabel = Math.max(maxLabel, l);
        }
        if (m < n) {
            lab = Arrays.copyOfRange(lab, first, end);
        }
        List<String> classNames = new ArrayList<>();
        if (names != null) {
            classNames.addAll(Arrays.asList(names));
        } else {
            for (int c = 0; c <= maxLabel; c++) {
                classNames.add(Integer.toString(c));
            }
        }
        int[] spk = null;
        if (speaker != null) {
            long[] raw = integers(speaker, "/extra/speaker");
            spk = new int[m];
            for (int i = first; i < end; i++) {
                if (raw[i] < 0 || raw[i] > Integer.MAX_VALUE) {
                    throw fail("sample " + i + ": speaker id " + raw[i] + " is negative or too large");
                }
                spk[i - first] = (int) raw[i];
            }
        }
        Hdf5SpikeDataset.FileFormat format = new Hdf5SpikeDataset.FileFormat(fileBytes,
                h5.getHdfBackingStorage().getSuperblock().getVersionOfSuperblock(), describe(t.base),
                describe(u.base), describe(labels.getDataType()), speaker == null ? null
                : describe(speaker.getDataType()), names != null, heapAddresses.size());
        FlatSpikeDataset data = new FlatSpikeDataset(offsets, halfTimes, floatTimes, unitIds, lab, spk, classNames,
                channels, where);
        return new Hdf5SpikeDataset(data, format, warnings);
    }

    // ------------------------------------------------------------------ checks

    private long checkFile() {
        if (!Files.exists(file)) {
            throw fail("file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw fail("not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw fail("file is not readable (permissions)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            // the signature sits at 0 or, after a user block, at 512, 1024, 2048, ...
            for (long at = 0; at + SIGNATURE.length <= size; at = at == 0 ? 512 : at * 2) {
                ByteBuffer b = ByteBuffer.allocate(SIGNATURE.length);
                ch.read(b, at);
                if (Arrays.equals(b.array(), SIGNATURE)) {
                    return size;
                }
            }
            throw fail("not an HDF5 file (no HDF5 signature; " + size + " bytes)");
        } catch (IOException e) {
            throw fail("cannot read file: " + e.getMessage(), e);
        }
    }

    /** Validates times (finite, non-negative) and sorts any sample whose times are not ascending. */
    private void checkAndSortTimes(int[] offsets, short[] halfTimes, float[] floatTimes, short[] units, int first) {
        int unsorted = 0;
        int firstUnsorted = -1;
        for (int i = 0; i + 1 < offsets.length; i++) {
            int start = offsets[i];
            int stop = offsets[i + 1];
            int sample = first + i;
            boolean ascending = halfTimes != null ? checkHalfTimes(sample, start, stop, halfTimes)
                    : checkFloatTimes(sample, start, stop, floatTimes);
            for (int k = start; k < stop; k++) {
                int unit = units[k] & 0xffff;
                if (unit >= channels) {
                    throw fail("sample " + sample + ", spike " + (k - start) + ": unit " + unit + " >= channel count "
                            + channels);
                }
            }
            if (!ascending) {
                sortSample(start, stop, halfTimes, floatTimes, units);
                if (unsorted++ == 0) {
                    firstUnsorted = sample;
                }
            }
        }
        if (unsorted > 0) {
            String w = where + ": spike times not ascending in " + unsorted + " sample(s) (first: sample "
                    + firstUnsorted + "); sorted them by time";
            warnings.add(w);
            LOG.log(System.Logger.Level.WARNING, w);
        }
    }

    /**
     * Checks float16 times on their bit patterns (cheap enough to run on 10^8 spikes): exponent all ones is NaN or
     * infinity, a set sign bit (other than -0) is negative, and for non-negative halves the bits order like values.
     *
     * @return whether the sample's times are ascending
     */
    private boolean checkHalfTimes(int sample, int from, int to, short[] t) {
        boolean ascending = true;
        int prev = 0;
        for (int k = from; k < to; k++) {
            int h = t[k] & 0xffff;
            if ((h & 0x7c00) == 0x7c00 || (h > 0x8000)) {
                throw badTime(sample, k - from, Float16.toFloat(t[k]));
            }
            int magnitude = h & 0x7fff;
            ascending &= magnitude >= prev;
            prev = magnitude;
        }
        return ascending;
    }

    private boolean checkFloatTimes(int sample, int from, int to, float[] t) {
        boolean ascending = true;
        float prev = 0;
        for (int k = from; k < to; k++) {
            float v = t[k];
            if (!(v >= 0) || v == Float.POSITIVE_INFINITY) {
                throw badTime(sample, k - from, v);
            }
            ascending &= v >= prev;
            prev = v;
        }
        return ascending;
    }

    private InvalidInputException badTime(int sample, int spike, float v) {
        return fail("sample " + sample + ", spike " + spike + ": time " + v + " s is not a finite non-negative number");
    }

    /** Stable sort by time; for non-negative IEEE values the bit patterns order like the values. */
    private static void sortSample(int from, int to, short[] halfTimes, float[] floatTimes, short[] units) {
        int n = to - from;
        long[] keys = new long[n];
        for (int k = 0; k < n; k++) {
            long bits = halfTimes != null ? (halfTimes[from + k] & 0x7fff)
                    : (Float.floatToRawIntBits(floatTimes[from + k]) & 0x7fffffffL);
            keys[k] = bits << 32 | k;
        }
        Arrays.sort(keys);
        short[] u = Arrays.copyOfRange(units, from, to);
        if (halfTimes != null) {
            short[] t = Arrays.copyOfRange(halfTimes, from, to);
            for (int k = 0; k < n; k++) {
                int src = (int) keys[k];
                halfTimes[from + k] = t[src];
                units[from + k] = u[src];
            }
        } else {
            float[] t = Arrays.copyOfRange(floatTimes, from, to);
            for (int k = 0; k < n; k++) {
                int src = (int) keys[k];
                floatTimes[from + k] = t[src];
                units[from + k] = u[src];
            }
        }
    }

    // ------------------------------------------------------------------ datasets

    private Dataset required(HdfFile h5, String path) {
        Dataset d = optional(h5, path);
        if (d == null) {
            throw fail("missing dataset " + path + " (not an SHD/SSC spike file?)");
        }
        return d;
    }

    private Dataset optional(HdfFile h5, String path) {
        Node node;
        try {
            node = h5.getByPath(path);
        } catch (HdfInvalidPathException e) {
            return null;
        }
        if (!(node instanceof Dataset d)) {
            throw fail(path + " is a group, expected a dataset");
        }
        return d;
    }

    private int length(Dataset d, String path) {
        int[] dims = d.getDimensions();
        if (dims.length != 1) {
            throw fail(path + " must be one-dimensional, has shape " + Arrays.toString(dims));
        }
        return dims[0];
    }

    private long[] integers(Dataset d, String path) {
        DataType type = d.getDataType();
        if (!(type instanceof FixedPoint fp)) {
            throw fail(path + " must hold integers, found " + describe(type));
        }
        int n = length(d, path);
        ByteBuffer b = rawBuffer(d, path).order(fp.getByteOrder());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = readInteger(b, fp.getSize(), fp.isSigned());
        }
        return out;
    }

    private String[] strings(Dataset d, String path) {
        if (d.getDataType() instanceof StringData fixed) {
            // NumPy 'S' arrays (as SHD writes them) carry UTF-8 bytes ("fünf") under an ASCII tag; decode as UTF-8
            int width = fixed.getSize();
            int n = length(d, path);
            ByteBuffer b = rawBuffer(d, path);
            String[] s = new String[n];
            byte[] item = new byte[width];
            for (int i = 0; i < n; i++) {
                b.get(item);
                int end = width;
                while (end > 0 && (item[end - 1] == 0 || item[end - 1] == ' ')) {
                    end--;
                }
                s[i] = new String(item, 0, end, StandardCharsets.UTF_8);
            }
            return s;
        }
        Object data = d.getData();
        if (data == null || !data.getClass().isArray() || !(Array.getLength(data) == 0
                || Array.get(data, 0) instanceof String)) {
            throw fail(path + " must hold strings (class names), found " + describe(d.getDataType()));
        }
        String[] s = new String[Array.getLength(data)];
        for (int i = 0; i < s.length; i++) {
            s[i] = ((String) Array.get(data, i)).trim();
        }
        return s;
    }

    private ByteBuffer rawBuffer(Dataset d, String path) {
        if (!(d instanceof DatasetBase base)) {
            throw fail(path + ": unsupported dataset storage " + d.getClass().getSimpleName());
        }
        if (d.getSize() == 0) {
            return ByteBuffer.allocate(0);
        }
        return base.getDataBuffer();
    }

    private static long readInteger(ByteBuffer b, int size, boolean signed) {
        return switch (size) {
            case 1 -> signed ? b.get() : b.get() & 0xffL;
            case 2 -> signed ? b.getShort() : b.getShort() & 0xffffL;
            case 4 -> signed ? b.getInt() : b.getInt() & 0xffffffffL;
            case 8 -> b.getLong(); // uint64 above 2^63 reads negative and is rejected by range checks
            default -> throw new IllegalStateException("integer width " + size);
        };
    }

    private static String describe(DataType type) {
        if (type instanceof FloatingPoint f) {
            return "float" + 8 * f.getSize() + (f.getByteOrder() == ByteOrder.BIG_ENDIAN ? " big-endian" : "");
        }
        if (type instanceof FixedPoint f) {
            return (f.isSigned() ? "int" : "uint") + 8 * f.getSize()
                    + (f.getByteOrder() == ByteOrder.BIG_ENDIAN ? " big-endian" : "");
        }
        if (type instanceof VariableLength v) {
            return v.isVariableLengthString() ? "vlen string" : "vlen " + describe(v.getParent());
        }
        return type.getClass().getSimpleName() + " (" + type.getSize() + " bytes)";
    }

    private static String message(Throwable e) {
        Throwable root = e;
        String msg = e.getMessage();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null) {
                msg = msg == null ? root.getMessage() : msg + ": " + root.getMessage();
            }
        }
        return msg == null ? e.getClass().getSimpleName() : msg;
    }

    private InvalidInputException fail(String problem) {
        return new InvalidInputException(where + ": " + problem);
    }

    private InvalidInputException fail(String problem, Throwable cause) {
        return new InvalidInputException(where + ": " + problem, cause);
    }

    /**
     * A variable-length dataset read through its raw element descriptors (sequence length, global-heap collection
     * address, object index) so that each sample's bytes go straight from the heap into the flat arrays.
     */
    private final class VlenColumn {
        final String path;
        final DataType base;
        final ByteOrder order;
        final int[] lengths;
        final long[] heapAddress;
        final int[] heapIndex;
        final HdfBackingStorage storage;
        /**
         * Only the collection in use is kept: h5py and Myelin fill collections in sample order, so memory beyond
         * the flat arrays stays at one collection (about 1 MiB) however large the file.
         */
        long currentAddress = -1;
        GlobalHeap current;

        VlenColumn(Dataset d, String path, HdfBackingStorage storage) {
            this.path = path;
            this.storage = storage;
            DataType type = d.getDataType();
            if (!(type instanceof VariableLength vl) || vl.isVariableLengthString()) {
                throw fail(path + " must be variable-length sequences (one per sample), found " + describe(type));
            }
            base = vl.getParent();
            order = base instanceof FloatingPoint f ? f.getByteOrder()
                    : base instanceof FixedPoint f ? f.getByteOrder() : ByteOrder.LITTLE_ENDIAN;
            int n = length(d, path);
            int offsetSize = storage.getSizeOfOffsets();
            int elementSize = type.getSize();
            if (elementSize != 4 + offsetSize + 4) {
                throw fail(path + ": unexpected variable-length element size " + elementSize);
            }
            ByteBuffer b = rawBuffer(d, path).order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() < (long) n * elementSize) {
                throw fail(path + ": dataset storage holds " + b.remaining() + " bytes, expected "
                        + (long) n * elementSize + " (truncated?)");
            }
            lengths = new int[n];
            heapAddress = new long[n];
            heapIndex = new int[n];
            for (int i = 0; i < n; i++) {
                long len = b.getInt() & 0xffffffffL;
                if (len > Integer.MAX_VALUE) {
                    throw fail("sample " + i + ": " + path + " declares " + len + " elements");
                }
                lengths[i] = (int) len;
                heapAddress[i] = offsetSize == 8 ? b.getLong() : b.getInt() & 0xffffffffL;
                heapIndex[i] = b.getInt();
            }
        }

        private ByteBuffer object(int i) {
            int expected = lengths[i] * base.getSize();
            if (lengths[i] == 0) {
                return ByteBuffer.allocate(0);
            }
            ByteBuffer data;
            try {
                if (heapAddress[i] != currentAddress) {
                    current = new GlobalHeap(storage, heapAddress[i]);
                    currentAddress = heapAddress[i];
                    heapAddresses.add(currentAddress);
                }
                data = current.getObjectData(heapIndex[i]);
            } catch (RuntimeException e) {
                throw fail("sample " + i + ": cannot read " + path + " from the global heap: " + message(e), e);
            }
            if (data.remaining() != expected) {
                throw fail("sample " + i + ": " + path + " heap object has " + data.remaining()
                        + " bytes, expected " + expected + " (" + lengths[i] + " x " + base.getSize() + ")");
            }
            return data.order(order);
        }

        void readShorts(int i, short[] dst, int at) {
            object(i).asShortBuffer().get(dst, at, lengths[i]);
        }

        void readFloats(int i, float[] dst, int at) {
            ByteBuffer b = object(i);
            if (base.getSize() == 4) {
                b.asFloatBuffer().get(dst, at, lengths[i]);
            } else if (base.getSize() == 8) {
                for (int k = 0; k < lengths[i]; k++) {
                    dst[at + k] = (float) b.getDouble();
                }
            } else {
                throw fail(path + ": unsupported float width " + base.getSize() + " bytes");
            }
        }

        void readUnits(int i, short[] dst, int at) {
            ByteBuffer b = object(i);
            FixedPoint fp = (FixedPoint) base;
            int size = fp.getSize();
            if (size == 2 && !fp.isSigned()) {
                b.asShortBuffer().get(dst, at, lengths[i]);
                return;
            }
            for (int k = 0; k < lengths[i]; k++) {
                long v = readInteger(b, size, fp.isSigned());
                if (v < 0 || v >= channels) {
                    throw fail("sample " + i + ", spike " + k + ": unit " + v + " outside [0, " + channels + ")");
                }
                dst[at + k] = (short) v;
            }
        }
    }
}
