package io.myelin.nir.io;

import io.myelin.core.InvalidInputException;
import io.myelin.models.store.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz}: a zip archive with one {@code NAME.npy} entry per array (stored, as {@code np.savez}, or
 * deflated, as {@code np.savez_compressed}; both are read, and written deflated).
 */
public final class Npz {
    private Npz() {
    }

    /** The arrays of {@code file} by name (without {@code .npy}), in archive order. */
    public static Map<String, NpyArray> read(Path file) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (e.isDirectory() || !name.endsWith(".npy")) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name.substring(0, name.length() - 4), Npy.read(in, file + ":" + name));
                }
            }
        } catch (ZipException e) {
            throw new InvalidInputException(file + ": not a .npz (zip) archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes {@code arrays} (by name) to {@code file}, atomically. */
    public static void write(Map<String, NpyArray> arrays, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NpyArray> a : arrays.entrySet()) {
                if (a.getKey().isEmpty() || a.getKey().contains("/")) {
                    throw new InvalidInputException("array name '" + a.getKey() + "' must be non-empty, without '/'");
                }
                zip.putNextEntry(new ZipEntry(a.getKey() + ".npy"));
                Npy.write(a.getValue(), zip);
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
