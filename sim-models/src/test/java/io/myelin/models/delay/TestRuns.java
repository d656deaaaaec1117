package io.myelin.models.delay;

import io.myelin.models.data.DataConfig;
import io.myelin.models.data.TrainingFiles;
import io.myelin.testing.RepositoryFiles;

import java.nio.file.Path;
import java.util.List;

/** Small configs and the bundled test-data files for trainer tests. */
final class TestRuns {
    private TestRuns() {
    }

    /** The SHD recipe shrunk for tests: two hidden layers of {@code hidden}, {@code taps} delay taps. */
    static DelaySnnConfig small(String delays, int hidden, int taps, int epochs, int batch, long seed, int threads) {
        return new DelaySnnConfig("test-" + delays,
                new DataConfig(10.0, 5, 0, 0),
                new DelaySnnConfig.Model(List.of(hidden, hidden), delays, taps, 10.05, 1.0, 5.0, 0.4, 3.0, 0.23),
                new DelaySnnConfig.Training(epochs, batch, seed, 5e-3, 1e-5, 0.1, threads)).validate("test");
    }

    static TrainingFiles sdMini() {
        return new TrainingFiles(RepositoryFiles.testData("sd_mini_train.h5"), null,
                RepositoryFiles.testData("sd_mini_test.h5"));
    }
}
