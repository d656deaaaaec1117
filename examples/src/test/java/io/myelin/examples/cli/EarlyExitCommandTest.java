package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.inference.EarlyExitReport;
import io.myelin.core.json.Json;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code myelin eval --early-exit}: the JSON contract, the report files, the engine and integer paths, bad input. */
class EarlyExitCommandTest {
    @TempDir
    static Path dir;
    static Path delays;
    static Path qsd;
    static final String TEST = RepositoryFiles.testData("sd_mini_test.h5").toString();

    @BeforeAll
    static void train() throws Exception {
        String json = Files.readString(RepositoryFiles.path("examples/configs/shd-delays.json"))
                .replace("[256, 256]", "[16, 16]").replace("\"epochs\": 150", "\"epochs\": 2")
                .replace("\"batch\": 256", "\"batch\": 50").replace("\"validFraction\": 0", "\"validFraction\": 0.25");
        Path cfg = dir.resolve("small.json");
        Files.writeString(cfg, json);
        delays = dir.resolve("delays");
        CommandRun t = CommandRun.of("train", "--config", cfg.toString(), "--train",
                RepositoryFiles.testData("sd_mini_train.h5").toString(), "--test", TEST, "--out", delays.toString(), "--quiet",
                "--no-report");
        assertEquals(0, t.code(), t.err());
        String q = Files.readString(RepositoryFiles.path("examples/configs/shd-qsd.json"))
                .replace("\"embedDim\": 128", "\"embedDim\": 16").replace("\"heads\": 8", "\"heads\": 2")
                .replace("\"mlpRatio\": 4", "\"mlpRatio\": 2").replace("\"taps\": 25", "\"taps\": 7")
                .replace("\"epochs\": 20", "\"epochs\": 1").replace("\"teacherEpochs\": 20", "\"teacherEpochs\": 1");
        Path qcfg = dir.resolve("small-qsd.json");
        Files.writeString(qcfg, q);
        qsd = dir.resolve("qsd");
        t = CommandRun.of("train", "--config", qcfg.toString(), "--train", RepositoryFiles.testData("synth_train.h5").toString(), "--test",
                RepositoryFiles.testData("synth_test.h5").toString(), "--out", qsd.toString(), "--quiet", "--no-report");
        assertEquals(0, t.code(), t.err());
    }

    @Test
    void calibratedEarlyExitWithTheEventEngineJsonAndReport() throws Exception {
        Path rep = dir.resolve("report");
        CommandRun e = CommandRun.of("eval", "--model", delays.toString(), "--test", TEST, "--early-exit",
                "--engine", "event", "--json", "--report", rep.toString(), "--threads", "2");
        assertEquals(0, e.code(), e.err());
        JsonNode r = Json.reader().readTree(e.out().trim());
        for (String k : List.of("accuracy", "samples", "samples_per_s")) {
            assertTrue(r.has(k), "today's key " + k);
        }
        JsonNode x = r.get("early_exit");
        for (String k : List.of("threshold", "temperature", "decoding", "accuracy", "full_accuracy", "mean_exit_step",
                "mean_full_steps", "step_fraction", "oracle_accuracy", "oracle_step_fraction", "energy_per_sample_uj",
                "full_energy_per_sample_uj", "engine_agreement", "calibration")) {
            assertTrue(x.has(k), k + " in " + x);
        }
        assertEquals("calibrated", x.get("threshold_source").asText());
        assertEquals("softmax-sum", x.get("decoding").asText());
        assertEquals(2.0, x.get("temperature").asDouble());
        assertTrue(x.get("valid_data").asText().contains("held out in training"), x.get("valid_data").asText());
        assertEquals(1.0, x.get("engine_agreement").asDouble(), "the event engine exits where the model does");
        assertEquals(x.get("mean_exit_step").asDouble() / x.get("mean_full_steps").asDouble(),
                x.get("step_fraction").asDouble(), 1e-12);
        assertTrue(x.get("energy_per_sample_uj").asDouble() <= x.get("full_energy_per_sample_uj").asDouble());
        JsonNode front = x.get("calibration").get("front");
        assertTrue(front.size() >= 1);
        assertEquals(x.get("threshold").asDouble(), x.get("calibration").get("chosen").get("threshold").asDouble());
        assertTrue(x.get("calibration").get("chosen").get("accuracy").asDouble()
                >= x.get("calibration").get("full_accuracy").asDouble() - 1e-12, "tolerance 0");
        EarlyExitReport stored = EarlyExitReport.read(rep.resolve("early-exit.json"));
        assertEquals(x.get("threshold").asDouble(), stored.threshold());
        assertEquals(stored.curves().baseline().accuracy().length, stored.curves().dynamic().accuracy().length);
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(rep.resolve("early-exit.html").toFile());
        assertTrue(doc.getElementsByTagName("svg").getLength() >= 3, "energy, curves and front plots");
        // the energy report counted up to each exit, beside the full-length ANN
        var exitEnergy = io.myelin.core.energy.EnergyReport.read(rep.resolve("exit-energy.json"));
        assertEquals(x.get("energy_per_sample_uj").asDouble(), exitEnergy.total().energyPerSamplePj() / 1e6, 1e-9);
        assertEquals(x.get("ann_energy_per_sample_uj").asDouble(), exitEnergy.total().annEnergyPerSamplePj() / 1e6, 1e-9);
        assertTrue(Files.readString(rep.resolve("exit-energy.html")).contains("<svg"));
        String html = Files.readString(rep.resolve("early-exit.html"));
        assertTrue(html.contains("Exit steps per class") && html.contains("Pareto front"));

        // the same split named explicitly gives the same threshold
        CommandRun same = CommandRun.of("eval", "--model", delays.toString(), "--test", TEST, "--early-exit", "auto",
                "--valid-fraction", "0.25", "--train", RepositoryFiles.testData("sd_mini_train.h5").toString(), "--json");
        assertEquals(0, same.code(), same.err());
        assertEquals(x.get("threshold").asDouble(),
                Json.reader().readTree(same.out().trim()).get("early_exit").get("threshold").asDouble());
        // another fraction overlaps the training data, and says so
        CommandRun other = CommandRun.of("eval", "--model", delays.toString(), "--test", TEST, "--early-exit",
                "--valid-fraction", "0.5", "--json");
        assertEquals(0, other.code(), other.err());
        assertTrue(other.err().contains("seen in training"), other.err());
    }

    @Test
    void givenThresholdInText() {
        CommandRun e = CommandRun.of("eval", "--model", delays.toString(), "--test", TEST, "--early-exit", "0.5",
                "--decoding", "sum", "--temperature", "30");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("early exit (dynamic confidence, sum, temperature 30): threshold 0.5 (given)"), e.out());
        assertTrue(e.out().contains("oracle, earliest correct step"), e.out());
        assertFalse(e.out().contains("Pareto front"), "no calibration, no front");
    }

    @Test
    void quantizedTransformerOnTheIntegerPath() throws Exception {
        CommandRun e = CommandRun.of("eval", "--model", qsd.toString(), "--test", RepositoryFiles.testData("synth_test.h5")
                .toString(), "--early-exit", "0.2", "--temperature", "1", "--integer", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode x = Json.reader().readTree(e.out().trim()).get("early_exit");
        assertEquals("sum", x.get("decoding").asText());
        JsonNode integer = x.get("paths").get(1);
        assertEquals("integer", integer.get("name").asText());
        assertEquals(1.0, integer.get("exit_agreement").asDouble());
        assertEquals(1.0, integer.get("prediction_agreement").asDouble());
        assertTrue(x.get("energy_per_sample_uj").asDouble() > 0 && x.get("full_energy_per_sample_uj").asDouble() > 0);
        assertTrue(integer.has("exit_prefix_energy_per_sample_uj"));
    }

    @Test
    void badInputIsOneClearLineEach() throws Exception {
        // spike files are read as SHD's 700 channels: a file of 1000 channels is refused as such
        Path other = dir.resolve("synth1000");
        assertEquals(0, CommandRun.of("synth", "--out", other.toString(), "--channels", "1000", "--train", "20", "--test", "10")
                .code());
        Path otherFile = Files.list(other).filter(f -> f.toString().endsWith("train.h5")).findFirst().orElseThrow();
        String m = delays.toString();
        String[][] cases = {
                {"threshold must be in (0, 1]", "eval", "--model", m, "--test", TEST, "--early-exit", "1.5"},
                {"threshold must be in (0, 1]", "eval", "--model", m, "--test", TEST, "--early-exit", "0"},
                {"takes a threshold in (0, 1] or 'auto'", "eval", "--model", m, "--test", TEST, "--early-exit", "soon"},
                {"temperature must be a finite number > 0", "eval", "--model", m, "--test", TEST, "--early-exit",
                        "--temperature", "0"},
                {"temperature must be a finite number > 0", "eval", "--model", m, "--test", TEST, "--early-exit", "0.5",
                        "--temperature", "-2"},
                {"has 1000 input channels, the model has 700", "eval", "--model", m, "--test", TEST, "--early-exit", "--valid", otherFile.toString()},
                {"is the test file", "eval", "--model", m, "--test", TEST, "--early-exit", "--valid", TEST},
                {"is the test file", "eval", "--model", m, "--test", TEST, "--early-exit", "--valid-fraction", "0.5",
                        "--train", TEST},
                {"--valid-fraction must be in (0, 1)", "eval", "--model", m, "--test", TEST, "--early-exit",
                        "--valid-fraction", "1"},
                {"use them with --early-exit auto", "eval", "--model", m, "--test", TEST, "--early-exit", "0.5",
                        "--valid-fraction", "0.5"},
                {"apply to --early-exit", "eval", "--model", m, "--test", TEST, "--tolerance", "1"},
                {"--tolerance must be in [0, 100]", "eval", "--model", m, "--test", TEST, "--early-exit",
                        "--tolerance", "101"},
                {"decoding must be 'sum' or 'softmax-sum'", "eval", "--model", m, "--test", TEST, "--early-exit",
                        "--decoding", "mean"},
                {"--integer applies to QSD-Transformer models", "eval", "--model", m, "--test", TEST, "--early-exit",
                        "--integer"},
                {"softmax-sum applies to the delay SNN", "eval", "--model", qsd.toString(), "--test",
                        RepositoryFiles.testData("synth_test.h5").toString(), "--early-exit", "0.5", "--decoding", "softmax-sum"},
                {"--engine applies to delay-SNN models", "eval", "--model", qsd.toString(), "--test",
                        RepositoryFiles.testData("synth_test.h5").toString(), "--early-exit", "0.5", "--engine"},
                {"needs a quantized QSD-Transformer", "eval", "--model", qsd.resolve("teacher").toString(), "--test",
                        RepositoryFiles.testData("synth_test.h5").toString(), "--early-exit", "0.5", "--integer"},
        };
        for (String[] c : cases) {
            CommandRun r = CommandRun.of(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().startsWith("myelin: error:") && r.err().contains(c[0]), c[0] + " in: " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        // a model trained without a validation split, asked to calibrate without one
        Path noSplit = dir.resolve("nosplit");
        String json = Files.readString(RepositoryFiles.path("examples/configs/shd-delays.json")).replace("[256, 256]", "[8, 8]")
                .replace("\"epochs\": 150", "\"epochs\": 1").replace("\"batch\": 256", "\"batch\": 50");
        Files.writeString(dir.resolve("nosplit.json"), json);
        assertEquals(0, CommandRun.of("train", "--config", dir.resolve("nosplit.json").toString(), "--train",
                RepositoryFiles.testData("sd_mini_train.h5").toString(), "--test", TEST, "--out", noSplit.toString(), "--quiet",
                "--no-report").code());
        CommandRun r = CommandRun.of("eval", "--model", noSplit.toString(), "--test", TEST, "--early-exit");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--early-exit auto needs a validation split"), r.err());
    }
}
