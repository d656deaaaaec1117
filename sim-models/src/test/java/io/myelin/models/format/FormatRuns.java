package io.myelin.models.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.TrainedModel;
import io.myelin.models.train.Trainer;
import io.myelin.testing.RepositoryFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two things the frozen run directories must keep allowing, through the public API of the day: load a saved
 * model and evaluate it, and resume a run from its checkpoint (with the config file the run was started with, for a
 * run killed before its own checkpoint existed).
 */
final class FormatRuns {
    /** Evaluation batch of the records. */
    static final int BATCH = 64;

    private FormatRuns() {
    }

    /** Predictions and accuracy of the model saved in {@code modelDir} on {@code test}. */
    static ObjectNode evaluate(Path modelDir, Path test) {
        TrainedModel m = RunStore.of(modelDir).loadModel();
        Evaluation.Result r = Evaluation.run(m, BinnedSet.forModel(m.config().data(), m.inputs(), test, 0), BATCH);
        ObjectNode n = Json.object();
        n.put("samples", r.samples());
        n.put("accuracy", r.accuracy());
        ArrayNode p = n.putArray("predictions");
        for (int v : r.predictions()) {
            p.add(v);
        }
        return n;
    }

    /**
     * Resumes the run in {@code dir} to its end: with its checkpoint's config, or with {@code configFile} when given
     * (a QSD run killed while its teacher trained has no checkpoint of its own).
     */
    static ObjectNode resume(Path dir, Path configFile, Path train, Path test) {
        RunConfig cfg = configFile != null ? RunConfig.read(configFile) : RunStore.of(dir).config();
        Trainer.Summary s = new Trainer(cfg, new TrainingFiles(train, null, test), dir, null).resume();
        ObjectNode n = Json.object();
        n.put("epochs", s.epochs());
        n.put("best_test_acc", s.bestTestAcc());
        n.put("final_test_acc", s.finalTestAcc());
        if (!Double.isNaN(s.bestValidAcc())) {
            n.put("best_valid_acc", s.bestValidAcc());
        }
        n.put("best_epoch", s.bestEpoch());
        n.put("parameters", s.parameters());
        return n;
    }

    /** The config a config file holds (files without "kind" are delay-SNN configs). */
    static RunConfig configFile(Path file) {
        return RunConfig.read(file);
    }

    /** The config a run directory's checkpoint holds. */
    static RunConfig checkpointConfig(Path run) {
        return RunStore.of(run).config();
    }

    static JsonNode read(Path file) {
        try {
            return Json.tree(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyTree(Path from, Path to) {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
