package io.myelin.models.qsd;

import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.store.TensorFile;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.testing.RepositoryFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Tiny QSD-Transformer configs (examples/configs/shd-qsd.json shrunk through the record constructors), the bundled
 * synth_* files, and a per-JVM cache of trained tiny models so several test classes can share one training run.
 */
final class QsdTestRuns {
    private QsdTestRuns() {
    }

    /** The shipped SHD recipe. */
    static QsdConfig shipped() {
        return QsdConfig.read(RepositoryFiles.path("examples/configs/shd-qsd.json"));
    }

    /**
     * The shipped recipe with tiny values: embedDim 16, 2 heads, 1 block, MLP ratio 2, 7 delay taps; data, attention
     * scale, rectification, truncation, weight decay and position learning rate as shipped.
     */
    static QsdConfig tiny(double bits, boolean delays, int epochs, long seed, int threads) {
        return tiny(bits, delays, epochs, seed, threads, new QsdConfig.Distillation(false, 0, 1.0));
    }

    static QsdConfig tiny(double bits, boolean delays, int epochs, long seed, int threads,
                          QsdConfig.Distillation distillation) {
        QsdConfig s = shipped();
        QsdConfig.Model m = s.model();
        QsdConfig.Training t = s.training();
        return new QsdConfig("test-qsd", s.kind(), s.data(),
                new QsdConfig.Model(16, 2, 1, 2, bits, m.levels(), m.attentionScale(), m.rectify(), delays, 7,
                        m.sigmaTruncation()),
                new QsdConfig.Training(epochs, 50, seed, 5e-3, t.weightDecay(), t.positionLr(), threads),
                distillation).validate("test");
    }

    static TrainingFiles synth() {
        return new TrainingFiles(RepositoryFiles.testData("synth_train.h5"), null, RepositoryFiles.testData("synth_test.h5"));
    }

    static BinnedSet synthTest(QsdConfig cfg) {
        var d = cfg.data();
        return new BinnedSet(Hdf5SpikeDataset.open(RepositoryFiles.testData("synth_test.h5")),
                new FrameBinner(d.frameMs(), d.channelPool(), d.maxDurationMs()));
    }

    private static final Map<String, Path> TRAINED = new HashMap<>();

    /** A run directory of a finished 2-epoch tiny run (trained once per JVM). */
    static synchronized Path trained(double bits, boolean delays) {
        String key = bits + "/" + delays;
        Path p = TRAINED.get(key);
        if (p == null) {
            try {
                p = Files.createTempDirectory("qsd-tiny-");
                deleteOnExit(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            new Trainer(tiny(bits, delays, 2, 3, 2), synth(), p.resolve("run"), null).train();
            p = p.resolve("run");
            TRAINED.put(key, p);
        }
        return p;
    }

    static void deleteOnExit(Path root) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // best effort
            }
        }));
    }

    /** The model of a run's checkpoint (the in-memory state of its last epoch, latent weights included). */
    static QsdTransformer fromCheckpoint(Path runDir) {
        Path ck = runDir.resolve(RunStore.CHECKPOINT);
        TensorFile.Contents c = TensorFile.read(ck);
        QsdConfig cfg = ((QsdConfig) RunStore.of(runDir).config());
        BinnedSet test = synthTest(cfg);
        QsdTransformer m = new QsdTransformer(cfg, test.channels(), test.source().classes());
        m.loadState((name, len) -> c.tensor(name, len, ck));
        return m;
    }
}
