package io.myelin.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.models.train.shard.LocalShards;
import io.myelin.models.train.shard.Sharding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.myelin.cluster.TestRuns.testData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Spark standalone cluster on 127.0.0.1: a Master and two Workers (one core each) started as their own JVMs
 * from the jars Maven put in target/lib (a Spark installation's jars/ directory, nothing downloaded), and the
 * myelin-cluster jar submitted to it as a user would. A data-parallel run on both workers equals the single-process
 * K-shards run bit for bit; in a sweep, one Worker is killed with its executor mid-run, and every run still completes
 * with the results of uninterrupted local training, the lost ones resumed from their checkpoints.
 */
class StandaloneClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path JAR = TARGET.resolve("myelin-cluster.jar");
    private static final Path LIB = TARGET.resolve("lib");
    private static final Path JVM_ARGS = Path.of("spark-java17.args").toAbsolutePath();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void sweepAndDataParallelRunOnAStandaloneClusterThatLosesAWorker(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run after package: " + JAR);
        Path home = tmp.resolve("spark-home");
        Files.createDirectories(home);
        Files.createSymbolicLink(home.resolve("jars"), LIB);
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        start(tmp, home, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort()));
        Process a = start(tmp, home, "worker-a", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()), "--work-dir",
                tmp.resolve("work-a").toString(), master);
        start(tmp, home, "worker-b", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                "--memory", "1g", "--webui-port", Integer.toString(freePort()), "--work-dir",
                tmp.resolve("work-b").toString(), master);
        awaitLog(tmp.resolve("worker-a.log"), "Successfully registered with master", 60);
        awaitLog(tmp.resolve("worker-b.log"), "Successfully registered with master", 60);

        // data parallel on the two workers: the K-shards run of one process, bit for bit
        Path config = TestRuns.tinyConfig(tmp, 1);
        TrainingFiles sd = new TrainingFiles(testData("sd_mini_train.h5"), null, testData("sd_mini_test.h5"));
        Process dp = cli(tmp, "dp", "train", "--config", config.toString(), "--train", sd.train().toString(), "--test",
                sd.test().toString(), "--out", tmp.resolve("dp").toString(), "--master", master, "--workers", "2",
                "--json", "--no-report", "--conf", "spark.executor.memory=768m");
        assertEquals(0, dp.waitFor(), Files.readString(tmp.resolve("dp.err")));
        new Trainer(RunConfig.read(config), sd, tmp.resolve("dp-local"), null)
                .sharded(new Sharding(2, Sharding.BatchNormMode.SHARD), LocalShards.BACKEND).train();
        TestRuns.assertSameRun(tmp.resolve("dp-local"), tmp.resolve("dp"));

        // a sweep of 4 runs; worker a dies (with its executor) while both workers are inside a run that has a
        // checkpoint but is not finished, so the run it was training is lost mid-way
        Path train = testData("synth_train.h5"), test = testData("synth_test.h5");
        Path out = tmp.resolve("sweep");
        Process sweep = cli(tmp, "sweep", "sweep", "--config", config.toString(), "--train", train.toString(),
                "--test", test.toString(), "--epochs", "3", "--seeds", "0,1", "--vary", "model.delays=random,none",
                "--master", master, "--out", out.toString(), "--json", "--no-report", "--conf",
                "spark.executor.memory=768m");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (midway(out, 3) < 2) {
            if (!sweep.isAlive() || System.nanoTime() > deadline) {
                fail("two runs were never mid-way at once: " + Files.readString(tmp.resolve("sweep.err")));
            }
            Thread.sleep(50);
        }
        a.descendants().forEach(ProcessHandle::destroyForcibly);
        a.destroyForcibly();
        assertTrue(sweep.waitFor(240, TimeUnit.SECONDS), "the sweep finishes on the remaining worker");
        assertEquals(0, sweep.exitValue(), Files.readString(tmp.resolve("sweep.err")));
        List<String> lines = Files.readAllLines(tmp.resolve("sweep.out"));
        assertEquals(5, lines.size(), String.join("\n", lines));
        int resumed = 0;
        for (String l : lines.subList(0, 4)) {
            JsonNode run = JSON.readTree(l);
            Map<String, String> o = TestRuns.overrides(run);
            long seed = run.path("seed").asLong();
            Path variant = tmp.resolve("tiny-" + o.get("model.delays") + ".json");
            Files.writeString(variant, Files.readString(config).replace("\"delays\": \"learned\"",
                    "\"delays\": \"" + o.get("model.delays") + "\""));
            Path plain = tmp.resolve("plain-" + o.get("model.delays") + "-" + seed);
            new Trainer(RunConfig.read(variant).withEpochs(3).withSeed(seed), new TrainingFiles(train, null, test),
                    plain, null).train();
            TestRuns.assertSameRun(plain, Path.of(run.path("run_dir").asText()));
            if (run.path("attempt").asInt() > 0 && run.path("resumed_from_epoch").asInt() > 0) {
                resumed++;
            }
        }
        assertTrue(resumed >= 1, "a run lost with worker a resumed from its checkpoint: " + String.join("\n", lines));
        assertTrue(Files.readString(tmp.resolve("sweep.err")).contains("Spark retries it and it resumes from its"
                + " checkpoint"), Files.readString(tmp.resolve("sweep.err")));
    }

    /** Runs with at least one epoch and fewer than {@code epochs} in their metrics: being trained right now. */
    private static long midway(Path sweep, int epochs) throws IOException {
        Path runs = sweep.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        try (var s = Files.list(runs)) {
            return s.filter(d -> {
                Path m = d.resolve(RunStore.METRICS);
                try {
                    long n = Files.isRegularFile(m) ? Files.readAllLines(m).size() : 0;
                    return n >= 1 && n < epochs && Files.isRegularFile(d.resolve(RunStore.CHECKPOINT));
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    /** A Spark daemon from the jars in target/lib, logging to NAME.log. */
    private Process start(Path tmp, Path home, String name, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "@" + JVM_ARGS, "-cp", LIB + File.separator + "*",
                main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** {@code myelin-cluster ARGS} as a user runs it: its own JVM on the jar and Spark's jars. */
    private Process cli(Path tmp, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m", "--add-modules", "jdk.incubator.vector",
                "@" + JVM_ARGS, "-cp", JAR + File.pathSeparator + LIB + File.separator + "*",
                "io.myelin.cluster.MyelinCluster"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".err").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static void awaitLog(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        fail(log + " never said '" + text + "':\n" + (Files.isRegularFile(log) ? Files.readString(log) : ""));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
