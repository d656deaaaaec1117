package io.myelin.models.qsd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.SpikeDataset;
import io.myelin.models.delay.BinnedSet;
import io.myelin.models.delay.DelayTrainer;
import io.myelin.models.delay.Evaluation;
import io.myelin.models.delay.ModelStore;
import io.myelin.models.delay.RunProgress;
import io.myelin.models.delay.TensorFile;
import io.myelin.models.delay.TrainingSets;
import io.myelin.models.layer.IeLif;
import io.myelin.models.layer.SoftmaxCrossEntropy;
import io.myelin.models.layer.SumSoftmaxCrossEntropy;
import io.myelin.models.module.Param;
import io.myelin.models.optim.Adam;
import io.myelin.models.optim.CosineSchedule;
import io.myelin.models.optim.ParamGroup;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link QsdTransformer}: Adam with parameter groups (weights with weight decay; BatchNorm and LSQ steps
 * without; embedding delay positions at their own rate), cosine-annealed per epoch, evaluation after every epoch.
 * Writes {@code metrics.jsonl}, an atomic {@code checkpoint.bin} per epoch ({@link #resume} continues bit for bit)
 * and the best model by validation accuracy (test accuracy without a validation split) with packed weights.
 *
 * <p>With distillation enabled, the float-weight teacher of the same architecture is trained first (in
 * {@code DIR/teacher}, itself resumable), then the quantized student minimises cross-entropy plus
 * {@code weight x} the mean squared difference between its Q, K, V spike values and the teacher's (evaluation-mode
 * teacher on the same batch): the fine-grained alignment of the Q-SDSA distributions.
 */
public final class QsdTrainer {
    public static final String TEACHER_DIR = "teacher";
    private static final String CK_FORMAT = "myelin-qsd-checkpoint";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QsdConfig config;
    private final DelayTrainer.Inputs inputs;
    private final Path out;
    private final PrintStream progress;
    private int stopAfterEpochs = Integer.MAX_VALUE;

    public QsdTrainer(QsdConfig config, DelayTrainer.Inputs inputs, Path out, PrintStream progress) {
        this.config = config;
        this.inputs = inputs;
        this.out = out;
        this.progress = progress;
    }

    /** Stops (as if killed) after this many epochs of this invocation; for tests of resume. */
    public QsdTrainer stopAfter(int epochs) {
        this.stopAfterEpochs = epochs;
        return this;
    }

    public DelayTrainer.Summary train() {
        if (Files.exists(out.resolve(DelayTrainer.CHECKPOINT))) {
            throw new InvalidInputException(out + " already holds a training run (" + DelayTrainer.CHECKPOINT
                    + "); use --resume " + out + " to continue it, or choose another --out");
        }
        return run(false);
    }

    public DelayTrainer.Summary resume() {
        if (!Files.isRegularFile(out.resolve(DelayTrainer.CHECKPOINT))
                && !Files.isDirectory(out.resolve(TEACHER_DIR))) {
            throw new InvalidInputException(out + " holds no checkpoint to resume (" + DelayTrainer.CHECKPOINT
                    + " is missing)");
        }
        return run(true);
    }

    /** The config stored in a run directory's checkpoint. */
    public static QsdConfig configOf(Path runDir) {
        Path ck = runDir.resolve(DelayTrainer.CHECKPOINT);
        if (!Files.isRegularFile(ck)) {
            throw new InvalidInputException(runDir + " holds no checkpoint to resume (" + DelayTrainer.CHECKPOINT
                    + " is missing)");
        }
        try {
            return QsdConfig.fromJson(JSON.readTree(TensorFile.read(ck).header()).path("config").toString(), ck.toString());
        } catch (IOException e) {
            throw new InvalidInputException(ck + " has a corrupt header: " + e.getMessage());
        }
    }

    /** Whether a run directory's checkpoint is a QSD-Transformer's. */
    public static boolean isQsdRun(Path runDir) {
        Path ck = runDir.resolve(DelayTrainer.CHECKPOINT);
        if (!Files.isRegularFile(ck)) {
            return false;
        }
        try {
            return CK_FORMAT.equals(JSON.readTree(TensorFile.read(ck).header()).path("format").asText());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private DelayTrainer.Summary run(boolean resuming) {
        QsdTransformer teacher = null;
        if (config.distillation().enabled()) {
            teacher = teacher(resuming);
        }
        TensorFile.Contents checkpoint = resuming && Files.isRegularFile(out.resolve(DelayTrainer.CHECKPOINT))
                ? TensorFile.read(out.resolve(DelayTrainer.CHECKPOINT)) : null;
        TrainingSets sets = TrainingSets.open(config.data(), config.training().seed(), inputs);
        QsdConfig.Training tr = config.training();
        int epochs = tr.epochs();
        QsdTransformer model = new QsdTransformer(config, sets.train().channels(), sets.trainDs().classes());
        Adam opt = optimizer(model, tr);
        CosineSchedule cosW = new CosineSchedule(tr.lr(), epochs), cosP = new CosineSchedule(tr.positionLr(), epochs);

        RunProgress run = new RunProgress();
        if (checkpoint != null) {
            Path ck = out.resolve(DelayTrainer.CHECKPOINT);
            JsonNode h = header(checkpoint, ck);
            QsdConfig saved = QsdConfig.fromJson(h.path("config").toString(), ck.toString());
            if (!saved.withThreads(config.training().threads()).equals(config)) {
                throw new InvalidInputException(ck + " was written with a different config; resume with the same "
                        + "config (epochs, batch, seed and model included)");
            }
            model.loadState((name, len) -> checkpoint.tensor(name, len, ck));
            restoreAdam(opt, checkpoint, h.path("adam_steps").asLong(), ck);
            run = RunProgress.fromHeader(h);
        }
        try {
            Files.createDirectories(out);
            run.rewriteMetrics(out.resolve(DelayTrainer.METRICS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + out, e);
        }
        double finalTest = run.lastTestAcc();
        int done = 0;
        try (Workers workers = new Workers(tr.threads())) {
            model.setWorkers(workers);
            if (teacher != null) {
                teacher.setWorkers(workers);
            }
            for (int epoch = run.epochsDone; epoch < epochs && done < stopAfterEpochs; epoch++, done++) {
                for (ParamGroup g : opt.groups()) {
                    (g.name.equals("positions") ? cosP : cosW).apply(epoch, g);
                }
                double lr = opt.groups().get(0).lr;
                EpochStats st = trainEpoch(model, teacher, sets.train(), opt, epoch);
                run.trainSeconds += st.seconds;
                run.trainSamples += st.samples;
                model.annealSigma(epoch, epochs);
                Evaluation.Result validRes = sets.valid() == null ? null : QsdEvaluation.run(model, sets.valid(), tr.batch());
                Evaluation.Result testRes = QsdEvaluation.run(model, sets.test(), tr.batch());
                finalTest = testRes.accuracy();
                boolean best = run.offer(epoch, validRes, testRes);
                ObjectNode m = JSON.createObjectNode();
                m.put("epoch", epoch);
                m.put("train_loss", st.loss);
                if (teacher != null) {
                    m.put("distill_loss", st.distill);
                }
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
                m.put("lr", lr);
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
                    Files.writeString(out.resolve(DelayTrainer.METRICS), line + "\n", StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                    if (best) {
                        QsdStore.save(out, model, sets.provenance(epoch, config.training().seed(), validRes, testRes));
                    }
                    run.epochsDone = epoch + 1;
                    writeCheckpoint(model, opt, run);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write to " + out, e);
                }
            }
        }
        return new DelayTrainer.Summary(epochs, run.bestTest, finalTest, run.bestValid, run.bestEpoch,
                run.trainSamplesPerSecond(), model.parameterCount(), out);
    }

    /** The trained teacher: trained (or resumed, or reused when finished) in {@code DIR/teacher}. */
    private QsdTransformer teacher(boolean resuming) {
        Path dir = out.resolve(TEACHER_DIR);
        QsdConfig tc = config.asFloatTeacher();
        QsdTrainer t = new QsdTrainer(tc, inputs, dir, progress == null ? null : new PrintStream(progress, true) {
            @Override
            public PrintStream printf(String format, Object... args) {
                return super.printf("[teacher] " + format, args);
            }
        });
        if (Files.isRegularFile(dir.resolve(DelayTrainer.CHECKPOINT))) {
            if (!resuming) {
                throw new InvalidInputException(dir + " already holds a teacher run; use --resume " + out);
            }
            int done = header(TensorFile.read(dir.resolve(DelayTrainer.CHECKPOINT)), dir).path("epochs_done").asInt();
            if (done < tc.training().epochs()) {
                t.resume();
            }
        } else {
            t.train();
        }
        return QsdStore.load(dir);
    }

    private record EpochStats(double loss, double distill, double accuracy, double[] rates, long samples,
                              double seconds) {
    }

    private EpochStats trainEpoch(QsdTransformer model, QsdTransformer teacher, BinnedSet train, Adam opt, int epoch) {
        int n = train.size(), batch = config.training().batch();
        long seed = config.training().seed();
        int[] order = SpikeDataset.Shuffle.permutation(n, seed * 1_000_033L + epoch);
        int batches = (n + batch - 1) / batch;
        double lossSum = 0, distillSum = 0;
        int correct = 0, seen = 0;
        List<IeLif> neurons = neurons(model);
        double[] spikes = new double[neurons.size()], slots = new double[neurons.size()];
        long t0 = System.nanoTime();
        for (int bi = 0; bi < batches; bi++) {
            int s = bi * batch, e = Math.min(n, s + batch);
            int[] idx = java.util.Arrays.copyOfRange(order, s, e);
            BinnedSet.Batch b = train.batch(idx, 0);
            StepResult r = step(model, teacher, b, opt, config.distillation().weight());
            if (!Double.isFinite(r.loss)) {
                throw new InvalidInputException("training diverged: the loss is " + r.loss + " in epoch " + epoch
                        + ", batch " + bi + " (lower training.lr or check the input data)");
            }
            // a NaN membrane emits no spikes, so a diverged model can keep a finite loss: check the parameters too
            for (Param p : model.params()) {
                for (float v : p.value) {
                    if (!Float.isFinite(v)) {
                        throw new InvalidInputException("training diverged: parameter " + p.name + " holds " + v
                                + " after epoch " + epoch + ", batch " + bi + " (lower training.lr)");
                    }
                }
            }
            lossSum += r.loss * idx.length;
            distillSum += r.distill * idx.length;
            correct += r.correct;
            seen += idx.length;
            for (int k = 0; k < neurons.size(); k++) {
                byte[] c = neurons.get(k).counts();
                long sum = 0;
                for (byte x : c) {
                    sum += x;
                }
                spikes[k] += sum / (double) neurons.get(k).levels();
                slots[k] += c.length;
            }
            if (progress != null) {
                double el = (System.nanoTime() - t0) / 1e9, rate = seen / el;
                int width = 24, fill = (int) Math.round(width * (bi + 1.0) / batches);
                progress.printf("\repoch %d/%d [%s%s] %d/%d loss %.4f acc %.1f%% %.1f samples/s ETA %.0fs ",
                        epoch + 1, config.training().epochs(), "#".repeat(fill), ".".repeat(width - fill), bi + 1,
                        batches, lossSum / seen, 100.0 * correct / seen, rate, (n - seen) / Math.max(rate, 1e-9));
                if (bi == batches - 1) {
                    progress.print("\n");
                }
                progress.flush();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] rates = new double[neurons.size()];
        for (int k = 0; k < rates.length; k++) {
            rates[k] = slots[k] == 0 ? 0 : spikes[k] / slots[k];
        }
        return new EpochStats(lossSum / seen, distillSum / seen, (double) correct / seen, rates, seen, seconds);
    }

    /** IE-LIF neurons in data-flow order (firing rates in metrics.jsonl follow this order). */
    public static List<IeLif> neurons(QsdTransformer model) {
        List<IeLif> l = new ArrayList<>();
        for (SpikingTransformerBlock b : model.blocks()) {
            l.addAll(b.attention().neurons());
            l.addAll(b.mlp().neurons());
        }
        l.add(model.outputNeuron());
        return l;
    }

    record StepResult(double loss, double distill, int correct) {
    }

    /** One optimisation step: forward, loss (plus distillation), backward, Adam, position clamping. */
    static StepResult step(QsdTransformer model, QsdTransformer teacher, BinnedSet.Batch b, Adam opt, double weight) {
        float[][] logits = model.forward(b.x(), b.lengths(), true);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(logits, b.labels());
        double distill = 0;
        if (teacher != null) {
            teacher.forward(b.x(), b.lengths(), false);
            distill = Distillation.addGradients(model, teacher, weight);
        }
        opt.zeroGrad();
        model.backward(r.gradLogits());
        opt.step();
        model.clampPositions();
        int correct = 0;
        for (int k = 0; k < logits.length; k++) {
            if (SumSoftmaxCrossEntropy.argmax(logits[k]) == b.labels()[k]) {
                correct++;
            }
        }
        return new StepResult(r.loss() + distill, distill, correct);
    }

    static Adam optimizer(QsdTransformer model, QsdConfig.Training tr) {
        List<Param> normAndSteps = new ArrayList<>(model.params(Param.Kind.NORM));
        normAndSteps.addAll(model.params(Param.Kind.STEP));
        List<ParamGroup> groups = new ArrayList<>(List.of(
                new ParamGroup("weights", model.params(Param.Kind.WEIGHT), tr.lr(), tr.weightDecay()),
                new ParamGroup("norms-steps", normAndSteps, tr.lr(), 0)));
        if (!model.params(Param.Kind.POSITION).isEmpty()) {
            groups.add(new ParamGroup("positions", model.params(Param.Kind.POSITION), tr.positionLr(), 0));
        }
        return new Adam(groups);
    }

    private void writeCheckpoint(QsdTransformer model, Adam opt, RunProgress run) throws IOException {
        ObjectNode h = JSON.createObjectNode();
        h.put("format", CK_FORMAT);
        h.put("adam_steps", opt.steps());
        run.writeTo(h);
        h.set("config", JSON.readTree(config.toJson()));
        Map<String, float[]> t = new LinkedHashMap<>(model.state());
        Adam.Snapshot s = opt.snapshot();
        for (int k = 0; k < s.m().size(); k++) {
            t.put("adam.m." + k, s.m().get(k));
            t.put("adam.v." + k, s.v().get(k));
        }
        TensorFile.write(out.resolve(DelayTrainer.CHECKPOINT), h.toString(), t);
    }

    private static void restoreAdam(Adam opt, TensorFile.Contents c, long steps, Path from) {
        List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
        int k = 0;
        for (ParamGroup g : opt.groups()) {
            for (Param p : g.params) {
                m.add(c.tensor("adam.m." + k, p.value.length, from));
                v.add(c.tensor("adam.v." + k, p.value.length, from));
                k++;
            }
        }
        opt.restore(new Adam.Snapshot(steps, m, v));
    }

    private JsonNode header(TensorFile.Contents c, Path from) {
        try {
            JsonNode h = JSON.readTree(c.header());
            if (!CK_FORMAT.equals(h.path("format").asText())) {
                throw new InvalidInputException(from + " is not a QSD-Transformer training checkpoint");
            }
            return h;
        } catch (IOException e) {
            throw new InvalidInputException(from + " has a corrupt header: " + e.getMessage());
        }
    }
}
