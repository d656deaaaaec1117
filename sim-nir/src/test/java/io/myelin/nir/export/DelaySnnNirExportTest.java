package io.myelin.nir.export;

import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.data.DataConfig;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.delay.DelaySnn;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.nir.Python;
import io.myelin.nir.TestData;
import io.myelin.nir.graph.Delay;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.run.NirRunner;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trained delay SNN exported to NIR and run with the documented semantics predicts, for every test sample, what
 * {@code myelin eval} (the model with rounded delays) predicts; hidden spike trains and readout traces are compared
 * too. The file also passes the reference reader's checks.
 */
class DelaySnnNirExportTest {
    @ParameterizedTest(name = "delays {0}")
    @ValueSource(strings = {"learned", "random", "none"})
    void exportedGraphPredictsWhatTheModelPredicts(String delays, @TempDir Path tmp) throws Exception {
        DelaySnnConfig cfg = new DelaySnnConfig("test-" + delays, new DataConfig(10.0, 5, 0, 0),
                new DelaySnnConfig.Model(List.of(32, 32), delays, 25, 10.05, 1.0, 5.0, 0.4, 3.0, 0.23),
                new DelaySnnConfig.Training(2, 25, 2, 5e-3, 1e-5, 0.1, 2)).validate("test");
        Path run = tmp.resolve("run");
        new Trainer(cfg, new TrainingFiles(RepositoryFiles.testData("sd_mini_train.h5"), null,
                RepositoryFiles.testData("sd_mini_test.h5")), run, null).train();
        DelaySnn model = RunStore.of(run).loadModel(DelaySnn.class);
        Path file = tmp.resolve("model.nir");
        DelaySnnNirExport.export(run).write(file);
        NirGraph g = NirGraph.read(file);
        if (!delays.equals("none")) {
            long delayNodes = g.nodes().values().stream().filter(n -> n instanceof Delay).count();
            assertTrue(delayNodes > 3, "one Delay node per distinct delay value, found " + delayNodes);
        }
        SpikeDataset ds = Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5"));
        BinnedSet test = new BinnedSet(ds, new FrameBinner(10, 5, 0));
        Evaluation.Result eval = Evaluation.run(model, test, 16);
        int extra = DelaySnnNirExport.extraSteps(g);
        assertEquals(model.outputSteps(0), extra);
        double dt = ((Number) g.metadata().get(DelaySnnNirExport.DT)).doubleValue();
        int agree = 0, identicalSpikes = 0;
        long hiddenSpikes = 0;
        double worstReadout = 0;
        try (NirRunner runner = NirRunner.compile(g, dt)) {
            for (int i = 0; i < ds.size(); i++) {
                NpyArray x = DelaySnnNirExport.input(ds, i, cfg.data(), extra, runner.inputShape()[0]);
                // the model on this sample alone: its hidden spikes and readout trace
                BinnedSet.Batch b = test.batch(new int[] {i}, model.outputSteps(0));
                SeqTensor v = model.forward(b.x(), b.lengths(), false, 0);
                int steps = x.rows();
                assertEquals(model.validSteps()[0], steps, "NIR steps = the model's readout steps");
                runner.reset();
                double[] row = new double[x.rowSize()];
                double[] readout = new double[steps * model.classes()];
                boolean same = true;
                for (int s = 0; s < steps; s++) {
                    System.arraycopy(x.data(), s * row.length, row, 0, row.length);
                    runner.step(row);
                    System.arraycopy(runner.output(), 0, readout, s * model.classes(), model.classes());
                    for (int k = 0; k < model.hiddenLayers(); k++) {
                        double[] z = runner.value("hidden" + (k + 1));
                        SeqTensor h = model.hiddenSpikes(k);
                        for (int n = 0; n < z.length; n++) {
                            same &= z[n] == h.data[h.index(s, 0, n)];
                            hiddenSpikes += (long) z[n];
                        }
                    }
                    for (int c = 0; c < model.classes(); c++) {
                        worstReadout = Math.max(worstReadout, Math.abs(readout[s * model.classes() + c]
                                - v.data[v.index(s, 0, c)]));
                    }
                }
                if (same) {
                    identicalSpikes++;
                }
                int p = DelaySnnNirExport.argmax(DelaySnnNirExport.logits(readout, model.classes()));
                if (p == eval.predictions()[i]) {
                    agree++;
                }
            }
        }
        System.out.printf("NIR export (%s delays): %d/%d predictions agree, %d/%d samples with identical hidden spike "
                + "trains (%d hidden spikes), largest readout difference %.3g%n", delays, agree, ds.size(),
                identicalSpikes, ds.size(), hiddenSpikes, worstReadout);
        assertTrue(hiddenSpikes > 1000, "the hidden layers must be active for the comparison to mean anything");
        assertEquals(ds.size(), agree, "NIR run and model must predict the same class for every test sample");
        assertEquals(ds.size(), identicalSpikes, "hidden spike trains must be identical on every test sample");
        assertTrue(worstReadout < 1e-3, "readout traces agree to float32 rounding: " + worstReadout);
        if (delays.equals("learned")) {
            Python.assumeH5py();
            Python.Result check = Python.script("nir_read_check.py", file.toString());
            assertEquals(0, check.code(), check.output());
        }
    }
}
