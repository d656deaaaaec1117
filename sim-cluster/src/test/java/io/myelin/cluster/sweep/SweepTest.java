package io.myelin.cluster.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.cluster.ClusterSession;
import io.myelin.cluster.TestRuns;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.myelin.cluster.TestRuns.cli;
import static io.myelin.cluster.TestRuns.testData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TRAIN = testData("synth_train.h5"), TEST = testData("synth_test.h5");

    /**
     * Every run of a sweep is the run {@code myelin train} makes of the same config, seed and epochs (the trainer
     * with the config read, overridden with --seed and --epochs as its command does), bit for bit; the summary's
     * groups are the mean and sample standard deviation of their runs.
     */
    @Test
    void aSweepRunIsMyelinTrainBitForBitAndTheGroupsSummariseTheRuns(@TempDir Path tmp) throws Exception {
        Path config = TestRuns.tinyConfig(tmp, 5);
        Path out = tmp.resolve("sweep");
        TestRuns.Cli r = cli("sweep", "--config", config.toString(), "--train", TRAIN.toString(), "--test",
                TEST.toString(), "--epochs", "2", "--seeds", "0,1", "--vary", "model.delays=learned,none",
                "--master", "local[2]", "--out", out.toString(), "--json", "--quiet");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.lines();
        assertEquals(5, lines.size(), r.out());
        List<JsonNode> runs = new ArrayList<>();
        for (String l : lines.subList(0, 4)) {
            runs.add(JSON.readTree(l));
        }
        for (JsonNode run : runs) {
            Map<String, String> o = TestRuns.overrides(run);
            long seed = run.path("seed").asLong();
            // myelin train --config C' --seed S --epochs 2, C' the config file with the run's setting
            Path variant = tmp.resolve("tiny-" + o.get("model.delays") + ".json");
            Files.writeString(variant, Files.readString(config).replace("\"delays\": \"learned\"",
                    "\"delays\": \"" + o.get("model.delays") + "\""));
            Path plain = tmp.resolve("plain-" + o.get("model.delays") + "-" + seed);
            Trainer.Summary s = new Trainer(RunConfig.read(variant).withEpochs(2).withSeed(seed),
                    new TrainingFiles(TRAIN, null, TEST), plain, null).train();
            Path dir = Path.of(run.path("run_dir").asText());
            TestRuns.assertSameRun(plain, dir);
            assertEquals(s.bestTestAcc(), run.path("best_test_acc").asDouble());
            assertEquals(s.finalTestAcc(), run.path("final_test_acc").asDouble());
            assertTrue(run.path("energy_per_sample_uj").asDouble() > 0, run.toString());
            assertTrue(Files.isRegularFile(dir.resolve("report/report.html")));
            assertEquals(0, run.path("attempt").asInt());
        }
        JsonNode summary = JSON.readTree(lines.get(4));
        assertEquals(4, summary.path("runs").asInt());
        assertEquals(2, summary.path("groups").size());
        for (JsonNode g : summary.path("groups")) {
            String delays = g.path("overrides").path("model.delays").asText();
            double[] acc = runs.stream().filter(x -> TestRuns.overrides(x).get("model.delays").equals(delays))
                    .mapToDouble(x -> x.path("best_test_acc").asDouble()).toArray();
            assertEquals(2, g.path("n").asInt());
            double mean = (acc[0] + acc[1]) / 2;
            assertEquals(mean, g.path("best_test_acc_mean").asDouble(), 1e-12);
            assertEquals(Math.abs(acc[0] - acc[1]) / Math.sqrt(2), g.path("best_test_acc_std").asDouble(), 1e-12);
        }
        assertEquals(5, Files.readAllLines(out.resolve(SweepOutput.RESULTS)).size());
        var page = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve(SweepOutput.PAGE).toFile());
        assertEquals(1, page.getElementsByTagName("svg").getLength(), "one plot per varied key");
        assertTrue(!Files.exists(out.resolve(SweepOutput.LOCK)), "the lock is released");

        // the same sweep again continues in its directory: every run is done, the results are the same
        TestRuns.Cli again = cli("sweep", "--config", config.toString(), "--train", TRAIN.toString(), "--test",
                TEST.toString(), "--epochs", "2", "--seeds", "0,1", "--vary", "model.delays=learned,none",
                "--master", "local[2]", "--out", out.toString(), "--json", "--quiet");
        assertEquals(0, again.code(), again.err());
        assertEquals(summary.path("groups"), JSON.readTree(again.lines().get(4)).path("groups"));
        // another sweep into it is refused
        TestRuns.Cli other = cli("sweep", "--config", config.toString(), "--train", TRAIN.toString(), "--test",
                TEST.toString(), "--epochs", "3", "--seeds", "0,1", "--vary", "model.delays=learned,none",
                "--master", "local[2]", "--out", out.toString());
        assertEquals(2, other.code());
        assertTrue(other.err().contains("holds another sweep (its sweep.json differs in epochs); choose another --out"),
                other.err());
    }

    /** A task that fails is run again by Spark, and the new attempt resumes from the checkpoint the first one left. */
    @Test
    void aFailedTaskIsRetriedAndResumesFromItsCheckpoint(@TempDir Path tmp) throws Exception {
        Path config = TestRuns.tinyConfig(tmp, 3);
        Sweep.Plan plan = Sweep.plan(new Sweep.Spec(config, TRAIN, null, TEST, null, null, List.of(4L), List.of(),
                tmp.resolve("sweep"), null, false, "45nm"), 1);
        List<SweepResult> results = new ArrayList<>();
        try (ClusterSession s = ClusterSession.open("local[2]", "retry test", Map.of(), 30);
             SweepOutput out = SweepOutput.claim(plan.out(), plan.definition())) {
            Sweep.Outcome o = Sweep.execute(s, plan, out, results::add, f -> {
            }, null);
            assertEquals(0, o.failed());
        }
        SweepResult r = results.get(0);
        assertEquals(1, r.attempt(), "the second attempt finished the run");
        assertEquals(1, r.resumedFromEpoch(), "from the checkpoint of the first attempt's epoch");
        Path plain = tmp.resolve("plain");
        new Trainer(RunConfig.read(config).withSeed(4), new TrainingFiles(TRAIN, null, TEST), plain, null).train();
        TestRuns.assertSameRun(plain, Path.of(r.runDir()));
    }

    @Test
    void badInputIsOneClearLine(@TempDir Path tmp) throws Exception {
        Path config = TestRuns.tinyConfig(tmp, 1);
        String[] base = {"sweep", "--config", config.toString(), "--train", TRAIN.toString(), "--test",
                TEST.toString(), "--master", "local[2]", "--quiet"};
        TestRuns.Cli unknown = cli(with(base, "--vary", "model.delay=learned", "--out", tmp.resolve("a").toString()));
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--vary model.delay: no such config key; valid keys: name, data.frameMs"),
                unknown.err());
        assertTrue(unknown.err().contains("model.delays, model.taps"), unknown.err());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());

        TestRuns.Cli empty = cli(with(base, "--vary", "model.taps=", "--out", tmp.resolve("a").toString()));
        assertTrue(empty.err().contains("empty grid: --vary model.taps has no values"), empty.err());
        TestRuns.Cli badValue = cli(with(base, "--vary", "model.taps=0,7", "--out", tmp.resolve("a").toString()));
        assertTrue(badValue.err().contains("model.taps"), badValue.err());
        assertEquals(2, badValue.code());

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        long t0 = System.nanoTime();
        TestRuns.Cli unreachable = cli("sweep", "--config", config.toString(), "--train", TRAIN.toString(), "--test",
                TEST.toString(), "--master", "spark://127.0.0.1:" + port, "--out", tmp.resolve("b").toString());
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "an unreachable master is reported in seconds");
        assertTrue(unreachable.err().contains("cannot reach the Spark master spark://127.0.0.1:" + port),
                unreachable.err());

        Path file = Files.writeString(tmp.resolve("file"), "x");
        TestRuns.Cli notWritable = cli(with(base, "--out", file.resolve("sweep").toString()));
        assertEquals(2, notWritable.code());
        assertTrue(notWritable.err().contains("--out " + file.resolve("sweep") + " is not writable"),
                notWritable.err());

        // a sweep running in the same --out (its lock held by a live process) refuses the second
        Sweep.Plan plan = Sweep.plan(new Sweep.Spec(config, TRAIN, null, TEST, null, null, List.of(0L), List.of(),
                tmp.resolve("c"), null, true, "45nm"));
        try (SweepOutput held = SweepOutput.claim(plan.out(), plan.definition())) {
            TestRuns.Cli second = cli(with(base, "--out", tmp.resolve("c").toString()));
            assertEquals(2, second.code());
            assertTrue(second.err().contains("is in use by another sweep (pid " + ProcessHandle.current().pid()),
                    second.err());
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }
}
