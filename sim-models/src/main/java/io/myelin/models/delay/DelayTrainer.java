package io.myelin.models.delay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.SpikeDataset;
import io.myelin.models.layer.SumSoftmaxCrossEntropy;
import io.myelin.models.module.Param;
import io.myelin.models.optim.Adam;
import io.myelin.models.optim.CosineSchedule;
import io.myelin.models.optim.OneCycleSchedule;
import io.myelin.models.optim.ParamGroup;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link DelaySnn} with the SNN-delays recipe: Adam on weights and BatchNorm (one-cycle, beta1 cycled),
 * Adam on positions (cosine), positions clamped after every step, sigma annealed per epoch; evaluation with rounded
 * delays after every epoch. Writes {@code metrics.jsonl} (one line per epoch), an atomic checkpoint per epoch
 * ({@code checkpoint.bin}: a kill loses at most the current epoch, and {@link #resume} continues bit for bit), and
 * the best model by validation accuracy (test accuracy without a validation split, as the reference does).
 *
 * <p>Every random choice derives from the config's seed: initial weights and positions, the per-epoch shuffle, and
 * each batch's dropout masks (seeded by epoch and batch index, so a resumed run draws the very same masks). Results do
 * not depend on the thread count.
 */
public final class DelayTrainer {
    public static final String METRICS = "metrics.jsonl";
    public static final String CHECKPOINT = "checkpoint.bin";

    /** Files and output of one run. */
    public record Inputs(Path train, Path valid, Path test) {
    }

    /** What {@code myelin train --json} prints at the end. */
    public record Summary(int epochs, double bestTestAcc, double finalTestAcc, double bestValidAcc, int bestEpoch,
                          double trainSamplesPerSecond, long parameters, Path modelDir) {
    }

    private final DelaySnnConfig config;
    private final Inputs inputs;
    private final Path out;
    private final PrintStream progress;
    private int stopAfterEpochs = Integer.MAX_VALUE;

    public DelayTrainer(DelaySnnConfig config, Inputs inputs, Path out, PrintStream progress) {
        this.config = config;
        this.inputs = inputs;
        this.out = out;
        this.progress = progress;
    }

    /** Stops (as if killed) after this many epochs of this invocation; for tests of resume. */
    public DelayTrainer stopAfter(int epochs) {
        this.stopAfterEpochs = epochs;
        return this;
    }

    /** Trains from scratch into the output directory (which must not hold a checkpoint already). */
    public Summary train() {
        if (Files.exists(out.resolve(CHECKPOINT))) {
            throw new InvalidInputException(out + " already holds a training run (" + CHECKPOINT + "); use --resume "
                    + out + " to continue it, or choose another --out");
        }
        return run(null);
    }

    /** Continues the run whose checkpoint is in the output directory. */
    public Summary resume() {
        Path ck = out.resolve(CHECKPOINT);
        if (!Files.isRegularFile(ck)) {
            throw new InvalidInputException(out + " holds no checkpoint to resume (" + CHECKPOINT + " is missing)");
        }
        return run(TensorFile.read(ck));
    }

    /** The config stored in a run directory's checkpoint (what {@code --resume} continues with). */
    public static DelaySnnConfig configOf(Path runDir) {
        Path ck = runDir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(ck)) {
            throw new InvalidInputException(runDir + " holds no checkpoint to resume (" + CHECKPOINT + " is missing)");
        }
        try {
            JsonNode h = ModelStore.JSON.readTree(TensorFile.read(ck).header());
            return DelaySnnConfig.fromJson(h.path("config").toString(), ck.toString());
        } catch (IOException e) {
            throw new InvalidInputException(ck + " has a corrupt header: " + e.getMessage());
        }
    }

    private Summary run(TensorFile.Contents checkpoint) {
        TrainingSets sets = TrainingSets.open(config.data(), config.training().seed(), inputs);
        BinnedSet train = sets.train(), valid = sets.valid(), test = sets.test();

        DelaySnnConfig.Training tr = config.training();
        int epochs = tr.epochs();
        DelaySnn model = new DelaySnn(config, train.channels(), sets.trainDs().classes());
        Adam[] opts = optimizers(model, tr);
        Adam optW = opts[0], optP = opts[1];
        ParamGroup weights = optW.groups().get(0), norms = optW.groups().get(1), positions = optP.groups().get(0);
        OneCycleSchedule oneCycle = new OneCycleSchedule(tr.maxLr(), epochs);
        CosineSchedule cosine = new CosineSchedule(tr.positionLr(), epochs);

        RunProgress run = new RunProgress();
        if (checkpoint != null) {
            Path ck = out.resolve(CHECKPOINT);
            JsonNode h = readHeader(checkpoint, ck);
            model.loadState(checkpoint.source(ck));
            optW.restore(adamSnapshot(checkpoint, "adam.w", optW, h.path("adam_w_steps").asLong(), ck));
            optP.restore(adamSnapshot(checkpoint, "adam.p", optP, h.path("adam_p_steps").asLong(), ck));
            run = RunProgress.fromHeader(h);
        }
        try {
            Files.createDirectories(out);
            run.rewriteMetrics(out.resolve(METRICS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + out, e);
        }

        double finalTest = run.lastTestAcc();
        int done = 0;
        try (Workers workers = new Workers(tr.threads())) {
            model.setWorkers(workers);
            for (int epoch = run.epochsDone; epoch < epochs && done < stopAfterEpochs; epoch++, done++) {
                oneCycle.apply(epoch, weights);
                oneCycle.apply(epoch, norms);
                cosine.apply(epoch, positions);
                double lr = weights.lr, posLr = positions.lr, sigma = model.sigma();
                EpochStats st = trainEpoch(model, train, optW, optP, epoch);
                run.trainSeconds += st.seconds;
                run.trainSamples += st.samples;
                model.annealSigma(epoch, epochs);
                Evaluation.Result validRes = valid == null ? null : Evaluation.run(model, valid, tr.batch());
                Evaluation.Result testRes = Evaluation.run(model, test, tr.batch());
                finalTest = testRes.accuracy();
                boolean best = run.offer(epoch, validRes, testRes);
                ObjectNode m = ModelStore.JSON.createObjectNode();
                m.put("epoch", epoch);
                m.put("train_loss", st.loss);
                m.put("train_acc", st.accuracy);
                if (validRes != null) {
                    m.put("valid_acc", validRes.accuracy());
                }
                m.put("test_acc", testRes.accuracy());
                ArrayNode rates = m.putArray("firing_rate");
                for (double r : st.rates) {
                    rates.add(r);
                }
                m.put("samples_per_s", st.samples / st.seconds);
                m.put("eval_samples_per_s", testRes.samplesPerSecond());
                if (!Double.isNaN(sigma)) {
                    m.put("sigma", sigma);
                }
                m.put("lr", lr);
                if (!model.params(Param.Kind.POSITION).isEmpty()) {
                    m.put("position_lr", posLr);
                }
                m.put("epoch_s", st.seconds);
                String line = m.toString();
                run.metricLines.add(line);
                if (progress != null) {
                    progress.printf("epoch %d/%d: loss %.4f, train %.2f%%, %stest %.2f%%, %.1f samples/s%s%n", epoch + 1,
                            epochs, st.loss, 100 * st.accuracy,
                            validRes != null ? String.format("valid %.2f%%, ", 100 * validRes.accuracy()) : "",
                            100 * testRes.accuracy(), st.samples / st.seconds, best ? " (best)" : "");
                }
                try {
                    Files.writeString(out.resolve(METRICS), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                    if (best) {
                        ModelStore.save(out, model, sets.provenance(epoch, config.training().seed(), validRes, testRes));
                    }
                    run.epochsDone = epoch + 1;
                    writeCheckpoint(model, optW, optP, run);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write to " + out, e);
                }
            }
        }
        return new Summary(epochs, run.bestTest, finalTest, run.bestValid, run.bestEpoch, run.trainSamplesPerSecond(),
                model.parameterCount(), out);
    }

    private record EpochStats(double loss, double accuracy, double[] rates, long samples, double seconds) {
    }

    private EpochStats trainEpoch(DelaySnn model, BinnedSet train, Adam optW, Adam optP, int epoch) {
        int n = train.size(), batch = config.training().batch();
        long seed = config.training().seed();
        int[] order = SpikeDataset.Shuffle.permutation(n, seed * 1_000_033L + epoch);
        int batches = (n + batch - 1) / batch;
        double lossSum = 0;
        int correct = 0, seen = 0;
        int layers = model.hiddenLayers();
        double[] spikes = new double[layers], slots = new double[layers];
        long t0 = System.nanoTime();
        for (int bi = 0; bi < batches; bi++) {
            int s = bi * batch, e = Math.min(n, s + batch);
            int[] idx = java.util.Arrays.copyOfRange(order, s, e);
            // padded to the longest sample only, as the reference trains (evaluation pads by the full extension)
            BinnedSet.Batch b = train.batch(idx, 0);
            SumSoftmaxCrossEntropy.Result r = step(model, b, optW, optP, (seed * 7_777_777L + epoch) * 100_003L + bi);
            if (!Double.isFinite(r.loss())) {
                throw new InvalidInputException("training diverged: the loss is " + r.loss() + " in epoch " + epoch
                        + ", batch " + bi + " (lower training.maxLr or check the input data)");
            }
            lossSum += r.loss() * idx.length;
            for (int k = 0; k < idx.length; k++) {
                if (r.predicted(k) == b.labels()[k]) {
                    correct++;
                }
            }
            seen += idx.length;
            for (int k = 0; k < layers; k++) {
                SeqTensor h = model.hiddenSpikes(k);
                double sum = 0;
                for (float x : h.data) {
                    sum += x;
                }
                spikes[k] += sum;
                slots[k] += h.data.length;
            }
            if (progress != null) {
                double el = (System.nanoTime() - t0) / 1e9;
                double rate = seen / el;
                int width = 24, fill = (int) Math.round(width * (bi + 1.0) / batches);
                progress.printf("\repoch %d/%d [%s%s] %d/%d loss %.4f acc %.1f%% %.1f samples/s ETA %.0fs ",
                        epoch + 1, config.training().epochs(), "#".repeat(fill), ".".repeat(width - fill), bi + 1, batches,
                        lossSum / seen, 100.0 * correct / seen, rate, (n - seen) / Math.max(rate, 1e-9));
                if (bi == batches - 1) {
                    progress.print("\n");
                }
                progress.flush();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] rates = new double[layers];
        for (int k = 0; k < layers; k++) {
            rates[k] = slots[k] == 0 ? 0 : spikes[k] / slots[k];
        }
        return new EpochStats(lossSum / seen, (double) correct / seen, rates, seen, seconds);
    }

    /** One optimisation step on a batch: forward, loss, backward, both optimizers, position clamping. */
    static SumSoftmaxCrossEntropy.Result step(DelaySnn model, BinnedSet.Batch b, Adam optW, Adam optP, long dropoutSeed) {
        return step(model, b, optW, optP, dropoutSeed, null);
    }

    /** One optimisation step; with {@code times}, the loss and the optimizer are timed as stages too. */
    static SumSoftmaxCrossEntropy.Result step(DelaySnn model, BinnedSet.Batch b, Adam optW, Adam optP, long dropoutSeed,
                                              StageTimes times) {
        SeqTensor v = model.forward(b.x(), b.lengths(), true, dropoutSeed);
        long t0 = System.nanoTime();
        SumSoftmaxCrossEntropy.Result r = SumSoftmaxCrossEntropy.evaluate(v, model.validSteps(), b.labels());
        long t1 = System.nanoTime();
        optW.zeroGrad();
        optP.zeroGrad();
        model.backward(r.gradV());
        long t2 = System.nanoTime();
        optW.step();
        optP.step();
        model.clampPositions();
        if (times != null) {
            times.add("loss", t1 - t0);
            times.add("optimizer", System.nanoTime() - t2);
        }
        return r;
    }

    /** The recipe's optimizers for {@code model}: weights and BatchNorm (one-cycle), positions (cosine). */
    static Adam[] optimizers(DelaySnn model, DelaySnnConfig.Training tr) {
        return new Adam[]{
                new Adam(List.of(new ParamGroup("weights", model.params(Param.Kind.WEIGHT), tr.maxLr(), tr.weightDecay()),
                        new ParamGroup("batchnorm", model.params(Param.Kind.NORM), tr.maxLr(), 0))),
                new Adam(List.of(new ParamGroup("positions", model.params(Param.Kind.POSITION), tr.positionLr(), 0)))};
    }

    private void writeCheckpoint(DelaySnn model, Adam optW, Adam optP, RunProgress run) throws IOException {
        ObjectNode h = ModelStore.JSON.createObjectNode();
        h.put("format", "myelin-delay-checkpoint");
        h.put("adam_w_steps", optW.steps());
        h.put("adam_p_steps", optP.steps());
        run.writeTo(h);
        h.set("config", ModelStore.JSON.readTree(config.toJson()));
        Map<String, float[]> t = new LinkedHashMap<>(model.state());
        putAdam(t, "adam.w", optW);
        putAdam(t, "adam.p", optP);
        TensorFile.write(out.resolve(CHECKPOINT), h.toString(), t);
    }

    private static void putAdam(Map<String, float[]> t, String prefix, Adam opt) {
        Adam.Snapshot s = opt.snapshot();
        for (int k = 0; k < s.m().size(); k++) {
            t.put(prefix + ".m." + k, s.m().get(k));
            t.put(prefix + ".v." + k, s.v().get(k));
        }
    }

    private static Adam.Snapshot adamSnapshot(TensorFile.Contents c, String prefix, Adam opt, long steps, Path from) {
        List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
        int k = 0;
        for (ParamGroup g : opt.groups()) {
            for (var p : g.params) {
                m.add(c.tensor(prefix + ".m." + k, p.value.length, from));
                v.add(c.tensor(prefix + ".v." + k, p.value.length, from));
                k++;
            }
        }
        return new Adam.Snapshot(steps, m, v);
    }

    private JsonNode readHeader(TensorFile.Contents c, Path from) {
        try {
            JsonNode h = ModelStore.JSON.readTree(c.header());
            if (!"myelin-delay-checkpoint".equals(h.path("format").asText())) {
                throw new InvalidInputException(from + " is not a delay-SNN training checkpoint");
            }
            DelaySnnConfig saved = DelaySnnConfig.fromJson(h.path("config").toString(), from.toString());
            if (!saved.withThreads(config.training().threads()).equals(config)) {
                throw new InvalidInputException(from + " was written with a different config; resume with the same "
                        + "config (epochs, batch, seed and model included)");
            }
            return h;
        } catch (IOException e) {
            throw new InvalidInputException(from + " has a corrupt header: " + e.getMessage());
        }
    }
}
