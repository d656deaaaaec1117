package io.myelin.examples.cli;

import io.myelin.core.engine.EventDrivenSimulator;
import io.myelin.core.model.CubaNetwork;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.examples.Myelin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulateCommandTest {
    @TempDir
    Path dir;

    private static NetworkSpec spec() {
        LifParameters lif = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-65).vThresholdMv(-55).refractoryMs(1).build();
        return NetworkSpec.builder().dtMs(0.1).seed(3)
                .population("cells", 20, lif, Distribution.uniform(-65, -56))
                .poissonSource("drive", 50, 40)
                .projection(ProjectionSpec.from("drive").to("cells").fixedProbability(0.3).weight(3).delayMs(Distribution.uniform(0.5, 2)))
                .projection(ProjectionSpec.from("cells").to("cells").fixedProbability(0.2).weight(-2).delayMs(1.3).inhibitory())
                .build();
    }

    private int run(StringWriter err, String... args) {
        CommandLine cl = Myelin.commandLine();
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void eventEngineWritesExactSpikeTimesRasterAndSummary() throws Exception {
        Path file = dir.resolve("net.json");
        spec().write(file);
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "simulate", "--spec", file.toString(), "--engine", "event", "--duration", "0.2",
                "--out", out.toString(), "--h5"), err.toString());

        EventDrivenSimulator sim = EventDrivenSimulator.create(spec());
        SpikeMonitor m = sim.recordSpikes("cells");
        sim.run(200);
        List<String> lines = Files.readAllLines(out.resolve("spikes.csv"));
        assertEquals("group,neuron,time_ms", lines.get(0));
        assertEquals(m.count() + 1, lines.size());
        assertTrue(m.count() > 20);
        double[] times = new double[m.count()];
        int[] neurons = new int[m.count()];
        for (int k = 0; k < m.count(); k++) {
            String[] f = lines.get(k + 1).split(",");
            assertEquals("cells", f[0]);
            neurons[k] = Integer.parseInt(f[1]);
            times[k] = Double.parseDouble(f[2]);
        }
        assertArrayEquals(m.timesMs(), times, 0.0, "CSV keeps full double precision");
        assertArrayEquals(m.neurons(), neurons);
        String svg = Files.readString(out.resolve("raster.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("cells (20)") && svg.trim().endsWith("</svg>"));
        // The SHD-layout file reads back through the data layer: one sample for the group, float32 seconds.
        var ds = io.myelin.core.data.Hdf5SpikeDataset.open(out.resolve("spikes.h5"), 20);
        assertEquals(1, ds.size());
        assertEquals(List.of("cells"), ds.classNames());
        assertArrayEquals(m.neurons(), ds.units(0));
        float[] seconds = ds.timesSeconds(0);
        for (int k = 0; k < seconds.length; k++) {
            assertEquals((float) (m.timesMs()[k] / 1000.0), seconds[k], 0f);
        }
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"cells\": " + m.count()), summary);
    }

    @Test
    void clockEngineRunsTheSameSpecWithSources() throws Exception {
        Path file = dir.resolve("net.json");
        spec().write(file);
        Path out = dir.resolve("clock");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "simulate", "--spec", file.toString(), "--engine", "clock", "--backend", "java",
                "--duration", "0.1", "--out", out.toString(), "--record-sources"), err.toString());
        List<String> lines = Files.readAllLines(out.resolve("spikes.csv"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("drive,")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("cells,")));
    }

    @Test
    void unsupportedFeaturesAndBadOptionsGiveOneLineErrors() throws Exception {
        Path file = dir.resolve("cuba.json");
        CubaNetwork.spec(100, 1).write(file);   // exponential synapses
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "simulate", "--spec", file.toString(), "--engine", "event", "--duration", "0.1",
                "--out", dir.resolve("x").toString()));
        assertTrue(err.toString().contains("exponential synaptic currents"), err.toString());
        assertEquals(1, err.toString().trim().lines().count(), err.toString());

        err = new StringWriter();
        assertEquals(2, run(err, "simulate", "--spec", file.toString(), "--engine", "warp", "--duration", "0.1",
                "--out", dir.resolve("y").toString()));
        assertTrue(err.toString().contains("--engine must be 'event' or 'clock'"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(err, "simulate", "--spec", dir.resolve("missing.json").toString(), "--duration", "0.1",
                "--out", dir.resolve("z").toString()));
        assertTrue(err.toString().contains("not found"), err.toString());
    }

    /**
     * README's network and the CUBA benchmark are spec files in examples/networks/; without --engine, simulate runs
     * each on the engine that can run it (both have exponential synapses: the clock-driven engine, saying why), and a
     * delta-synapse network on the exact event-driven engine.
     */
    @Test
    void simulatePicksTheEngineThatCanRunTheSpec() throws Exception {
        for (String net : List.of("readme.json", "cuba.json")) {
            StringWriter err = new StringWriter();
            Path out = dir.resolve(net);
            assertEquals(0, run(err, "simulate", "--spec", io.myelin.testing.RepositoryFiles.path("examples/networks/"
                    + net).toString(), "--duration", "0.05", "--out", out.toString()), err.toString());
            assertTrue(err.toString().contains("clock engine (the event engine cannot run this spec exactly: "
                    + "populations[0]"), err.toString());
            assertTrue(Files.readString(out.resolve("summary.json")).contains("\"engine\": \"clock\""));
        }
        Path delta = dir.resolve("delta.json");
        spec().write(delta);
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "simulate", "--spec", delta.toString(), "--duration", "0.05", "--out",
                dir.resolve("d").toString()), err.toString());
        assertEquals("", err.toString(), "no note when the event engine runs it");
        assertTrue(Files.readString(dir.resolve("d").resolve("summary.json")).contains("\"engine\": \"event\""));
    }
}
