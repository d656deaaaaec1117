package io.myelin.examples.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;
import io.myelin.examples.cli.CommandRun;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a new user gets wrong, tried on the command line as they would: each mistake must end with exit code 2 and one
 * line that says what is wrong in their words, before any work was done; the lines are recorded for
 * docs/reliability.md. A tiny model is trained once for the mistakes about models (a 10-class synth model).
 */
class UserErrorsTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path tiny;
    static final String SYNTH_TRAIN = RepositoryFiles.testData("synth_train.h5").toString();
    static final String SYNTH_TEST = RepositoryFiles.testData("synth_test.h5").toString();
    static final String SD_TRAIN = RepositoryFiles.testData("sd_mini_train.h5").toString();
    static final String SD_TEST = RepositoryFiles.testData("sd_mini_test.h5").toString();
    static final MessageCatalog MESSAGES = new MessageCatalog();
    static final List<String> CASES = new ArrayList<>();

    static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @BeforeAll
    static void trainTinyModel() throws Exception {
        String json = Files.readString(RepositoryFiles.path("examples/configs/shd-delays.json"))
                .replace("[256, 256]", "[8, 8]").replace("\"taps\": 25", "\"taps\": 5")
                .replace("\"epochs\": 150", "\"epochs\": 1").replace("\"batch\": 256", "\"batch\": 100");
        tiny = Files.writeString(dir.resolve("tiny.json"), json);
        model = dir.resolve("model");
        CommandRun r = run("train", "--config", tiny.toString(), "--train", SYNTH_TRAIN, "--test", SYNTH_TEST, "--out",
                model.toString(), "--quiet", "--no-report");
        assertEquals(0, r.code(), r.err());
    }

    /** Runs a mistake: exit code 2, one line starting "myelin: error: " and holding every {@code expected} part. */
    static String refused(String[] args, String... expected) {
        CommandRun r = run(args);
        String err = r.err().strip();
        String line = err.lines().filter(l -> l.startsWith("myelin: error: ")).findFirst().orElse(err);
        CASES.add(String.join(" ", args));
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
        assertFalse(err.contains("\tat ") || err.contains("internal error"), err);
        assertEquals(1, err.lines().filter(l -> !l.startsWith("myelin: warning:")).count(), "one line: " + err);
        for (String e : expected) {
            assertTrue(line.contains(e), "'" + e + "' in: " + line);
        }
        MESSAGES.add(line.substring("myelin: ".length()), null, dir.toString());
        return line;
    }

    static String[] a(String... args) {
        return args;
    }

    @Test
    void configMistakesAreNamedByKey() throws Exception {
        String base = Files.readString(tiny);
        Path typo = Files.writeString(dir.resolve("typo.json"), base.replace("\"epochs\"", "\"epoch\""));
        Path frac = Files.writeString(dir.resolve("frac.json"), base.replace("\"epochs\": 1", "\"epochs\": 3.5"));
        Path big = Files.writeString(dir.resolve("big.json"), base.replace("\"epochs\": 1", "\"epochs\": 1e12"));
        Path unknown = Files.writeString(dir.resolve("unknown.json"), base.replace("\"threads\"", "\"backend\": \"java\", \"threads\""));
        Path neg = Files.writeString(dir.resolve("neg.json"), base.replace("\"epochs\": 1", "\"epochs\": 0"));
        Path broken = Files.writeString(dir.resolve("broken.json"), base.substring(0, 40));
        for (Object[] c : new Object[][]{
                {typo, new String[]{"typo.json", "unknown key training.epoch; did you mean training.epochs?", "valid keys of training: epochs"}},
                {frac, new String[]{"frac.json", "training.epochs: expected an integer, found 3.5 (not a whole number)"}},
                {big, new String[]{"big.json", "training.epochs: expected an integer from", "(out of range)"}},
                {unknown, new String[]{"unknown.json", "unknown key training.backend"}},
                {neg, new String[]{"neg.json", "training.epochs must be >= 1, got 0"}},
                {broken, new String[]{"broken.json", "not valid JSON at line"}}}) {
            refused(a("train", "--config", c[0].toString(), "--train", SYNTH_TRAIN, "--test", SYNTH_TEST, "--out",
                    dir.resolve("never").toString()), (String[]) c[1]);
        }
        assertFalse(Files.exists(dir.resolve("never")), "nothing written for a bad config");
        refused(a("train", "--config", tiny.toString(), "--train", SYNTH_TRAIN, "--test", SYNTH_TEST, "--out",
                dir.resolve("never").toString(), "--epochs", "0"), "--epochs 0: training.epochs must be >= 1, got 0");
        refused(a("train", "--config", tiny.toString(), "--train", SYNTH_TRAIN, "--test", SYNTH_TEST, "--out",
                dir.resolve("never").toString(), "--teacher-epochs", "3"), "--teacher-epochs 3",
                "only a distilled QSD-Transformer has a teacher");
        refused(a("train", "--config", tiny.toString(), "--epoch", "3", "--train", SYNTH_TRAIN, "--test", SYNTH_TEST),
                "Unknown options: '--epoch'", "did you mean", "--epochs", "myelin train --help");
        refused(a("train", "--config", tiny.toString(), "--epochs", "3.5", "--train", SYNTH_TRAIN, "--test", SYNTH_TEST),
                "'3.5' is not an int");
    }

    @Test
    void everythingIsCheckedBeforeAnyWork() throws Exception {
        // the energy model is checked before the (missing) data files and before anything is trained
        refused(a("train", "--config", tiny.toString(), "--train", dir.resolve("missing.h5").toString(), "--test",
                SYNTH_TEST, "--out", dir.resolve("early").toString(), "--energy-model", "nope"), "energy model 'nope'");
        assertFalse(Files.exists(dir.resolve("early")));
        // every data file's header before any is read: the test file is refused although the training file is fine
        Path text = Files.writeString(dir.resolve("text.h5"), "not HDF5");
        refused(a("train", "--config", tiny.toString(), "--train", SYNTH_TRAIN, "--test", text.toString(), "--out",
                dir.resolve("early").toString()), "--test", "text.h5", "not an HDF5 file");
        // an output directory that cannot be written, before training
        refused(a("train", "--config", tiny.toString(), "--train", SYNTH_TRAIN, "--test", SYNTH_TEST, "--out",
                text.toString()), "--out", "is a file, not a directory");
        refused(a("train", "--config", tiny.toString(), "--train", SYNTH_TRAIN, "--test", SYNTH_TEST, "--out",
                "/proc/myelin-run"), "--out /proc/myelin-run", "cannot be");
        // eval: engine and integer backend names before the model is loaded (the model directory does not exist)
        refused(a("eval", "--model", dir.resolve("nothing").toString(), "--test", SYNTH_TEST, "--engine", "warp"),
                "unknown engine 'warp'; choose clock or event");
        refused(a("eval", "--model", dir.resolve("nothing").toString(), "--test", SYNTH_TEST, "--integer", "tpu"),
                "--integer must be java, opencl");
        refused(a("eval", "--model", dir.resolve("nothing").toString(), "--test", SYNTH_TEST), "--model", "no such directory");
        refused(a("data", "info", SYNTH_TEST, "--channels", "0"), "--channels must be in [1, 65536], got 0");
        refused(a("simulate", "--spec", "examples/networks/readme.json", "--duration", "0.1", "--out",
                dir.resolve("sim").toString(), "--backend", "tpu"), "unknown backend 'tpu'");
        refused(a("synth", "--out", text.toString()), "--out", "is a file, not a directory");
    }

    @Test
    void filesThatDoNotMatchTheModelAreRefusedNamingBothValues() throws Exception {
        // a 10-class model on the 20-class spoken-digits file
        refused(a("eval", "--model", model.toString(), "--test", SD_TEST), "sd_mini_test.h5 has 20 classes",
                "the model has 10");
        refused(a("report", "--model", model.toString(), "--data", SD_TEST, "--out", dir.resolve("rep").toString()),
                "has 20 classes", "the model has 10");
        // resumed on a training file of another class count: named before any tensor is read
        refused(a("train", "--resume", model.toString(), "--train", SD_TRAIN, "--test", SD_TEST),
                "sd_mini_train.h5 has 20 classes", "the run in " + model + " has 10");
        // a 350-channel file (it says so) against 700-channel files
        CommandRun s = run("synth", "--out", dir.resolve("narrow").toString(), "--classes", "10", "--train", "20", "--test",
                "10", "--channels", "350");
        assertEquals(0, s.code(), s.err());
        refused(a("train", "--config", tiny.toString(), "--train", dir.resolve("narrow/synth_train.h5").toString(),
                "--test", SYNTH_TEST, "--out", dir.resolve("narrow-run").toString()), "synth_test.h5 has 700 input"
                + " channels", "synth_train.h5 has 350");
        refused(a("eval", "--model", model.toString(), "--test", dir.resolve("narrow/synth_test.h5").toString()),
                "has 350 input channels, the model has 700");
        // the original command run again on its run directory: the one command that continues it
        refused(a("train", "--config", tiny.toString(), "--train", SYNTH_TRAIN, "--test", SYNTH_TEST, "--out",
                model.toString()), "already holds a training run (finished, 1 epochs)", "continue it with myelin train"
                + " --resume " + model + " --train " + SYNTH_TRAIN + " --test " + SYNTH_TEST, "--overwrite");
        refused(a("train", "--resume", dir.resolve("nothing").toString(), "--train", SYNTH_TRAIN, "--test", SYNTH_TEST),
                "no such directory");
    }

    @Test
    void modelFilesFromElsewhereAreCheckedForFormatVersionAndPaths() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        try (var files = Files.list(model)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        String json = Files.readString(copy.resolve("model.json"));
        Files.writeString(copy.resolve("model.json"), json.replace("\"version\" : 2", "\"version\" : 9"));
        refused(a("eval", "--model", copy.toString(), "--test", SYNTH_TEST), "written by a newer Myelin",
                "model format version 9");
        Files.writeString(copy.resolve("model.json"), json.replaceFirst("\"weights\" : \"[^\"]*\"",
                "\"weights\" : \"../../etc/passwd\""));
        refused(a("eval", "--model", copy.toString(), "--test", SYNTH_TEST), "'weights' must name a file in",
                "may not lead outside its directory");
        Files.writeString(copy.resolve("model.json"), json.replace("myelin-delay-snn", "other-net"));
        refused(a("eval", "--model", copy.toString(), "--test", SYNTH_TEST), "not a model this build reads",
                "format 'other-net'", "known: myelin-delay-snn");
    }

    @AfterAll
    static void recordTheMessages() {
        ObjectNode rec = Json.object();
        rec.put("cases", CASES.size());
        rec.set("messages", FaultRecord.messages(MESSAGES));
        FaultRecord.write("cli", rec);
    }
}
