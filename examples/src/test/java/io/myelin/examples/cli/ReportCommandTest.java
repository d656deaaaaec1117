package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.engine.Simulator;
import io.myelin.core.json.Json;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.examples.Myelin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {
    static NetworkSpec spec() {
        LifParameters lif = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-70).vThresholdMv(-55)
                .refractoryMs(2).tauExcMs(3).build();
        return NetworkSpec.builder().dtMs(0.1).seed(4)
                .poissonSource("in", 40, 50)
                .population("hid", 100, lif, Distribution.uniform(-70, -55))
                .population("out", 10, lif)
                .projection(ProjectionSpec.from("in").to("hid").fixedProbability(0.3).weight(6).delayMs(1))
                .projection(ProjectionSpec.from("hid").to("out").fixedProbability(0.3).weight(4).delayMs(2))
                .build();
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            assertEquals(0, Myelin.commandLine().execute(args), "exit code of " + String.join(" ", args));
        } finally {
            System.setOut(original);
        }
        return out.toString();
    }

    @Test
    void specReportMatchesTheEngineCountsAndComparesIntoAParetoTable(@TempDir Path dir) throws Exception {
        Path specFile = dir.resolve("net.json");
        spec().write(specFile);
        Path out = dir.resolve("rep");
        String printed = run("report", "--spec", specFile.toString(), "--duration-ms", "300", "--out", out.toString());
        assertTrue(printed.contains("energy per sample"), printed);
        JsonNode j = Json.tree(out.resolve("report.json"));
        OperationCounts oc;
        try (Simulator sim = Simulator.create(spec())) {
            sim.run(300);
            oc = sim.operationCounts();
        }
        assertEquals(oc.totalSynapticEvents(), j.get("total").get("acs").asLong());
        assertEquals(oc.totalSynapticEvents() * 0.9, j.get("total").get("energy_pj").asDouble(), 1e-6);
        assertEquals(oc.synapticEventsByProjection().get("hid->out"), j.get("layers").get(2).get("acs").asLong());
        assertEquals("45nm", j.get("energy_model").get("name").asText());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.startsWith("<?xml") && html.contains("<svg"), "report.html written");

        Path out2 = dir.resolve("rep-sram");
        run("report", "--spec", specFile.toString(), "--duration-ms", "300", "--energy-model", "45nm-sram",
                "--out", out2.toString());
        Path cmp = dir.resolve("cmp");
        String table = run("report", "--compare", out.toString(), out2.toString(), "--out", cmp.toString());
        assertTrue(table.contains("rep-sram") && table.contains("energy/sample"), table);
        JsonNode p = Json.tree(cmp.resolve("pareto.json"));
        assertEquals(2, p.get("entries").size());
        assertTrue(Files.readString(cmp.resolve("pareto.html")).contains("<svg"));
    }

    @Test
    void modelReportGoesThroughTheProviderSeamWithMetrics(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("shd-model"));
        Files.writeString(model.resolve("recorded-activity.json"), "{\"correct\": 3, \"layers\": ["
                + "{\"name\": \"l1\", \"neurons\": 8, \"spikes\": 40, \"acs\": 0, \"macs\": 500, \"synapses\": 32},"
                + "{\"name\": \"out\", \"neurons\": 2, \"spikes\": 0, \"acs\": 80, \"macs\": 0, \"synapses\": 16}]}");
        Files.writeString(model.resolve("metrics.jsonl"), "{\"epoch\": 1, \"train_acc\": 0.5, \"test_acc\": 0.4}\n"
                + "{\"epoch\": 2, \"train_acc\": 0.8, \"valid_acc\": 0.7, \"test_acc\": 0.6}\n");
        Path data = Files.writeString(dir.resolve("test.h5"), "not read by the recorded provider");
        Path out = dir.resolve("out");
        run("report", "--model", model.toString(), "--data", data.toString(), "--samples", "4", "--out", out.toString());
        JsonNode j = Json.tree(out.resolve("report.json"));
        assertEquals("model", j.get("source").get("kind").asText());
        assertEquals(4, j.get("samples").asInt());
        assertEquals(0.75, j.get("accuracy").get("accuracy").asDouble());
        assertEquals(500 * 4.6 + 80 * 0.9, j.get("total").get("energy_pj").asDouble(), 1e-9);
        assertEquals(2, j.get("epochs").size());
        assertTrue(Files.readString(out.resolve("report.html")).contains("<section id=\"accuracy\">"));
    }

    @Test
    void userErrorsAreOneLineWithExitCode2(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Path data = Files.writeString(dir.resolve("d.h5"), "x");
        String[][] cases = {
                {"report", "--spec", "nope.json", "--out", dir.toString()},
                {"report", "--model", model.toString(), "--data", data.toString(), "--out", dir.toString()},
                {"report", "--model", model.toString(), "--out", dir.toString()},
                {"report", "--compare", dir.resolve("missing").toString(), "--out", dir.toString()},
                {"report", "--spec", "x.json", "--duration-ms", "10", "--energy-model", "3nm", "--out", dir.toString()}};
        String[] expected = {"--spec needs --duration-ms", "no trained-model reader in this build accepts",
                "--model needs --data", "does not exist", "energy model '3nm'"};
        for (int i = 0; i < cases.length; i++) {
            StringWriter err = new StringWriter();
            CommandLine cl = Myelin.commandLine();
            cl.setErr(new PrintWriter(err));
            assertEquals(2, cl.execute(cases[i]), String.join(" ", cases[i]));
            String msg = err.toString().strip();
            assertFalse(msg.contains("\n"), msg);
            assertTrue(msg.startsWith("myelin: error: ") && msg.contains(expected[i]), msg);
        }
    }
}
