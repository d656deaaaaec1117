package io.myelin.models.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;
import io.myelin.models.data.DataConfig;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.models.qsd.QsdConfig;
import io.myelin.models.qsd.QsdRecipe;
import io.myelin.models.train.Trainer;
import io.myelin.testing.RepositoryFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the frozen format-v1 run directories and what the code of the day read from them
 * ({@code src/test/resources/fixtures/format-v1}, see its README). Run once, from the repository root, with the code
 * whose formats are frozen (commit 58d5512, where this class still drove the trainers of that day); never again for
 * format v1 (a rewrite would freeze whatever the code does by then):
 * <pre>
 *   java -cp examples/target/myelin.jar:sim-models/target/test-classes io.myelin.models.format.FormatV1Fixtures \
 *       sim-models/src/test/resources/fixtures/format-v1
 * </pre>
 */
public final class FormatV1Fixtures {
    private FormatV1Fixtures() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        delaySnn(out.resolve("delay-snn"));
        qsd(out.resolve("qsd-transformer"));
        qsdTeacherKilled(out.resolve("qsd-teacher-killed"));
    }

    /** Test-data file, relative to the working directory when it is the repository root (paths land in model.json). */
    static Path data(String name) {
        Path rel = Path.of("test-data", name);
        return Files.isRegularFile(rel) ? rel : RepositoryFiles.testData(name);
    }

    /** A learned-delay SNN with a carved validation split, stopped after 3 of 4 epochs. */
    static void delaySnn(Path dir) throws IOException {
        DelaySnnConfig cfg = new DelaySnnConfig("format-v1-delay",
                new DataConfig(10.0, 5, 0, 0.2),
                new DelaySnnConfig.Model(List.of(24, 24), "learned", 7, 10.05, 1.0, 5.0, 0.4, 3.0, 0.23),
                new DelaySnnConfig.Training(4, 32, 2, 1e-2, 1e-5, 0.1, 2)).validate("fixture");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), cfg.toJson());
        Path train = data("synth_train.h5"), test = data("synth_test.h5");
        new Trainer(cfg, new TrainingFiles(train, null, test), dir.resolve("run"), null).stopAfter(3).train();
        ObjectNode e = expected("synth_train.h5", "synth_test.h5");
        e.set("evaluate", FormatRuns.evaluate(dir.resolve("run"), test));
        resumed(e, dir, null, train, test, false);
        write(dir, e);
    }

    static QsdConfig tinyQsd(int epochs, long seed, QsdConfig.Distillation d) {
        return new QsdConfig("format-v1-qsd", QsdConfig.KIND, new DataConfig(10.0, 5, 0, 0),
                new QsdConfig.Model(16, 2, 1, 2, 4, 4, 0.125, true, true, 7, 3.0),
                new QsdConfig.Training(epochs, 50, seed, 1e-2, 1e-4, 0.1, 2), d).validate("fixture");
    }

    /** A 4-bit QSD-Transformer with embedding delays, distilled from its teacher, stopped after 3 of 4 epochs. */
    static void qsd(Path dir) throws IOException {
        QsdConfig cfg = tinyQsd(4, 11, new QsdConfig.Distillation(true, 1, 1.0));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), cfg.toJson());
        Path train = data("synth_train.h5"), test = data("synth_test.h5");
        // stopAfter counts the teacher's epoch too since phases are one run (in 58d5512 it counted the student's only)
        new Trainer(cfg, new TrainingFiles(train, null, test), dir.resolve("run"), null).stopAfter(4).train();
        ObjectNode e = expected("synth_train.h5", "synth_test.h5");
        e.set("evaluate", FormatRuns.evaluate(dir.resolve("run"), test));
        e.set("evaluate_teacher", FormatRuns.evaluate(dir.resolve("run").resolve(QsdRecipe.TEACHER_DIR), test));
        resumed(e, dir, null, train, test, true);
        write(dir, e);
    }

    /** A distilled QSD run killed after the first of its teacher's 2 epochs: the student has not started. */
    static void qsdTeacherKilled(Path dir) throws IOException {
        QsdConfig cfg = tinyQsd(2, 13, new QsdConfig.Distillation(true, 2, 0.5));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), cfg.toJson());
        Path train = data("synth_train.h5"), test = data("synth_test.h5");
        new Trainer(cfg.asFloatTeacher(), new TrainingFiles(train, null, test),
                dir.resolve("run").resolve(QsdRecipe.TEACHER_DIR), null).stopAfter(1).train();
        ObjectNode e = expected("synth_train.h5", "synth_test.h5");
        e.set("evaluate_teacher", FormatRuns.evaluate(dir.resolve("run").resolve(QsdRecipe.TEACHER_DIR), test));
        resumed(e, dir, dir.resolve("config.json"), train, test, true);
        write(dir, e);
    }

    static ObjectNode expected(String train, String test) {
        ObjectNode e = Json.object();
        e.put("train", train);
        e.put("test", test);
        return e;
    }

    /** Resumes a copy of {@code dir/run} to its end and records the outcome. */
    static void resumed(ObjectNode e, Path dir, Path config, Path train, Path test, boolean qsd) throws IOException {
        Path tmp = Files.createTempDirectory("format-v1-");
        Path run = tmp.resolve("run");
        FormatRuns.copyTree(dir.resolve("run"), run);
        ObjectNode r = e.putObject("resumed");
        r.set("summary", FormatRuns.resume(run, config, train.toAbsolutePath(), test.toAbsolutePath()));
        r.set("record", qsd ? RunRecord.of(run, QsdRecipe.TEACHER_DIR) : RunRecord.of(run));
    }

    static void write(Path dir, ObjectNode e) throws IOException {
        Files.writeString(dir.resolve("expected.json"), Json.indented().writeValueAsString(e) + "\n");
    }
}
