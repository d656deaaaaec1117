package io.myelin.examples.faults;

import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.models.store.TensorFile;
import io.myelin.models.train.RunStore;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.NirReader;
import io.myelin.nir.io.NirWriter;
import io.myelin.nir.io.Npy;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.io.Npz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A kind of untrusted file and how Myelin reads it: the valid files mutations start from, the reader (returning a
 * digest of what it read, so that a read can be compared with the original's), the file name a mutated copy gets
 * (what the reader sees), and, for HDF5 layouts, how to write a variant with a value of the wrong type.
 *
 * @param name       {@code hdf5-spikes}, {@code nir-graph}, ...
 * @param seeds      valid files
 * @param fileName   name of the mutated copy ({@code spikes.h5}; a model directory's {@code model-e3.bin})
 * @param read       reads a file (a copy of a seed's directory for directory targets) and digests it
 * @param wrongTypes a wrong-typed variant of a seed, or null when the kind has none
 */
public record FuzzTarget(String name, List<Path> seeds, Function<Path, String> fileName, Function<Path, String> read,
                         BiFunction<Path, SplittableRandom, Mutation> wrongTypes) {

    /** SHD/SSC spike files: read whole, every sample's spikes touched. */
    public static FuzzTarget spikeFiles(List<Path> seeds) {
        return new FuzzTarget("hdf5-spikes", seeds, s -> "spikes.h5", FuzzTarget::readSpikes,
                (seed, r) -> WrongTypes.spikeFile(Hdf5SpikeDataset.open(seed), r));
    }

    /** NIR graphs. */
    public static FuzzTarget nirGraphs(List<Path> seeds) {
        return new FuzzTarget("nir-graph", seeds, s -> "graph.nir", f -> {
            NirGraph g = NirReader.read(f);
            // the graph as NIR writes it: equal graphs give equal bytes
            try {
                Path tmp = Files.createTempFile(f.getParent(), "digest", ".nir");
                try {
                    NirWriter.write(g, tmp);
                    return Arrays.hashCode(Files.readAllBytes(tmp)) + " " + g.nodes().keySet();
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, WrongTypes::anyFile);
    }

    /** NumPy {@code .npy} arrays (NIR inputs). */
    public static FuzzTarget npy(List<Path> seeds) {
        return new FuzzTarget("npy", seeds, s -> "input.npy", f -> digest(Npy.read(f)), null);
    }

    /** NumPy {@code .npz} archives (NIR expected outputs). */
    public static FuzzTarget npz(List<Path> seeds) {
        return new FuzzTarget("npz", seeds, s -> "expected.npz", f -> {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, NpyArray> e : Npz.read(f).entrySet()) {
                sb.append(e.getKey()).append('=').append(digest(e.getValue())).append(';');
            }
            return sb.toString();
        }, null);
    }

    /** Checkpoints and model weights ({@code TensorFile}). */
    public static FuzzTarget tensorFiles(List<Path> seeds) {
        return new FuzzTarget("tensor-file", seeds, s -> s.getFileName().toString(), f -> {
            TensorFile.Contents c = TensorFile.read(f);
            StringBuilder sb = new StringBuilder(c.header());
            c.tensors().forEach((k, v) -> sb.append(k).append(Arrays.hashCode(v)));
            return sb.toString();
        }, null);
    }

    /**
     * Model directories from others: seeds are {@code model.json} files; the mutated file is the {@code model.json} of
     * a copy of its directory, loaded as {@code eval} loads it.
     */
    public static FuzzTarget modelDirectories(List<Path> modelJsons) {
        return new FuzzTarget("model-dir", modelJsons, s -> "model.json", f -> {
            var m = RunStore.of(f.getParent()).loadModel();
            StringBuilder sb = new StringBuilder(m.config().toJson());
            m.state().forEach((k, v) -> sb.append(k).append(Arrays.hashCode(v)));
            return sb.toString();
        }, null);
    }

    /** Whether a mutated copy needs the seed's directory beside it (a model's weights file). */
    boolean needsDirectory() {
        return name.equals("model-dir");
    }

    private static String readSpikes(Path f) {
        SpikeDataset ds = Hdf5SpikeDataset.open(f);
        long h = ds.size() * 31L + ds.channels();
        for (int i = 0; i < ds.size(); i++) {
            h = h * 31 + Arrays.hashCode(ds.timesSeconds(i)) + 7L * Arrays.hashCode(ds.units(i)) + ds.label(i);
        }
        return ds.classNames() + " " + h;
    }

    private static String digest(NpyArray a) {
        return Arrays.toString(a.shape()) + Arrays.hashCode(a.data()) + a.single();
    }

    /** Files under {@code dir} (recursively) whose name matches {@code glob}, sorted. */
    public static List<Path> find(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        var m = dir.getFileSystem().getPathMatcher("glob:" + glob);
        try (var walk = Files.walk(dir)) {
            walk.filter(p -> Files.isRegularFile(p) && m.matches(p.getFileName())).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
