package io.myelin.examples.faults;

import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDatasetWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What the fault suite starts from, taken from the repository: valid files of every untrusted kind (test-data's h5py
 * fixtures and NIR cases, the frozen run directories of sim-models), and small training files and tiny configs for the
 * kill-and-resume runs. The CI tests and {@code myelin bench faults} use the same.
 */
public final class FaultSuiteInputs {
    private final Path repo;

    /** @param repo the repository's root (holds test-data/) */
    public FaultSuiteInputs(Path repo) {
        this.repo = repo;
    }

    /** The repository root found from {@code start} upwards, or null. */
    public static Path findRepository(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("test-data")) && Files.isDirectory(p.resolve("examples/configs"))) {
                return p;
            }
        }
        return null;
    }

    /** The fuzz targets, seeded from the repository (a Myelin-written spike file is made in {@code scratch}). */
    public List<FuzzTarget> fuzzTargets(Path scratch) throws IOException {
        List<Path> h5 = new ArrayList<>(FuzzTarget.find(repo.resolve("test-data/fixtures"), "h5py_*.h5"));
        // a file written by Myelin's own writer, laid out differently from h5py's
        Files.createDirectories(scratch);
        Path own = scratch.resolve("myelin-written.h5");
        Hdf5SpikeDataset synth = Hdf5SpikeDataset.open(repo.resolve("test-data/synth_test.h5"));
        new SpikeDatasetWriter().write(synth.subset(new int[]{0, 1, 2, 3, 4, 5}), own);
        h5.add(own);
        Path nir = repo.resolve("test-data/nir");
        Path v1 = repo.resolve("sim-models/src/test/resources/fixtures/format-v1");
        return List.of(FuzzTarget.spikeFiles(h5), FuzzTarget.nirGraphs(FuzzTarget.find(nir, "graph.nir")),
                FuzzTarget.npy(FuzzTarget.find(nir, "input.npy")), FuzzTarget.npz(FuzzTarget.find(nir, "expected.npz")),
                FuzzTarget.tensorFiles(FuzzTarget.find(v1, "*.bin")),
                FuzzTarget.modelDirectories(FuzzTarget.find(v1, "model.json")));
    }

    /** A training file of 100 and a test file of 40 samples cut from test-data's synth files, in {@code dir}. */
    public Path[] smallData(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path train = dir.resolve("train.h5"), test = dir.resolve("test.h5");
        Hdf5SpikeDataset tr = Hdf5SpikeDataset.open(repo.resolve("test-data/synth_train.h5"));
        Hdf5SpikeDataset te = Hdf5SpikeDataset.open(repo.resolve("test-data/synth_test.h5"));
        new SpikeDatasetWriter().write(tr.subset(IntStream.range(0, 100).toArray()), train);
        new SpikeDatasetWriter().write(te.subset(IntStream.range(0, 40).toArray()), test);
        return new Path[]{train, test};
    }

    /** The SHD delay recipe shrunk to seconds: 2 x 12 hidden, 7 taps, 5 epochs of 4 batches. */
    public Path delayConfig(Path dir) throws IOException {
        String json = Files.readString(repo.resolve("examples/configs/shd-delays.json"))
                .replace("[256, 256]", "[12, 12]").replace("\"taps\": 25", "\"taps\": 7")
                .replace("\"epochs\": 150", "\"epochs\": 5").replace("\"batch\": 256", "\"batch\": 25")
                .replace("\"threads\": 2", "\"threads\": 1");
        return Files.writeString(dir.resolve("tiny-delays.json"), json);
    }

    /** A distilled QSD-Transformer shrunk to seconds: a 2-epoch teacher, then a 2-epoch student. */
    public Path qsdConfig(Path dir) throws IOException {
        String json = Files.readString(repo.resolve("examples/configs/shd-qsd.json"))
                .replace("\"embedDim\": 128", "\"embedDim\": 16").replace("\"heads\": 8", "\"heads\": 2")
                .replace("\"mlpRatio\": 4", "\"mlpRatio\": 2").replace("\"taps\": 25", "\"taps\": 7")
                .replace("\"epochs\": 20", "\"epochs\": 2").replace("\"teacherEpochs\": 20", "\"teacherEpochs\": 2")
                .replace("\"batch\": 64", "\"batch\": 25").replace("\"threads\": 2", "\"threads\": 1");
        return Files.writeString(dir.resolve("tiny-qsd.json"), json);
    }
}
