package io.myelin.nir;

import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the repository's Python check scripts with /usr/bin/python3 + h5py; tests skip (with the reason) without them. */
public final class Python {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static Boolean available;

    private Python() {
    }

    /** Skips the calling test unless /usr/bin/python3 can import h5py and numpy. */
    public static void assumeH5py() throws Exception {
        if (available == null) {
            available = Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import h5py, numpy")).code == 0;
        }
        Assumptions.assumeTrue(available, "skipped: /usr/bin/python3 with h5py and numpy is not available");
    }

    /** Exit code and stdout+stderr of a process. */
    public record Result(int code, String output) {
    }

    /** Runs {@code test-data/tools/SCRIPT args...}. */
    public static Result script(String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), RepositoryFiles.testData("tools/" + script).toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    public static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
    }
}
