package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.models.delay.DelayRecipe;
import io.myelin.models.train.RunStore;
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

    @Option(names = "--data", description = "also write one sample of this SHD-format file as the graph's input (.npy)")
    Path data;

    @Option(names = "--index", defaultValue = "0", description = "with --data: the sample (default ${DEFAULT-VALUE})")
    int index;

    @Option(names = "--input-out", description = "with --data: the .npy to write ([T, channels] float32 counts, the "
            + "sample's frames then the silent frames the delays need)")
    Path inputOut;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(model) || !RunStore.of(model).holdsModel()
                || !DelayRecipe.MODEL_FORMAT.equals(RunStore.of(model).modelJson().path("format").asText())) {
            throw new InvalidInputException("--model " + model + " is not a trained delay-SNN directory (no model.json "
                    + "of format " + DelayRecipe.MODEL_FORMAT + ")");
        }
        NirGraph g = DelaySnnNirExport.export(model);
        OutputDirectory.prepareParentOf(out, "--out");
        g.write(out);
        long delays = g.nodes().values().stream().filter(n -> n instanceof Delay).count();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s: %d nodes (%d Delay nodes), %d edges, %,d parameters; run it with dt = %s s for the "
                        + "input frames + %s silent frames, prediction = argmax of sum_t softmax(output)%n", out,
                g.nodes().size(), delays, g.edges().size(), g.parameterCount(), g.metadata().get(DelaySnnNirExport.DT),
                g.metadata().get(DelaySnnNirExport.EXTRA_STEPS));
        if (data != null) {
            if (inputOut == null) {
                throw new InvalidInputException("--data needs --input-out (the .npy to write)");
            }
            io.myelin.core.data.SpikeDataset ds = io.myelin.core.data.Hdf5SpikeDataset.open(data);
            if (index < 0 || index >= ds.size()) {
                throw new InvalidInputException("--index " + index + " is outside " + data + " (0.." + (ds.size() - 1) + ")");
            }
            io.myelin.models.delay.DelaySnn m = RunStore.of(model).loadModel(io.myelin.models.delay.DelaySnn.class);
            io.myelin.nir.io.NpyArray x = DelaySnnNirExport.input(ds, index, m.config().data(),
                    DelaySnnNirExport.extraSteps(g), g.check().shape("input")[0]);
            io.myelin.nir.io.Npy.write(x, inputOut);
            o.printf("wrote %s: sample %d (label %d) as [%d, %d]%n", inputOut, index, ds.label(index), x.rows(),
                    x.rowSize());
        }
        o.flush();
        return 0;
    }
}
