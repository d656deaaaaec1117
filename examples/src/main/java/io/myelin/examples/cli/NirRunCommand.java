package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.ModelActivity;
import io.myelin.nir.energy.NirEnergy;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.Npy;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.io.Npz;
import io.myelin.nir.run.Integration;
import io.myelin.nir.run.NirActivity;
import io.myelin.nir.run.NirRunner;
import io.myelin.nir.run.NirTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code myelin nir run GRAPH --input X.npy --dt S --out OUT.npz}: runs a NIR graph in discrete time and writes
 * {@code output} ({@code [T, *output_shape]}) and every neuron node's membrane after each step (by node key).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a NIR graph in discrete time (docs/nir.md): breadth-first evaluation, recurrent edges see "
                + "the previous step, forward Euler (or --exact).",
                "  myelin nir run graph.nir --input x.npy --dt 1e-4 --out out.npz [--exact] [--report DIR]"})
public final class NirRunCommand implements Callable<Integer> {
    @Mixin
    BackendChoice backendChoice;

    @Mixin
    EnergyModelOption energyModel;

    @Parameters(index = "0", paramLabel = "GRAPH", description = "NIR file (.nir)")
    Path graph;

    @Option(names = "--input", required = true, description = "input .npy, [T, *input_shape] (any numeric dtype)")
    Path input;

    @Option(names = "--dt", required = true, description = "time step in seconds (e.g. 1e-4)")
    double dt;

    @Option(names = "--out", required = true, description = "output .npz: 'output' and one membrane array per neuron node")
    Path out;

    @Option(names = "--exact", description = "exact exponential integration of LIF, LI, CubaLI, CubaLIF (default: Euler)")
    boolean exact;

    @Option(names = "--engine", defaultValue = "runner", description = "runner (every graph) or clock (graphs that map to a "
            + "Myelin network: LIF/LI with Delay/Linear/Affine edges and spike inputs; docs/nir.md) (default ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--report", description = "also write an energy report (report.json, report.html) into this directory")
    Path report;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!out.getFileName().toString().endsWith(".npz")) {
            throw new InvalidInputException("--out must name a .npz file, got " + out);
        }
        NirGraph g = NirGraph.read(graph);
        NpyArray x = Npy.read(input);
        PrintWriter o = spec.commandLine().getOut();
        if (engine.equals("clock")) {
            if (exact || report != null) {
                throw new InvalidInputException("--engine clock runs the discrete (Euler) LIF of Myelin's engine; "
                        + "--exact and --report need --engine runner");
            }
            long t0 = System.nanoTime();
            NirEngineRun.Result r = NirEngineRun.run(g, dt, x, backendChoice);
            Npz.write(r.arrays(), out);
            o.printf(Locale.ROOT, "%d steps of %.6g s on the clock-driven engine (%s backend) in %.3f s; wrote %s%n",
                    x.rows(), dt, r.backend(), (System.nanoTime() - t0) / 1e9, out);
            o.flush();
            return 0;
        }
        if (!engine.equals("runner")) {
            throw new InvalidInputException("--engine must be runner or clock, got '" + engine + "'");
        }
        try (NirRunner r = NirRunner.compile(g, dt, exact ? Integration.EXACT : Integration.EULER, backendChoice.threads)) {
            int[] want = r.inputShape();
            int[] got = x.shape();
            if (got.length < 1 || x.rowSize() != (want == null ? -1 : io.myelin.nir.graph.Tensor.count(want))) {
                throw new InvalidInputException(input + " has shape " + java.util.Arrays.toString(got) + "; the graph "
                        + "takes [T, " + (want == null ? "?" : java.util.Arrays.toString(want).replaceAll("[\\[\\]]", ""))
                        + "]");
            }
            long t0 = System.nanoTime();
            NirTrace t = r.run(x, null);
            double sec = (System.nanoTime() - t0) / 1e9;
            Npz.write(t.arrays(), out);
            NirActivity a = r.activity();
            long spikes = 0, syn = 0;
            for (NirActivity.Node n : a.nodes()) {
                spikes += n.spikes();
                syn += n.acs() + n.macs();
            }
            o.printf(Locale.ROOT, "%d steps of %.6g s (%s) in %.3f s: %,d spikes, %,d synaptic operations; wrote %s "
                    + "(output %s and %d neuron nodes)%n", t.steps(), dt, exact ? "exact" : "Euler", sec, spikes, syn,
                    out, java.util.Arrays.toString(t.arrays().get("output").shape()), t.states().size());
            if (report != null) {
                ModelActivity m = NirEnergy.of(graph.getFileName().toString(), input.getFileName() + ", " + t.steps()
                        + " steps of " + dt + " s", r.graph(), a, 1, null);
                EnergyReport rep = EnergyReport.build(EnergyReport.Source.now("nir", m.name(), m.detail()),
                        energyModel.resolve(), m.dtMs(), m.layers(), m.size(), null, null, null);
                ReportCommand.writeAndSummarize(rep, report, o);
            }
        }
        o.flush();
        return 0;
    }
}
