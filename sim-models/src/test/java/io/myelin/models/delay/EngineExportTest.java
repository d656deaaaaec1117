package io.myelin.models.delay;

import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.engine.Engines;
import io.myelin.core.model.NetworkSpec;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trained model and its export to the clock-driven engine predict the same class for every test sample. */
class EngineExportTest {
    @ParameterizedTest(name = "delays {0}")
    @ValueSource(strings = {"learned", "random", "none"})
    void engineReproducesTheTrainedModelsPredictions(String delays, @TempDir Path tmp) {
        DelaySnnConfig cfg = TestRuns.small(delays, 32, 25, 2, 25, 2, 2);
        new Trainer(cfg, TestRuns.sdMini(), tmp, null).train();
        DelaySnn model = RunStore.of(tmp).loadModel(DelaySnn.class);
        BinnedSet test = new BinnedSet(Hdf5SpikeDataset.open(RepositoryFiles.testData("sd_mini_test.h5")), new FrameBinner(10, 5, 0));
        Evaluation.Result r = Evaluation.run(model, test, 16);
        for (String engine : Engines.names()) {
            EngineAgreement.Result a = EngineAgreement.check(model, test, r.predictions(), engine);
            assertEquals(test.size(), a.samples());
            assertEquals(a.samples(), a.agreeing(), engine + " engine and model must agree on every sample");
            assertEquals(r.correct(), a.correct());
        }
    }

    @Test
    void exportedSpecIsValidJsonAndNamesItsParts(@TempDir Path tmp) {
        DelaySnnConfig cfg = TestRuns.small("learned", 8, 25, 1, 50, 2, 1);
        new Trainer(cfg, TestRuns.sdMini(), tmp, null).train();
        DelaySnn model = RunStore.of(tmp).loadModel(DelaySnn.class);
        NetworkSpec spec = new EngineExport(model).spec();
        NetworkSpec back = NetworkSpec.fromJson(spec.toJson());
        assertEquals(spec.populations().size(), back.populations().size());
        assertTrue(spec.population("readout") != null && spec.population("hidden1") != null);
        // every synapse of a hidden layer carries a rounded delay of 1..Td steps (model delay + the engine's step)
        assertEquals(4, spec.projections().stream().filter(p -> p.name().endsWith(".syn") || p.name().endsWith(".bias"))
                .count() - 1);
    }
}
