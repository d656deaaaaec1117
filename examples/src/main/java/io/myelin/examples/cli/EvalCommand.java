package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.engine.EngineOptions;
import io.myelin.core.engine.Engines;
import io.myelin.core.json.Json;
import io.myelin.kernels.quant.IntegerOps;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.delay.DelaySnn;
import io.myelin.models.delay.EngineAgreement;
import io.myelin.models.qsd.QsdIntegerCheck;
import io.myelin.models.qsd.QsdTransformer;
import io.myelin.models.inference.EarlyExitSettings;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code myelin eval}: accuracy of a trained model (rounded delays), optionally checked sample by sample against the
 * exported network in the clock-driven engine.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained delay SNN (--engine: also run every sample through the exported network) or"
                + " QSD-Transformer (--integer: also run the integer inference path).")
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    JsonOption jsonOption;

    @Option(names = "--model", required = true, description = "run directory holding model.json and the weights file"
            + " it names (model-eE.bin)")
    Path model;

    @Option(names = "--test", required = true, description = "SHD/SSC-format HDF5 file")
    Path test;

    @Option(names = "--engine", arity = "0..1", fallbackValue = "clock", description = "also run the exported network"
            + " in an engine, clock (default) or event (the event-driven engine's discrete-time mode), and report"
            + " prediction agreement")
    String engine;

    @Option(names = "--integer", arity = "0..1", fallbackValue = "java", description = "QSD-Transformer models: also"
            + " run the exported integer model (backend java, the default, opencl or opencl:DEVICE) and report agreement with the"
            + " float-simulated quantized model")
    String integer;

    @Option(names = "--samples", defaultValue = "0", description = "first N samples only (0: all)")
    int samples;

    @Option(names = "--batch", defaultValue = "64", description = "evaluation batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Mixin
    EarlyExitOptions earlyExit = new EarlyExitOptions();

    @Option(names = "--threads", description = "worker threads; results do not depend on them (default: the available"
            + " processors)")
    Integer threadsOption;

    /** Resolved {@code --threads}. */
    private int threads;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed passes over " + WARMUP_SAMPLES
            + " samples of every length before the timed one, so that the JIT has compiled the inference kernels and"
            + " the engines hold the compiled network (default: ${DEFAULT-VALUE}; their time is reported as warmup_s)")
    int warmup;

    static final int WARMUP_SAMPLES = 100;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** What the model was trained on (null: not recorded), checked against the test file. */
    private io.myelin.models.data.TrainedOn trainedOn;

    @Override
    public Integer call() {
        if (samples < 0) {
            throw new InvalidInputException("--samples must be >= 0, got " + samples);
        }
        if (batch < 1) {
            throw new InvalidInputException("--batch must be >= 1, got " + batch);
        }
        threads = threadsOption == null ? Runtime.getRuntime().availableProcessors() : threadsOption;
        if (threads < 1) {
            throw new InvalidInputException("--threads must be >= 1, got " + threads);
        }
        ThreadCount.warnAboveCores(threads, spec.commandLine().getErr());
        if (warmup < 0) {
            throw new InvalidInputException("--warmup must be >= 0, got " + warmup);
        }
        if (engine != null) {
            Engines.checkName(engine);
        }
        if (integer != null) {
            IntegerBackends.checkName(integer);
        }
        EarlyExitSettings early = earlyExit.settings(engine, integer, threads);
        if (!java.nio.file.Files.isDirectory(model)) {
            throw new InvalidInputException("--model " + model + ": no such directory");
        }
        io.myelin.core.data.Hdf5SpikeDataset.checkHeader(test, "--test");
        RunStore store = RunStore.of(model);
        TrainedModel loaded = store.loadModel();
        trainedOn = store.trainedOn();
        if (early != null) {
            return evalEarlyExit(loaded, early);
        }
        if (loaded instanceof QsdTransformer q) {
            return evalQsd(q);
        }
        if (integer != null) {
            throw new InvalidInputException("--integer applies to QSD-Transformer models; " + model + " is not one");
        }
        if (!(loaded instanceof DelaySnn m)) {
            throw new InvalidInputException("eval does not know models of kind '" + loaded.config().kind() + "'");
        }
        BinnedSet data = BinnedSet.forModel(m.config().data(), m.inputs(), trainedOn, test, samples);
        Evaluation.Result r;
        EngineAgreement.Result a;
        double warmupSeconds;
        try (Workers workers = new Workers(threads);
             EngineAgreement.Session session = engine == null ? null
                     : new EngineAgreement.Session(m, engine, EngineOptions.defaults(), workers)) {
            m.setWorkers(workers);
            long w0 = System.nanoTime();
            BinnedSet head = data.spreadByLength(WARMUP_SAMPLES);
            for (int k = 0; k < warmup; k++) {
                Evaluation.Result h = Evaluation.run(m, head, batch);
                if (session != null) {
                    session.check(head, h.predictions());
                }
            }
            warmupSeconds = (System.nanoTime() - w0) / 1e9;
            r = Evaluation.run(m, data, batch);
            a = session == null ? null : session.check(data, r.predictions());
        }
        var o = spec.commandLine().getOut();
        if (jsonOption.json) {
            ObjectNode n = json(r);
            n.put("threads", threads);
            n.put("batch", batch);
            n.put("warmup_s", warmupSeconds);
            if (a != null) {
                n.put("engine", engine);
                n.put("agreement", a.agreement());
                n.put("engine_accuracy", a.engineAccuracy());
                n.put("engine_samples_per_s", a.samplesPerSecond());
            }
            o.println(n);
        } else {
            o.printf("accuracy %.2f%% on %d samples (%.1f samples/s)%n", 100 * r.accuracy(), r.samples(), r.samplesPerSecond());
            if (a != null) {
                o.printf(engine + " engine: predictions agree on %d of %d samples (%.2f%%), engine accuracy %.2f%% (%.1f samples/s)%n",
                        a.agreeing(), a.samples(), 100 * a.agreement(), 100 * a.engineAccuracy(), a.samplesPerSecond());
            }
        }
        o.flush();
        return 0;
    }

    /** Today's accuracy line, then the evaluation under Dynamic Confidence ({@link EarlyExitOptions}). */
    private int evalEarlyExit(TrainedModel m, EarlyExitSettings early) {
        BinnedSet data = BinnedSet.forModel(m.config().data(), m.inputs(), trainedOn, test, samples);
        Evaluation.Result r = Evaluation.run(m, data, batch);
        var o = spec.commandLine().getOut();
        ObjectNode n = jsonOption.json ? json(r) : null;
        if (n == null) {
            o.printf("accuracy %.2f%% on %d samples (%.1f samples/s)%n", 100 * r.accuracy(), r.samples(), r.samplesPerSecond());
        }
        try (IntegerOps ops = integer == null ? null : IntegerBackends.open(integer)) {
            earlyExit.run(early, m, model, test, data, r.accuracy(), ops, n, o, spec.commandLine().getErr());
        }
        if (n != null) {
            o.println(n);
        }
        o.flush();
        return 0;
    }

    private int evalQsd(QsdTransformer m) {
        if (engine != null) {
            throw new InvalidInputException("--engine applies to delay-SNN models; for a QSD-Transformer use --integer");
        }
        BinnedSet data = BinnedSet.forModel(m.config().data(), m.inputs(), trainedOn, test, samples);
        Evaluation.Result r = Evaluation.run(m, data, batch);
        QsdIntegerCheck.Result a = null;
        if (integer != null) {
            try (IntegerOps ops = IntegerBackends.open(integer)) {
                a = QsdIntegerCheck.run(m, data, batch, ops);
            }
        }
        var o = spec.commandLine().getOut();
        if (jsonOption.json) {
            ObjectNode n = json(r);
            if (a != null) {
                n.put("integer_backend", a.backend());
                n.put("agreement", a.agreement());
                n.put("identical_logits", a.identicalLogits());
                n.put("integer_accuracy", a.accuracy());
                n.put("integer_samples_per_s", a.samplesPerSecond());
            }
            o.println(n);
        } else {
            o.printf("accuracy %.2f%% on %d samples (%.1f samples/s, float-simulated %s weights)%n", 100 * r.accuracy(),
                    r.samples(), r.samplesPerSecond(), m.config().bitWidth() == null ? "float32"
                            : m.config().bitWidth().nominalBits + "-bit");
            if (a != null) {
                o.printf("integer path (%s): predictions agree on %d of %d samples (%.2f%%), logits identical on %d,"
                                + " accuracy %.2f%% (%.1f samples/s)%n", a.backend(), a.agreeing(), a.samples(),
                        100 * a.agreement(), a.identicalLogits(), 100 * a.accuracy(), a.samplesPerSecond());
            }
        }
        o.flush();
        return 0;
    }

    /** The JSON line's keys for the model itself. */
    private static ObjectNode json(Evaluation.Result r) {
        ObjectNode n = Json.object();
        n.put("accuracy", r.accuracy());
        n.put("samples", r.samples());
        n.put("samples_per_s", r.samplesPerSecond());
        return n;
    }
}
