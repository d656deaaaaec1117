package io.myelin.models.qsd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.store.TensorFile;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QSD trainer: a stop and resume reproduces the uninterrupted run exactly, results do not depend on the thread
 * count, distillation trains a teacher first and reports its loss, and bad configs or a diverging run give clear
 * errors.
 */
class QsdTrainerTest {

    /** Metrics lines without their timing fields. */
    static List<String> reproducible(Path metrics) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            ObjectNode n = (ObjectNode) Json.reader().readTree(line);
            n.remove(List.of("samples_per_s", "eval_samples_per_s", "epoch_s"));
            out.add(n.toString());
        }
        return out;
    }

    static void assertSameTensors(Path a, Path b) {
        Map<String, float[]> ta = TensorFile.read(a).tensors(), tb = TensorFile.read(b).tensors();
        assertEquals(ta.keySet(), tb.keySet(), "tensor names of " + a.getFileName());
        for (String k : ta.keySet()) {
            assertArrayEquals(ta.get(k), tb.get(k), "tensor " + k + " of " + a.getFileName());
        }
    }

    /** Checkpoint headers agree on everything but the wall-clock fields. */
    static void assertSameCheckpointHeader(Path a, Path b) throws IOException {
        ObjectNode ha = (ObjectNode) Json.reader().readTree(TensorFile.read(a).header()),
                hb = (ObjectNode) Json.reader().readTree(TensorFile.read(b).header());
        for (ObjectNode h : List.of(ha, hb)) {
            h.remove(List.of("train_seconds", "metrics"));
        }
        assertEquals(ha, hb);
    }

    @Test
    void resumeAfterAStopReproducesTheUninterruptedRunExactly(@TempDir Path tmp) throws IOException {
        QsdConfig cfg = QsdTestRuns.tiny(4, true, 3, 11, 2);
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split");
        Trainer.Summary a = new Trainer(cfg, QsdTestRuns.synth(), straight, null).train();
        new Trainer(cfg, QsdTestRuns.synth(), split, null).stopAfter(1).train();
        assertEquals(1, Files.readAllLines(split.resolve(RunStore.METRICS)).size());
        assertTrue((RunStore.of(split).config() instanceof QsdConfig));
        assertEquals(cfg, ((QsdConfig) RunStore.of(split).config()));
        // a torn line (kill between the metrics append and the checkpoint) must not survive the resume
        Files.writeString(split.resolve(RunStore.METRICS), "{\"epoch\": 1, \"torn\n",
                java.nio.file.StandardOpenOption.APPEND);
        Trainer.Summary b = new Trainer(cfg, QsdTestRuns.synth(), split, null).resume();
        List<String> metrics = reproducible(straight.resolve(RunStore.METRICS));
        assertEquals(3, metrics.size());
        assertEquals(metrics, reproducible(split.resolve(RunStore.METRICS)));
        assertEquals(a.bestTestAcc(), b.bestTestAcc());
        assertEquals(a.finalTestAcc(), b.finalTestAcc());
        assertEquals(a.bestEpoch(), b.bestEpoch());
        assertSameTensors(straight.resolve(RunStore.CHECKPOINT), split.resolve(RunStore.CHECKPOINT));
        assertSameCheckpointHeader(straight.resolve(RunStore.CHECKPOINT), split.resolve(RunStore.CHECKPOINT));
        assertEquals(RunStore.of(straight).weightsFile().getFileName(), RunStore.of(split).weightsFile().getFileName());
        assertArrayEquals(Files.readAllBytes(RunStore.of(straight).weightsFile()),
                Files.readAllBytes(RunStore.of(split).weightsFile()), "best model weights must be bit-identical");
        // every metrics line has the contract fields; one firing rate per IE-LIF neuron (5 attention, 2 MLP, output)
        for (String line : Files.readAllLines(split.resolve(RunStore.METRICS))) {
            JsonNode n = Json.reader().readTree(line);
            for (String key : List.of("epoch", "train_loss", "train_acc", "test_acc", "firing_rate", "samples_per_s",
                    "eval_samples_per_s", "lr", "epoch_s")) {
                assertTrue(n.has(key), key + " missing in " + line);
            }
            assertFalse(n.has("distill_loss"), "no distillation in this run");
            assertEquals(8, n.get("firing_rate").size());
        }
        // a finished run resumes to nothing new
        new Trainer(cfg, QsdTestRuns.synth(), split, null).resume();
        assertEquals(metrics, reproducible(split.resolve(RunStore.METRICS)));
    }

    @Test
    void resultsDoNotDependOnTheThreadCount(@TempDir Path tmp) throws IOException {
        new Trainer(QsdTestRuns.tiny(1.58, true, 2, 5, 1), QsdTestRuns.synth(), tmp.resolve("t1"), null).train();
        new Trainer(QsdTestRuns.tiny(1.58, true, 2, 5, 2), QsdTestRuns.synth(), tmp.resolve("t2"), null).train();
        List<String> one = reproducible(tmp.resolve("t1").resolve(RunStore.METRICS));
        assertEquals(2, one.size());
        assertEquals(one, reproducible(tmp.resolve("t2").resolve(RunStore.METRICS)));
        assertSameTensors(tmp.resolve("t1").resolve(RunStore.CHECKPOINT), tmp.resolve("t2").resolve(RunStore.CHECKPOINT));
        // and a different seed is a different run (the comparison above can fail)
        new Trainer(QsdTestRuns.tiny(1.58, true, 1, 6, 2), QsdTestRuns.synth(), tmp.resolve("s6"), null).train();
        assertFalse(one.get(0).equals(reproducible(tmp.resolve("s6").resolve(RunStore.METRICS)).get(0)));
    }

    @Test
    void distillationTrainsAFloatTeacherFirstAndAddsItsLoss(@TempDir Path tmp) throws IOException {
        QsdConfig cfg = QsdTestRuns.tiny(2, true, 2, 8, 2, new QsdConfig.Distillation(true, 1, 1.0));
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split");
        new Trainer(cfg, QsdTestRuns.synth(), straight, null).train();
        Path teacher = straight.resolve(QsdRecipe.TEACHER_DIR);
        assertTrue((RunStore.of(teacher).loadModel() instanceof QsdTransformer), "DIR/teacher holds the teacher model");
        QsdTransformer t = RunStore.of(teacher).loadModel(QsdTransformer.class);
        assertEquals(null, t.config().bitWidth(), "the teacher has float32 weights");
        assertEquals(1, Files.readAllLines(teacher.resolve(RunStore.METRICS)).size(), "teacherEpochs 1");
        List<String> lines = Files.readAllLines(straight.resolve(RunStore.METRICS));
        assertEquals(2, lines.size());
        for (String line : lines) {
            JsonNode n = Json.reader().readTree(line);
            double distill = n.path("distill_loss").asDouble(-1);
            assertTrue(distill > 0 && Double.isFinite(distill), "distill_loss > 0 in " + line);
            assertTrue(n.get("train_loss").asDouble() > distill, "train_loss is cross-entropy plus distillation");
        }
        // resumable with its teacher: stop after the first student epoch, resume, same metrics
        new Trainer(cfg, QsdTestRuns.synth(), split, null).stopAfter(1).train();
        new Trainer(cfg, QsdTestRuns.synth(), split, null).resume();
        assertEquals(reproducible(straight.resolve(RunStore.METRICS)), reproducible(split.resolve(RunStore.METRICS)));
        assertSameTensors(straight.resolve(RunStore.CHECKPOINT), split.resolve(RunStore.CHECKPOINT));
        // distillation changes the student's training (its gradient reaches the student): the same run without it
        // fires differently in its first epoch
        QsdConfig plain = QsdTestRuns.tiny(2, true, 2, 8, 2);
        new Trainer(plain, QsdTestRuns.synth(), tmp.resolve("plain"), null).stopAfter(1).train();
        JsonNode withD = Json.reader().readTree(lines.get(0)), without = Json.reader().readTree(
                Files.readAllLines(tmp.resolve("plain").resolve(RunStore.METRICS)).get(0));
        assertEquals(withD.get("lr"), without.get("lr"));
        assertFalse(withD.get("firing_rate").equals(without.get("firing_rate")),
                "distillation must change the student's training: " + withD + " vs " + without);
    }

    /** A kill while the teacher trains: train refuses the half-done directory, resume finishes teacher and student. */
    @Test
    void aRunKilledDuringTheTeacherResumesToTheSameResult(@TempDir Path tmp) throws IOException {
        QsdConfig cfg = QsdTestRuns.tiny(4, false, 2, 9, 2, new QsdConfig.Distillation(true, 2, 0.5));
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split");
        new Trainer(cfg, QsdTestRuns.synth(), straight, null).train();
        new Trainer(cfg.asFloatTeacher(), QsdTestRuns.synth(), split.resolve(QsdRecipe.TEACHER_DIR), null)
                .stopAfter(1).train();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Trainer(cfg, QsdTestRuns.synth(), split, null).train());
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        new Trainer(cfg, QsdTestRuns.synth(), split, null).resume();
        for (Path dir : List.of(Path.of(QsdRecipe.TEACHER_DIR), Path.of(""))) {
            assertEquals(reproducible(straight.resolve(dir).resolve(RunStore.METRICS)),
                    reproducible(split.resolve(dir).resolve(RunStore.METRICS)), "metrics of " + dir);
            assertSameTensors(straight.resolve(dir).resolve(RunStore.CHECKPOINT),
                    split.resolve(dir).resolve(RunStore.CHECKPOINT));
        }
        assertEquals(2, Files.readAllLines(split.resolve(QsdRecipe.TEACHER_DIR).resolve(RunStore.METRICS)).size());
    }

    /**
     * The teacher is a phase of the run: a run stopped in its teacher phase records its config in run.json when it
     * starts, so the run directory alone resumes it (as {@code myelin train --resume DIR} does), through the rest of
     * the teacher and the whole student, to the uninterrupted run's metrics and checkpoints bit for bit.
     */
    @Test
    void aRunStoppedInItsTeacherPhaseResumesFromItsDirectoryAlone(@TempDir Path tmp) throws IOException {
        QsdConfig cfg = QsdTestRuns.tiny(4, true, 2, 12, 2, new QsdConfig.Distillation(true, 2, 0.5));
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split");
        new Trainer(cfg, QsdTestRuns.synth(), straight, null).train();
        new Trainer(cfg, QsdTestRuns.synth(), split, null).stopAfter(1).train();
        assertFalse(Files.exists(split.resolve(RunStore.CHECKPOINT)), "stopped in the teacher phase");
        assertEquals(1, Files.readAllLines(split.resolve(QsdRecipe.TEACHER_DIR).resolve(RunStore.METRICS)).size());
        RunConfig recorded = RunStore.of(split).config();
        assertEquals(cfg, recorded, "run.json holds the run's config before the student has a checkpoint");
        new Trainer(recorded, QsdTestRuns.synth(), split, null).resume();
        for (Path dir : List.of(Path.of(QsdRecipe.TEACHER_DIR), Path.of(""))) {
            assertEquals(reproducible(straight.resolve(dir).resolve(RunStore.METRICS)),
                    reproducible(split.resolve(dir).resolve(RunStore.METRICS)), "metrics of " + dir);
            assertSameTensors(straight.resolve(dir).resolve(RunStore.CHECKPOINT),
                    split.resolve(dir).resolve(RunStore.CHECKPOINT));
            assertArrayEquals(Files.readAllBytes(RunStore.of(straight.resolve(dir)).weightsFile()),
                    Files.readAllBytes(RunStore.of(split.resolve(dir)).weightsFile()), "best model of " + dir);
        }
        // the finished run's config now comes from its checkpoint, the same
        assertEquals(cfg, RunStore.of(split).config());
    }

    /**
     * A learning rate that overflows the weights after the first step (Adam's step is lr / (1 - beta1) = inf): the
     * trainer must stop with a clear "diverged" error rather than finish and save a model of NaN parameters.
     */
    @Test
    void aDivergingRunStopsWithAClearError(@TempDir Path tmp) {
        QsdConfig good = QsdTestRuns.tiny(4, false, 2, 1, 1);
        QsdConfig.Training t = good.training();
        QsdConfig diverging = new QsdConfig(good.name(), good.kind(), good.data(), good.model(),
                new QsdConfig.Training(2, t.batch(), t.seed(), 1e38, t.weightDecay(), t.positionLr(), 1),
                good.distillation()).validate("x");
        Path dir = tmp.resolve("div");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Trainer(diverging, QsdTestRuns.synth(), dir, null).train(),
                () -> "training finished; parameters of its checkpoint that are not finite: " + nonFinite(dir));
        assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains("training.lr"), e.getMessage());
    }

    static String nonFinite(Path run) {
        Path ck = run.resolve(RunStore.CHECKPOINT);
        if (!Files.isRegularFile(ck)) {
            return "(no checkpoint)";
        }
        long bad = 0, all = 0;
        for (Map.Entry<String, float[]> e : TensorFile.read(ck).tensors().entrySet()) {
            if (!e.getKey().startsWith("adam.")) {
                for (float v : e.getValue()) {
                    all++;
                    bad += Float.isFinite(v) ? 0 : 1;
                }
            }
        }
        return bad + " of " + all;
    }

    /** QsdConfig.validate: "Checks every field; the message names the field" — also for the weight width. */
    @Test
    void aBadWeightWidthIsReportedWithItsFieldAndFile() {
        String json = QsdTestRuns.tiny(4, false, 1, 1, 1).toJson();
        assertTrue(json.contains("\"weightBits\" : 4.0"), json);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> QsdConfig.fromJson(json.replace("\"weightBits\" : 4.0", "\"weightBits\" : 3.0"), "bad.json"));
        assertTrue(e.getMessage().contains("1.58, 2, 4, 8"), e.getMessage());
        assertTrue(e.getMessage().contains("model.weightBits") && e.getMessage().contains("bad.json"), e.getMessage());
    }

    @Test
    void badConfigsAndRunDirectoriesGiveClearErrors(@TempDir Path tmp) throws IOException {
        for (String shipped : List.of("shd-qsd.json", "ssc-qsd.json")) {
            Path f = RepositoryFiles.path("examples/configs").resolve(shipped);
            assertTrue((RunConfig.read(f) instanceof QsdConfig), shipped);
            QsdConfig c = QsdConfig.read(f);
            assertEquals(c, QsdConfig.fromJson(c.toJson(), shipped), "JSON round trip of " + shipped);
            assertEquals(null, c.asFloatTeacher().bitWidth());
        }
        QsdConfig good = QsdTestRuns.tiny(4, false, 1, 1, 1);
        String json = good.toJson();
        assertEquals(good, QsdConfig.fromJson(json, "good.json"));
        record Bad(String from, String to, String mention) {
        }
        for (Bad bad : List.of(
                new Bad("\"levels\" : 4", "\"levels\" : 3", "model.levels"),
                new Bad("\"heads\" : 2", "\"heads\" : 3", "divisible"),
                new Bad("\"kind\" : \"qsd-transformer\",", "", "kind"),
                new Bad("\"kind\" : \"qsd-transformer\"", "\"kind\" : \"delay-snn\"", "kind"),
                new Bad("\"lr\" : 0.005", "\"lr\" : -1", "training.lr"),
                new Bad("\"threads\" : 1", "\"threads\" : 0", "training.threads"))) {
            assertTrue(json.contains(bad.from()), "test setup: " + bad.from() + " not in " + json);
            String text = json.replace(bad.from(), bad.to());
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> QsdConfig.fromJson(text, "bad.json"),
                    bad.to());
            assertTrue(e.getMessage().contains(bad.mention()), bad.to() + " -> " + e.getMessage());
        }
        QsdConfig.Model m = good.model();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new QsdConfig(good.name(), good.kind(),
                good.data(), new QsdConfig.Model(18, 4, 1, 2, 4, 4, 0.125, true, false, 7, 3), good.training(),
                good.distillation()).validate("x"));
        assertTrue(e.getMessage().contains("model.embedDim") && e.getMessage().contains("model.heads"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new QsdConfig(good.name(), good.kind(), good.data(), m,
                good.training(), new QsdConfig.Distillation(true, 0, 1)).validate("x"));
        assertTrue(e.getMessage().contains("teacherEpochs"), e.getMessage());

        // run directories: an existing run is not overwritten, a missing one cannot resume, another config cannot resume
        new Trainer(good, QsdTestRuns.synth(), tmp.resolve("run"), null).train();
        e = assertThrows(InvalidInputException.class,
                () -> new Trainer(good, QsdTestRuns.synth(), tmp.resolve("run"), null).train());
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> new Trainer(good, QsdTestRuns.synth(), tmp.resolve("none"), null).resume());
        assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> new Trainer(good.withSeed(2), QsdTestRuns.synth(), tmp.resolve("run"), null).resume());
        assertTrue(e.getMessage().contains("different config"), e.getMessage());
        // another thread count is the same run
        new Trainer(good.withThreads(2), QsdTestRuns.synth(), tmp.resolve("run"), null).resume();
        e = assertThrows(InvalidInputException.class, () -> new Trainer(good, new TrainingFiles(
                tmp.resolve("missing.h5"), null, RepositoryFiles.testData("synth_test.h5")), tmp.resolve("m"), null).train());
        assertTrue(e.getMessage().contains("missing.h5"), e.getMessage());
    }
}
