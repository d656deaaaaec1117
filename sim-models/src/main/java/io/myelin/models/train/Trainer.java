package io.myelin.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.SpikeDataset;
import io.myelin.core.json.Json;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.data.TrainedOn;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.data.TrainingSets;
import io.myelin.core.store.AtomicFiles;
import io.myelin.models.store.TensorFile;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.shard.ShardBackend;
import io.myelin.models.train.shard.ShardGradients;
import io.myelin.models.train.shard.ShardSetup;
import io.myelin.models.train.shard.ShardedLearner;
import io.myelin.models.train.shard.Sharding;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The training loop of every model kind: for each {@link Phase} of the run its {@link Recipe} defines, epochs of
 * shuffled batches through the phase's {@link Learner}, an evaluation of every epoch (validation split or file, test
 * file), and the side effects as {@link TrainingListener}s: progress, {@code metrics.jsonl}, the best model (by
 * validation accuracy, or test accuracy without a validation split, as the SNN-delays reference does), an atomic
 * checkpoint per epoch, the divergence check.
 *
 * <p>Fresh or resumed: {@link #resume} continues each phase from its checkpoint bit for bit (a phase without one
 * starts afresh; an earlier phase already finished is left as it is), so a run killed at any moment continues as if
 * it had never stopped. A run holds its directory's {@link RunLock} while it trains (a second process is refused)
 * and removes the temporary files a killed writer left there. Epochs are numbered from 1 for users (console,
 * {@code metrics.jsonl}, weights file names, the summary); the seeds below use the 0-based index e. Every random choice derives from the config's seed: initial weights, the validation split,
 * the shuffle of epoch e ({@code seed * 1000033 + e}) and each batch's step seed ({@code (seed * 7777777 + e) *
 * 100003 + b}, its dropout masks). Results do not depend on the thread count.
 *
 * <p>{@link #sharded} trains in K-shards mode (synchronous data parallelism, {@link ShardedLearner}): the same loop,
 * each batch's gradient the sum of K shards' computed wherever the backend runs them, in this process or on a cluster.
 */
public final class Trainer {
    /**
     * What {@code myelin train --json} prints at the end (of the run's last phase).
     *
     * @param bestEpoch    the epoch of the best model, counted from 1
     * @param bestValidAcc validation accuracy of the best model, NaN without a validation split (the best model is then
     *                     the best on the test file)
     */
    public record Summary(int epochs, double bestTestAcc, double finalTestAcc, double bestValidAcc, int bestEpoch,
                          double trainSamplesPerSecond, long parameters, Path modelDir) {
        /** Whether a validation split chose the best model (else the test file did). */
        public boolean validated() {
            return !Double.isNaN(bestValidAcc);
        }
    }

    private final RunConfig config;
    private final TrainingFiles files;
    private final Path out;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private int stopAfterEpochs = Integer.MAX_VALUE;
    private int epochsRun;
    private Sharding sharding;
    private ShardBackend shardBackend;
    private boolean overwrite;

    /**
     * @param progress where progress goes (null: none)
     */
    public Trainer(RunConfig config, TrainingFiles files, Path out, PrintStream progress) {
        this.config = config;
        this.files = files;
        this.out = out;
        if (progress != null) {
            listeners.add(new ProgressPrinter(progress));
        }
        listeners.add(new MetricsLog());
        listeners.add(new BestModelSaver());
        listeners.add(new CheckpointWriter());
        listeners.add(new DivergenceCheck());
    }

    /** Adds a listener after the standard ones. */
    public Trainer listen(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /** Stops (as if killed) after this many epochs of this invocation, over all phases; for tests of resume. */
    public Trainer stopAfter(int epochs) {
        this.stopAfterEpochs = epochs;
        return this;
    }

    /**
     * Trains in K-shards mode: every batch cut into {@code sharding}'s shards, whose gradients {@code backend} computes
     * and the trainer sums in shard order before one optimizer step. A run resumes only in the mode it was started in.
     */
    public Trainer sharded(Sharding sharding, ShardBackend backend) {
        this.sharding = sharding;
        this.shardBackend = backend;
        return this;
    }


    /** {@link #train} replaces whatever run the output directory holds (its checkpoints, metrics, model, record). */
    public Trainer overwriting() {
        this.overwrite = true;
        return this;
    }

    /**
     * Trains from scratch into the output directory, which must not hold a run already (unless {@link #overwriting});
     * the refusal gives the command that continues it.
     */
    public Summary train() {
        try (RunLock lock = RunLock.acquire(out)) {
            if (overwrite) {
                RunStore.of(out).clear(config);
            } else {
                for (Phase<?> p : RunStore.phases(config)) {
                    RunStore s = RunStore.of(out.resolve(p.dir()));
                    if (s.hasCheckpoint() || RunStore.of(out).hasRunRecord()) {
                        throw new InvalidInputException(out + " already holds a training run" + where(out)
                                + "; continue it with " + resumeCommand(out) + ", or start afresh with --overwrite"
                                + " (or choose another --out)");
                    }
                }
            }
            return run(false);
        }
    }

    /**
     * Continues the run in the output directory from the checkpoints of its phases, whichever phase it stopped in (a
     * run stopped before its first checkpoint starts again, from its record).
     */
    public Summary resume() {
        try (RunLock lock = RunLock.acquire(out)) {
            if (!RunStore.of(out).hasRunRecord()
                    && RunStore.phases(config).stream().noneMatch(p -> RunStore.of(out.resolve(p.dir())).hasCheckpoint())) {
                throw new InvalidInputException(out + " holds no run to resume (no " + RunStore.CHECKPOINT + ", no "
                        + RunStore.RUN_JSON + ")");
            }
            return run(true);
        }
    }

    /** Where a run in {@code dir} stands, for messages: " (stopped in its teacher phase after epoch 1 of 2)". */
    static String where(Path dir) {
        RunConfig c;
        try {
            c = RunStore.of(dir).config();
        } catch (InvalidInputException e) {
            return "";
        }
        if (c == null) {
            return "";
        }
        List<? extends Phase<?>> phases = RunStore.phases(c);
        for (int i = phases.size() - 1; i >= 0; i--) {
            Phase<?> p = phases.get(i);
            RunStore s = RunStore.of(dir.resolve(p.dir()));
            if (s.hasCheckpoint()) {
                int done = RunProgress.fromHeader(RunStore.header(s.readCheckpoint(), s.file(RunStore.CHECKPOINT)))
                        .epochsDone;
                int of = p.config().training().epochs();
                return " (" + (done >= of && i == phases.size() - 1 ? "finished, " + of + " epochs"
                        : "stopped " + (phases.size() > 1 ? "in its " + p.name() + " phase " : "") + "after epoch "
                        + done + " of " + of) + ")";
            }
        }
        return " (stopped before its first epoch ended)";
    }

    /** The one command that continues the run in {@code dir}, with the data files it recorded. */
    static String resumeCommand(Path dir) {
        java.util.Map<String, String> f;
        try {
            f = RunStore.of(dir).recordedDataFiles();
        } catch (InvalidInputException e) {
            f = java.util.Map.of();
        }
        return "myelin train --resume " + dir + (f.isEmpty() ? " --train F --test F" : " --train " + f.get("train")
                + (f.containsKey("valid") ? " --valid " + f.get("valid") : "") + " --test " + f.get("test"));
    }

    private Summary run(boolean resuming) {
        return runAll(Recipes.of(config), resuming);
    }

    private <C extends RunConfig> Summary runAll(Recipe<C, ?> recipe, boolean resuming) {
        C cfg = recipe.configType().cast(config);
        List<Phase<C>> phases = recipe.phases(cfg);
        removeTemporaries(phases);
        recipe.beforeData(cfg);
        TrainingSets sets = TrainingSets.open(cfg.data(), cfg.training().seed(), files);
        // every run records itself when it starts, so that --resume knows its config before its first checkpoint (a
        // format-v1 directory resumed with --config gets its record too)
        if (!resuming || !RunStore.of(out).hasRunRecord()) {
            try {
                RunStore.of(out).writeRunRecord(cfg, phases, files);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to " + out, e);
            }
        }
        Summary s = null;
        for (int i = 0; i < phases.size() && epochsRun < stopAfterEpochs; i++) {
            Phase<C> phase = phases.get(i);
            boolean last = i == phases.size() - 1;
            RunStore store = RunStore.of(out.resolve(phase.dir()));
            TensorFile.Contents ck = resuming && store.hasCheckpoint() ? store.readCheckpoint() : null;
            if (!last && ck != null && finished(recipe, phase, ck, store, sets)) {
                continue;
            }
            s = runPhase(recipe, phase, i, phases.size(), store, ck, sets);
        }
        return s;
    }

    /** Removes what a killed writer left in the run's directories (under the run's lock). */
    private void removeTemporaries(List<? extends Phase<?>> phases) {
        for (Phase<?> p : phases) {
            try {
                AtomicFiles.removeTemporaries(out.resolve(p.dir()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clean up " + out.resolve(p.dir()), e);
            }
        }
    }

    /** Whether a phase's checkpoint holds all its epochs. */
    private static boolean finished(Recipe<?, ?> recipe, Phase<?> phase, TensorFile.Contents ck, RunStore store,
                                    TrainingSets sets) {
        return checkedHeader(recipe, phase.config(), ck, store, sets).path("epochs_done").asInt()
                >= phase.config().training().epochs();
    }

    /**
     * A checkpoint's header, checked to be of {@code recipe}'s format and version, of {@code config} (the thread count
     * aside) and of the data the run trains on (channels and classes: a run is resumed on the files it started with).
     */
    private static JsonNode checkedHeader(Recipe<?, ?> recipe, RunConfig config, TensorFile.Contents ck,
                                          RunStore store, TrainingSets sets) {
        Path from = store.file(RunStore.CHECKPOINT);
        JsonNode h = RunStore.header(ck, from);
        Recipe<?, ?> of = RunStore.checkpointRecipe(h, from);
        if (of != recipe) {
            throw new InvalidInputException(from + " is a " + of.displayName() + " checkpoint; the config is a "
                    + recipe.displayName() + " config");
        }
        RunConfig saved = recipe.readConfig(h.path("config").toString(), from.toString());
        if (!saved.withThreads(config.training().threads()).equals(config)) {
            throw new InvalidInputException(from + " was written with a different config; resume with the same "
                    + "config (epochs, batch, seed and model included)");
        }
        TrainedOn trainedOn = TrainedOn.fromJson(h.get("trained_on"));
        if (trainedOn == null && Files.isRegularFile(store.file(RunStore.MODEL_JSON))) {
            trainedOn = store.trainedOn(); // format v1: what its saved model implies
        }
        if (trainedOn != null) {
            trainedOn.check(sets.trainedOn(), "the training file " + sets.inputs().train(), "the run in " + store.dir());
        }
        return h;
    }

    private <C extends RunConfig, M extends TrainedModel> Summary runPhase(Recipe<C, M> recipe, Phase<C> phase,
                                                                          int index, int count, RunStore store,
                                                                          TensorFile.Contents ck, TrainingSets sets) {
        C cfg = phase.config();
        TrainingSettings tr = cfg.training();
        int epochs = tr.epochs();
        M model = recipe.build(cfg, sets.train().channels(), sets.trainDs().classes());
        Learner learner = recipe.learner(cfg, model, phase, out);
        RunProgress progress = new RunProgress();
        if (ck != null) {
            Path from = store.file(RunStore.CHECKPOINT);
            JsonNode h = checkedHeader(recipe, cfg, ck, store, sets);
            Sharding saved = Sharding.fromHeader(h);
            if (!java.util.Objects.equals(saved, sharding)) {
                throw new InvalidInputException(from + " was trained " + (saved == null ? "in one process, unsharded"
                        : "in " + saved.describe()) + "; resume it the same way");
            }
            model.loadState(ck.source(from));
            learner.optimization().restore(ck, h, from);
            progress = RunProgress.fromHeader(h);
            if (!h.has("epochs_from")) {
                try {
                    store.upgradeModel(sets.trainedOn());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write to " + store.dir(), e);
                }
            }
        }
        double finalTest = progress.lastTestAcc();
        try (Workers workers = new Workers(tr.threads());
             ShardGradients shards = sharding == null ? null : shardBackend.open(new ShardSetup(config, phase, files,
                     out, sets, sharding, tr.threads()))) {
            if (shards != null) {
                learner = new ShardedLearner(learner, model, sharding, shards);
            }
            PhaseRun run = new PhaseRun(phase, index, count, cfg, store, model, learner, sets, progress,
                    recipe.checkpointFormat());
            try {
                for (TrainingListener l : listeners) {
                    l.phaseStarted(run);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to " + store.dir(), e);
            }
            model.setWorkers(workers);
            learner.setWorkers(workers);
            for (int epoch = progress.epochsDone; epoch < epochs && epochsRun < stopAfterEpochs; epoch++, epochsRun++) {
                Map<String, Double> scheduled = learner.beginEpoch(epoch);
                EpochStats st = trainEpoch(run, epoch);
                progress.trainSeconds += st.seconds;
                progress.trainSamples += st.samples;
                learner.endEpoch(epoch, epochs);
                Evaluation.Result validRes = sets.valid() == null ? null : Evaluation.run(model, sets.valid(), tr.batch());
                Evaluation.Result testRes = Evaluation.run(model, sets.test(), tr.batch());
                finalTest = testRes.accuracy();
                boolean best = progress.offer(epoch + 1, validRes, testRes);
                String line = metricsLine(epoch + 1, st, learner.extraLosses(), validRes, testRes, scheduled);
                progress.metricLines.add(line);
                progress.epochsDone = epoch + 1;
                EpochResult result = new EpochResult(epoch + 1, st.loss, st.accuracy, st.samples, st.seconds, validRes,
                        testRes, best, line);
                try {
                    for (TrainingListener l : listeners) {
                        l.epochDone(run, result);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write to " + store.dir(), e);
                }
            }
        }
        return new Summary(epochs, progress.bestTest, finalTest, progress.bestValid, progress.bestEpoch,
                progress.trainSamplesPerSecond(), model.parameterCount(), store.dir());
    }

    private record EpochStats(double loss, double[] extras, double accuracy, double[] rates, long samples,
                              double seconds) {
    }

    private EpochStats trainEpoch(PhaseRun run, int epoch) {
        BinnedSet train = run.sets().train();
        TrainingSettings tr = run.config().training();
        int n = train.size(), batch = tr.batch();
        long seed = tr.seed();
        int[] order = SpikeDataset.Shuffle.permutation(n, seed * 1_000_033L + epoch);
        int batches = (n + batch - 1) / batch;
        double lossSum = 0;
        double[] extraSums = new double[run.learner().extraLosses().size()];
        int correct = 0, seen = 0;
        int layers = run.model().firingLayers();
        double[] spikes = new double[layers], slots = new double[layers];
        long t0 = System.nanoTime();
        for (int bi = 0; bi < batches; bi++) {
            int s = bi * batch, e = Math.min(n, s + batch);
            int[] idx = Arrays.copyOfRange(order, s, e);
            // padded to the longest sample only, as the reference trains (evaluation pads by the model's extension)
            BinnedSet.Batch b = train.batch(idx, 0);
            StepResult r = run.learner().step(b, (seed * 7_777_777L + epoch) * 100_003L + bi, null);
            for (TrainingListener l : listeners) {
                l.stepDone(run, epoch + 1, bi + 1, r);
            }
            lossSum += r.loss() * idx.length;
            for (int k = 0; k < extraSums.length; k++) {
                extraSums[k] += r.extras()[k] * idx.length;
            }
            correct += r.correct();
            seen += idx.length;
            if (r.firing() != null) {
                r.firing().addTo(spikes, slots);
            } else {
                run.model().addFiring(spikes, slots);
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            for (TrainingListener l : listeners) {
                l.batchDone(run, epoch + 1, bi + 1, batches, lossSum / seen, correct, seen, n, elapsed);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] rates = new double[layers];
        for (int k = 0; k < layers; k++) {
            rates[k] = slots[k] == 0 ? 0 : spikes[k] / slots[k];
        }
        double[] extras = new double[extraSums.length];
        for (int k = 0; k < extras.length; k++) {
            extras[k] = extraSums[k] / seen;
        }
        return new EpochStats(lossSum / seen, extras, (double) correct / seen, rates, seen, seconds);
    }

    /** The {@code metrics.jsonl} line of {@code epoch} (counted from 1; docs/training.md). */
    private static String metricsLine(int epoch, EpochStats st, List<String> extraNames, Evaluation.Result valid,
                                      Evaluation.Result test, Map<String, Double> scheduled) {
        ObjectNode m = Json.object();
        m.put("epoch", epoch);
        m.put("train_loss", st.loss);
        for (int k = 0; k < extraNames.size(); k++) {
            m.put(extraNames.get(k), st.extras[k]);
        }
        m.put("train_acc", st.accuracy);
        if (valid != null) {
            m.put("valid_acc", valid.accuracy());
        }
        m.put("test_acc", test.accuracy());
        ArrayNode rates = m.putArray("firing_rate");
        for (double r : st.rates) {
            rates.add(r);
        }
        m.put("samples_per_s", st.samples / st.seconds);
        m.put("eval_samples_per_s", test.samplesPerSecond());
        scheduled.forEach(m::put);
        m.put("epoch_s", st.seconds);
        return m.toString();
    }
}
