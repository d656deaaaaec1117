package io.myelin.cluster.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.core.InvalidInputException;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.store.TensorFile;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import io.myelin.report.ModelReports;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sweep's run inside its Spark task: the ordinary {@link Trainer} on the run's config into the run's directory,
 * afresh or, when an earlier attempt of the task (lost with its executor, or failed) left a checkpoint, resumed from
 * it, so the result is bit for bit that of one uninterrupted {@code myelin train}; then the energy report.
 */
public final class SweepTask {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepTask() {
    }

    public static SweepResult run(SweepRun run) throws IOException {
        long t0 = System.nanoTime();
        TaskContext tc = TaskContext.get();
        int attempt = tc == null ? 0 : tc.attemptNumber();
        String executor = executor();
        RunConfig cfg = RunConfig.fromJson(run.config(), run.name());
        Path dir = Path.of(run.runDir());
        writable(dir, executor);
        RunStore store = RunStore.of(dir);
        boolean resume = store.hasCheckpoint() || store.phaseWithCheckpoint() != null;
        int from = store.hasCheckpoint() ? epochsDone(store) : 0;
        TrainingFiles files = new TrainingFiles(Path.of(run.train()), run.valid() == null ? null : Path.of(run.valid()),
                Path.of(run.test()));
        Trainer trainer = new Trainer(cfg.withThreads(run.threads()), files, dir, null);
        if (run.failAfterEpochs() >= 0 && attempt == 0) {
            trainer.stopAfter(run.failAfterEpochs());
            if (resume) {
                trainer.resume();
            } else {
                trainer.train();
            }
            throw new IllegalStateException("test: the first attempt of " + run.name() + " fails after "
                    + run.failAfterEpochs() + " epochs");
        }
        Trainer.Summary s = resume ? trainer.resume() : trainer.train();
        Double energy = null;
        if (run.report()) {
            energy = report(s.modelDir(), files.test(), EnergyModel.resolve(run.energyModel()));
        }
        return new SweepResult(run.index(), run.name(), run.overrides(), run.seed(), s.epochs(), s.bestTestAcc(),
                s.finalTestAcc(), s.bestValidAcc(), s.bestEpoch(), s.trainSamplesPerSecond(), energy, run.runDir(),
                from, attempt, executor, (System.nanoTime() - t0) / 1e9);
    }

    /** The run's report (rewritten when its model is newer); energy per inference, µJ. */
    private static Double report(Path modelDir, Path test, EnergyModel em) throws IOException {
        Path out = modelDir.resolve("report");
        Path json = out.resolve("report.json");
        Path model = modelDir.resolve(RunStore.MODEL_JSON);
        if (!Files.isRegularFile(json) || Files.getLastModifiedTime(json).compareTo(Files.getLastModifiedTime(model)) < 0) {
            ModelReports.write(ModelReports.of(modelDir, test, 0, modelDir.resolve(RunStore.METRICS), em), out);
        }
        return EnergyReport.read(json).total().energyPerSamplePj() / 1e6;
    }

    private static int epochsDone(RunStore store) throws IOException {
        Path ck = store.file(RunStore.CHECKPOINT);
        return JSON.readTree(TensorFile.read(ck).header()).path("epochs_done").asInt();
    }

    /** Checks that the executor running this task may write {@code dir}; returns which executor it is. */
    public static String probe(String dir) throws IOException {
        String executor = executor();
        writable(Path.of(dir), executor);
        return executor;
    }

    private static String executor() throws IOException {
        return SparkEnv.get() == null ? "driver" : "executor " + SparkEnv.get().executorId() + " ("
                + java.net.InetAddress.getLocalHost().getHostName() + ")";
    }

    /** Creates the run directory and checks this executor may write there: one line naming the executor if not. */
    static void writable(Path dir, String executor) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new InvalidInputException("cannot write " + dir + " on " + executor + ": " + e
                    + "; --out must be on storage every worker sees and may write (a shared file system)");
        }
    }
}
