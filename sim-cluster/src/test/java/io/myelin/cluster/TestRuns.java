package io.myelin.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.models.train.RunStore;
import io.myelin.testing.RepositoryFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bundled test files, a tiny config, the CLI run in-process, and run directories compared bit for bit. */
public final class TestRuns {
    private TestRuns() {
    }

    public static Path testData(String name) {
        return RepositoryFiles.testData(name);
    }

    /** The SHD recipe shrunk: two hidden layers of 16, 7 taps, batch 32, one thread. */
    public static Path tinyConfig(Path dir, int epochs) throws IOException {
        Path f = dir.resolve("tiny.json");
        Files.writeString(f, """
                {
                  "name": "tiny",
                  "data": {"frameMs": 10.0, "channelPool": 5, "maxDurationMs": 0, "validFraction": 0},
                  "model": {"hidden": [16, 16], "delays": "learned", "taps": 7, "tauMs": 10.05, "vThreshold": 1.0,
                            "surrogateAlpha": 5.0, "dropout": 0.4, "sigmaTruncation": 3.0, "sigmaFinal": 0.23},
                  "training": {"epochs": %d, "batch": 32, "seed": 0, "maxLr": 0.005, "weightDecay": 1e-5,
                               "positionLr": 0.1, "threads": 1}
                }
                """.formatted(epochs));
        return f;
    }

    /** The output, error output and exit code of {@code myelin-cluster ARGS} run in this JVM. */
    public record Cli(int code, String out, String err) {
        public List<String> lines() {
            return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
        }
    }

    public static Cli cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = MyelinCluster.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** A run directory's metrics lines without their timings. */
    public static List<String> reproducible(Path run) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunStore.METRICS))) {
            JsonNode n = m.readTree(line);
            ((ObjectNode) n).remove(List.of("samples_per_s", "eval_samples_per_s", "epoch_s"));
            out.add(n.toString());
        }
        return out;
    }

    /** Two run directories hold the same training, bit for bit: metrics (timings aside) and best-model weights. */
    public static void assertSameRun(Path expected, Path actual) throws IOException {
        assertEquals(reproducible(expected), reproducible(actual), "metrics of " + actual);
        assertEquals(RunStore.of(expected).weightsFile().getFileName(), RunStore.of(actual).weightsFile().getFileName());
        assertArrayEquals(Files.readAllBytes(RunStore.of(expected).weightsFile()),
                Files.readAllBytes(RunStore.of(actual).weightsFile()), "best-model weights of " + actual);
    }

    /** {@code --vary} overrides as a map. */
    public static Map<String, String> overrides(JsonNode line) {
        return new ObjectMapper().convertValue(line.path("overrides"), Map.class);
    }
}
