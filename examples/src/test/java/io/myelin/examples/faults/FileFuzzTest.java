package io.myelin.examples.faults;

import io.myelin.core.MemoryBudget;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

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

    @Test
    void everyMutatedFileIsReadOrRefusedInOneLine(@TempDir Path tmp) throws Exception {
        FileFuzzer.Result r = new FileFuzzer(tmp.resolve("cases"), Duration.ofSeconds(20), SEED)
                .run(new FaultSuiteInputs(RepositoryFiles.root()).fuzzTargets(tmp), CASES);
        FaultRecord.write("fuzz", FaultRecord.fuzz(r, CASES, SEED));
        assertTrue(r.failures().isEmpty(), r.failures().size() + " of " + r.cases() + " cases failed:\n"
                + String.join("\n", r.failures()));
        assertEquals(6 * CASES, r.cases());
    }
}
