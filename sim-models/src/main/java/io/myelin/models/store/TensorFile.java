package io.myelin.models.store;

import io.myelin.core.InvalidInputException;
import io.myelin.core.MemoryBudget;
import io.myelin.core.store.AtomicFiles;
import io.myelin.models.module.TensorSource;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float arrays plus a JSON header in one binary file ({@code MYELINT1}, then the header, then each tensor as
 * name, length and big-endian IEEE floats, then an end marker; docs/training.md). Written atomically, so a kill at
 * any moment leaves the old file or the new one, never a torn one.
 */
public final class TensorFile {
    private static final String MAGIC = "MYELINT1";
    private static final String END = "<end>";

    private TensorFile() {
    }

    /** Header JSON and tensors, in file order. */
    public record Contents(String header, Map<String, float[]> tensors) {
        public float[] tensor(String name, int expectedLength, Path from) {
            float[] t = tensors.get(name);
            if (t == null) {
                throw new InvalidInputException(from + ": tensor '" + name + "' is missing");
            }
            if (expectedLength >= 0 && t.length != expectedLength) {
                throw new InvalidInputException(from + ": tensor '" + name + "' has " + t.length + " values, expected "
                        + expectedLength);
            }
            return t;
        }

        /** These tensors as a module's state source; errors name {@code from}. */
        public TensorSource source(Path from) {
            return (name, length) -> tensor(name, length, from);
        }
    }

    /** Counts the bytes read, so that declared lengths are checked against what is left of the file. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    /** Writes the file atomically ({@link AtomicFiles}). */
    public static void write(Path file, String header, Map<String, float[]> tensors) throws IOException {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.writeUTF(MAGIC);
            byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(h.length);
            out.write(h);
            for (Map.Entry<String, float[]> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                float[] v = e.getValue();
                out.writeInt(v.length);
                for (float f : v) {
                    out.writeInt(Float.floatToRawIntBits(f));
                }
            }
            out.writeUTF(END);
            out.flush();
        });
    }

    /**
     * Reads a tensor file. It is untrusted (a checkpoint or model from elsewhere): every declared length is checked
     * against the bytes left in the file and the {@link MemoryBudget} before anything is allocated.
     */
    public static Contents read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + " does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
        MemoryBudget.check(size, file.toString());
        try (CountingInput counted = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
             DataInputStream in = new DataInputStream(counted)) {
            String magic;
            try {
                magic = in.readUTF();
            } catch (IOException e) {
                throw new InvalidInputException(file + " is not a Myelin tensor file");
            }
            if (!MAGIC.equals(magic)) {
                throw new InvalidInputException(file + " is not a Myelin tensor file");
            }
            int hl = in.readInt();
            if (hl < 0 || hl > (64 << 20) || hl > size - counted.count) {
                throw new InvalidInputException(file + " has a corrupt header (declared " + hl + " bytes, "
                        + (size - counted.count) + " left in the file)");
            }
            byte[] h = in.readNBytes(hl);
            if (h.length != hl) {
                throw new InvalidInputException(file + " is truncated");
            }
            Map<String, float[]> tensors = new LinkedHashMap<>();
            while (true) {
                String name = in.readUTF();
                if (END.equals(name)) {
                    break;
                }
                int n = in.readInt();
                if (n < 0 || 4L * n > size - counted.count) {
                    throw new InvalidInputException(file + ": tensor '" + name + "' declares " + n + " values, but "
                            + (size - counted.count) + " bytes are left in the file (corrupt or truncated?)");
                }
                if (tensors.containsKey(name)) {
                    throw new InvalidInputException(file + ": tensor '" + name + "' appears twice (corrupt file?)");
                }
                float[] v = new float[n];
                for (int k = 0; k < n; k++) {
                    v[k] = Float.intBitsToFloat(in.readInt());
                }
                tensors.put(name, v);
            }
            return new Contents(new String(h, java.nio.charset.StandardCharsets.UTF_8), tensors);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + " does not exist");
        } catch (EOFException e) {
            throw new InvalidInputException(file + " is truncated");
        } catch (java.io.UTFDataFormatException e) {
            throw new InvalidInputException(file + " is corrupt (a tensor name is not valid text)");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
