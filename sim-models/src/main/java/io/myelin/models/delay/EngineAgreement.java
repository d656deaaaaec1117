package io.myelin.models.delay;

import io.myelin.core.engine.EngineOptions;
import io.myelin.core.engine.Engines;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.tensor.Workers;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Runs every sample of a data set through the exported network in an engine (clock-driven, or event-driven in its
 * discrete-time mode) and compares the engine's predictions with the trained model's (rounded-delay) predictions.
 */
public final class EngineAgreement {
    private EngineAgreement() {
    }

    /** Per-sample engine predictions and how many equal the model's. */
    public record Result(int[] enginePredictions, int agreeing, int correct, int samples, double seconds) {
        public double agreement() {
            return samples == 0 ? 1 : (double) agreeing / samples;
        }

        public double engineAccuracy() {
            return samples == 0 ? 0 : (double) correct / samples;
        }

        public double samplesPerSecond() {
            return seconds > 0 ? samples / seconds : 0;
        }
    }

    public static Result check(DelaySnn model, BinnedSet data, int[] modelPredictions) {
        return check(model, data, modelPredictions, Engines.CLOCK);
    }

    /** As {@link #check(DelaySnn, BinnedSet, int[])} on engine {@code engine} (one of {@link Engines#names()}). */
    public static Result check(DelaySnn model, BinnedSet data, int[] modelPredictions, String engine) {
        return check(model, data, modelPredictions, engine, Workers.serial());
    }

    /**
     * As {@link #check(DelaySnn, BinnedSet, int[], String)}, the samples split over {@code workers}; compiling the
     * network is part of the time (see {@link Session} to keep the engines for several checks).
     */
    public static Result check(DelaySnn model, BinnedSet data, int[] modelPredictions, String engine, Workers workers) {
        long t0 = System.nanoTime();
        try (Session s = new Session(model, engine, EngineOptions.defaults(), workers)) {
            Result r = s.check(data, modelPredictions);
            return new Result(r.enginePredictions, r.agreeing, r.correct, r.samples, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * The exported network held in one engine per thread, each compiled once ({@link EngineExport#runner}) and kept
     * for every check of this session; the predictions do not depend on how the samples are split.
     */
    public static final class Session implements AutoCloseable {
        private final EngineExport export;
        private final String engine;
        private final EngineOptions options;
        private final Workers workers;
        private final ConcurrentLinkedDeque<EngineExport.Runner> idle = new ConcurrentLinkedDeque<>();
        /**
         * The last data set's samples as engine input, prepared by the first check that runs them (each index by the
         * one thread that takes it; the next check sees them after the workers' join).
         */
        private BinnedSet preparedFor;
        private EngineExport.Input[] inputs;
        private final java.util.concurrent.atomic.AtomicLong prepareNanos = new java.util.concurrent.atomic.AtomicLong();

        public Session(DelaySnn model, String engine, EngineOptions options, Workers workers) {
            this.engine = Engines.checkName(engine);
            this.export = new EngineExport(model);
            this.options = options;
            this.workers = workers;
        }

        /**
         * Engine predictions for every sample of {@code data}; the time excludes compiling engines made earlier and
         * preparing samples an earlier check of the same data set prepared ({@link #prepareSeconds}).
         */
        public Result check(BinnedSet data, int[] modelPredictions) {
            long t0 = System.nanoTime();
            int n = data.size();
            int[] pred = new int[n];
            // one sample at a time to whichever thread is free
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            if (data != preparedFor) {
                preparedFor = data;
                inputs = new EngineExport.Input[n];
                prepareNanos.set(0);
            }
            EngineExport.Input[] in = inputs;
            workers.forRangeEven(Math.min(n, workers.threads()), (w0, w1) -> {
                EngineExport.Runner r = idle.poll();
                if (r == null) {
                    r = export.runner(engine, options);
                }
                try {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        if (in[i] == null) {
                            long p0 = System.nanoTime();
                            in[i] = r.prepare(data.sample(i), data.channels());
                            prepareNanos.addAndGet(System.nanoTime() - p0);
                        }
                        pred[i] = SumSoftmaxCrossEntropy.argmax(r.logits(in[i]));
                    }
                } finally {
                    idle.push(r);
                }
            });
            int agree = 0, correct = 0;
            for (int i = 0; i < n; i++) {
                if (pred[i] == modelPredictions[i]) {
                    agree++;
                }
                if (pred[i] == data.label(i)) {
                    correct++;
                }
            }
            return new Result(pred, agree, correct, n, (System.nanoTime() - t0) / 1e9);
        }

        /**
         * Thread-seconds spent preparing the last data set's samples as engine input ({@link EngineExport.Runner#prepare}),
         * once per sample, in the checks that first ran them.
         */
        public double prepareSeconds() {
            return prepareNanos.get() / 1e9;
        }

        @Override
        public void close() {
            for (EngineExport.Runner r : idle) {
                r.close();
            }
            idle.clear();
        }
    }
}
