package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.models.delay.ModelStore;
import io.myelin.nir.export.DelaySnnNirExport;
import io.myelin.nir.graph.Delay;
import io.myelin.nir.graph.NirGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code myelin nir export --model RUN --out model.nir}: a trained delay SNN as a NIR graph (docs/nir.md). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained delay SNN (a 'myelin train' run directory) as a NIR graph: rounded integer "
                + "delays as Delay + Linear groups, BatchNorm folded, LIF neurons, LI readout.",
                "  myelin nir export --model runs/synth-delays --out model.nir"})
public final class NirExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "trained model directory (model.json + weights)")
    Path model;

    @Option(names = "--out", required = true, description = "NIR file to write (.nir)")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(model) || !ModelStore.isModelDir(model)) {
            throw new InvalidInputException("--model " + model + " is not a trained delay-SNN directory (no model.json "
                    + "of format " + ModelStore.FORMAT + ")");
        }
        NirGraph g = DelaySnnNirExport.export(model);
        g.write(out);
        long delays = g.nodes().values().stream().filter(n -> n instanceof Delay).count();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s: %d nodes (%d Delay nodes), %d edges, %,d parameters; run it with dt = %s s for the "
                        + "input frames + %s silent frames, prediction = argmax of sum_t softmax(output)%n", out,
                g.nodes().size(), delays, g.edges().size(), g.parameterCount(), g.metadata().get(DelaySnnNirExport.DT),
                g.metadata().get(DelaySnnNirExport.EXTRA_STEPS));
        o.flush();
        return 0;
    }
}
