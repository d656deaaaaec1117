package io.myelin.examples;

import io.myelin.core.engine.Simulator;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.monitor.SpikeMonitor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java API example of README.md, verbatim between the markers, must compile and run; its network, and the CUBA
 * benchmark network, are the spec files in examples/networks/ that README's {@code simulate} and {@code report --spec}
 * commands use ({@code -Dmyelin.write.networks=true} rewrites them from this code).
 */
class ReadmeExampleTest {
    /** The CUBA network of examples/networks/cuba.json: Brette et al. (2007), 4000 neurons, 2 % connectivity. */
    static final int CUBA_NEURONS = 4000;

    @Test
    void readmeExampleRuns() throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            example();
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString().strip();
        int spikes = Integer.parseInt(printed.substring(0, printed.indexOf(' ')));
        assertTrue(spikes > 400 && spikes < 400_000, "the example network is active but not saturated: " + printed);
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        String source = Files.readString(Path.of("src/test/java/io/myelin/examples/ReadmeExampleTest.java"));
        // The markers' last occurrences are the comments around the example (earlier ones are in this code).
        String begin = "// README-EXAMPLE-" + "BEGIN", end = "// README-EXAMPLE-" + "END";
        String block = source.substring(source.lastIndexOf(begin) + begin.length(), source.lastIndexOf(end));
        for (String line : block.strip().split("\n")) {
            assertTrue(text.contains(line.strip()), "README.md must show the example line: " + line.strip());
        }
    }

    @Test
    void theExampleNetworksAreSpecFiles() throws Exception {
        Path readme = Path.of("..", "examples", "networks", "readme.json");
        Path cuba = Path.of("..", "examples", "networks", "cuba.json");
        NetworkSpec cubaSpec = io.myelin.core.model.CubaNetwork.spec(CUBA_NEURONS, 1);
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));
        NetworkSpec readmeSpec;
        try {
            readmeSpec = example();
        } finally {
            System.setOut(original);
        }
        if (Boolean.getBoolean("myelin.write.networks")) {
            Files.createDirectories(readme.getParent());
            Files.writeString(readme, readmeSpec.toJson() + "\n");
            Files.writeString(cuba, cubaSpec.toJson() + "\n");
        }
        org.junit.jupiter.api.Assertions.assertEquals(readmeSpec, NetworkSpec.read(readme));
        org.junit.jupiter.api.Assertions.assertEquals(cubaSpec, NetworkSpec.read(cuba));
    }

    private static NetworkSpec example() {
        // README-EXAMPLE-BEGIN
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.1).seed(42)
                .poissonSource("input", 200, 25.0)                                   // 200 Poisson inputs, 25 Hz
                .population("exc", 800, LifParameters.builder().tauMs(20).vRestMv(-65).vResetMv(-65)
                        .vThresholdMv(-50).refractoryMs(2).tauExcMs(5).build(), Distribution.uniform(-65, -50))
                .projection(ProjectionSpec.from("input").to("exc").fixedProbability(0.1).weight(6.0).delayMs(1.5))
                .projection(ProjectionSpec.from("exc").to("exc").fixedInDegree(20).weight(0.5).delayMs(Distribution.uniform(1, 5)))
                .build();
        try (Simulator sim = Simulator.create(spec)) {                               // Java reference backend
            SpikeMonitor spikes = sim.recordSpikes("exc");
            sim.run(500.0);                                                          // ms of biological time
            System.out.printf("%d spikes, %.1f Hz%n", spikes.count(), spikes.count() / 800.0 / 0.5);
        }
        // README-EXAMPLE-END
        return spec;
    }
}
