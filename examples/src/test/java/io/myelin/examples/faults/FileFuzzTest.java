package io.myelin.examples.faults;

import io.myelin.core.MemoryBudget;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDatasetWriter;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fuzzer of untrusted files, run small enough for every build: valid HDF5 spike files, NIR graphs, .npy, .npz,
 * checkpoints and model directories, mutated (truncated, bytes flipped, huge sizes, wrong types), must each be read or
 * refused in one line naming the file; never a hang, an OutOfMemoryError or a stack trace. The memory budget is set
 * to 256 MiB, so that a believed declared size would fail here rather than pass on a large heap.
 */
class FileFuzzTest {
    /** Cases per target in the build; {@code myelin bench faults} runs more. */
    static final int CASES = Integer.getInteger("myelin.fuzz.cases", 120);
    static final long SEED = 20_261_206L;
    private static String budget;

    @BeforeAll
    static void smallBudget() {
        budget = System.getProperty(MemoryBudget.PROPERTY);
        System.setProperty(MemoryBudget.PROPERTY, "256m");
    }

    @AfterAll
    static void restoreBudget() {
        if (budget == null) {
            System.clearProperty(MemoryBudget.PROPERTY);
        } else {
            System.setProperty(MemoryBudget.PROPERTY, budget);
        }
    }

    /** The targets, their seeds from the repository's test data and fixtures. */
    static List<FuzzTarget> targets(Path scratch) throws Exception {
        List<Path> h5 = new ArrayList<>(FuzzTarget.find(RepositoryFiles.path("test-data/fixtures"), "h5py_*.h5"));
        // a file written by Myelin's own writer, laid out differently from h5py's
        Path own = scratch.resolve("myelin-written.h5");
        Hdf5SpikeDataset synth = Hdf5SpikeDataset.open(RepositoryFiles.testData("synth_test.h5"));
        new SpikeDatasetWriter().write(synth.subset(new int[]{0, 1, 2, 3, 4, 5}), own);
        h5.add(own);
        Path nir = RepositoryFiles.path("test-data/nir");
        Path v1 = RepositoryFiles.path("sim-models/src/test/resources/fixtures/format-v1");
        return List.of(FuzzTarget.spikeFiles(h5), FuzzTarget.nirGraphs(FuzzTarget.find(nir, "graph.nir")),
                FuzzTarget.npy(FuzzTarget.find(nir, "input.npy")), FuzzTarget.npz(FuzzTarget.find(nir, "expected.npz")),
                FuzzTarget.tensorFiles(FuzzTarget.find(v1, "*.bin")),
                FuzzTarget.modelDirectories(FuzzTarget.find(v1, "model.json")));
    }

    @Test
    void everyMutatedFileIsReadOrRefusedInOneLine(@TempDir Path tmp) throws Exception {
        FileFuzzer.Result r = new FileFuzzer(tmp.resolve("cases"), Duration.ofSeconds(20), SEED).run(targets(tmp), CASES);
        FaultRecord.write("fuzz", FaultRecord.fuzz(r, CASES, SEED));
        assertTrue(r.failures().isEmpty(), r.failures().size() + " of " + r.cases() + " cases failed:\n"
                + String.join("\n", r.failures()));
        assertEquals(6 * CASES, r.cases());
    }
}
