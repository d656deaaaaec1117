package io.myelin.examples.cli;

import io.myelin.nir.report.LifComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code myelin nir lif --case DIR --out lif.svg}: the NIR paper's single-neuron comparison, Myelin's Euler and exact
 * traces beside every framework's.
 */
@Command(name = "lif", mixinStandardHelpOptions = true,
        description = {"The NIR paper's single-LIF comparison: run the lif_norse case with Euler and exact integration "
                + "and plot Myelin's traces beside the peer frameworks' (SVG), with spike steps and RMS vs the exact "
                + "solution.",
                "  myelin nir lif --case test-data/nir/lif_norse --out lif.svg"})
public final class NirLifCommand implements Callable<Integer> {
    @Option(names = "--case", defaultValue = "test-data/nir/lif_norse",
            description = "case directory with graph.nir, input.npy and peer-traces/ (default ${DEFAULT-VALUE})")
    Path caseDir;

    @Option(names = "--dt", defaultValue = "1e-4", description = "time step, s (default ${DEFAULT-VALUE})")
    double dt;

    @Option(names = "--out", required = true, description = "SVG file to write")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LifComparison c = LifComparison.of(caseDir, dt);
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.writeString(out, c.svg());
        PrintWriter o = spec.commandLine().getOut();
        o.print(c.table());
        o.println("wrote " + out);
        o.flush();
        return 0;
    }
}
