package io.myelin.models.delay;

import io.myelin.core.energy.ModelActivity;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.module.Param;
import io.myelin.models.optim.Adam;
import io.myelin.models.optim.CosineSchedule;
import io.myelin.models.optim.OneCycleSchedule;
import io.myelin.models.optim.ParamGroup;
import io.myelin.models.tensor.KernelWarmup;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Learner;
import io.myelin.models.train.Optimization;
import io.myelin.models.train.Phase;
import io.myelin.models.train.Recipe;
import io.myelin.models.train.StageTimes;
import io.myelin.models.train.StepResult;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a {@link DelaySnn} trains, the SNN-delays recipe: Adam on weights and BatchNorm (one-cycle, beta1 cycled), Adam
 * on positions (cosine), positions clamped after every step, SIG annealed per epoch, loss the cross-entropy of
 * {@code sum_t softmax(V_t)}; each batch's dropout masks seeded by its step seed. Saved as its state, unchanged.
 */
public final class DelayRecipe extends Recipe<DelaySnnConfig, DelaySnn> {
    /** The {@code "format"} of a delay SNN's {@code model.json}. */
    public static final String MODEL_FORMAT = "myelin-delay-snn";

    public DelayRecipe() {
        super(DelaySnnConfig.KIND, "delay-SNN", MODEL_FORMAT, "myelin-delay-checkpoint", DelaySnnConfig.class,
                DelaySnn.class);
    }

    @Override
    public DelaySnnConfig readConfig(String json, String where) {
        return DelaySnnConfig.fromJson(json, where);
    }

    /** A network whose hidden layers alone make the warm-up worth it starts it while the data loads. */
    @Override
    public void beforeData(DelaySnnConfig config) {
        if (DelaySnn.warmsUpBeforeData(config.model().hidden())) {
            KernelWarmup.startInBackground();
        }
    }

    @Override
    public DelaySnn build(DelaySnnConfig config, int inputs, int classes) {
        return new DelaySnn(config, inputs, classes);
    }

    @Override
    public Learner learner(DelaySnnConfig config, DelaySnn model, Phase<DelaySnnConfig> phase, Path runDir) {
        return new Learning(model, config.training());
    }

    @Override
    public ModelActivity activity(DelaySnn model, BinnedSet data, String name, String dataName, int rasterSample) {
        return DelaySnnActivity.run(model, data, name, model.config().name() + " on " + dataName + ", " + data.size()
                + " samples, rounded delays, BatchNorm folded", 64, rasterSample);
    }

    /** One run's training of a delay SNN. */
    static final class Learning implements Learner {
        private final DelaySnn model;
        private final ParamGroup weights;
        private final ParamGroup positions;
        private final Optimization optimization;
        private final Adam weightAdam;
        private final Adam positionAdam;
        private Workers workers = Workers.serial();

        Learning(DelaySnn model, DelaySnnConfig.Training tr) {
            this.model = model;
            Adam w = new Adam(List.of(new ParamGroup("weights", model.params(Param.Kind.WEIGHT), tr.maxLr(),
                    tr.weightDecay()), new ParamGroup("batchnorm", model.params(Param.Kind.NORM), tr.maxLr(), 0)));
            Adam p = new Adam(List.of(new ParamGroup("positions", model.params(Param.Kind.POSITION), tr.positionLr(), 0)));
            this.weightAdam = w;
            this.positionAdam = p;
            this.weights = w.groups().get(0);
            this.positions = p.groups().get(0);
            OneCycleSchedule oneCycle = new OneCycleSchedule(tr.maxLr(), tr.epochs());
            this.optimization = new Optimization().add("adam.w", "adam_w_steps", w).add("adam.p", "adam_p_steps", p)
                    .schedule(weights, oneCycle).schedule(w.groups().get(1), oneCycle)
                    .schedule(positions, new CosineSchedule(tr.positionLr(), tr.epochs()));
        }

        @Override
        public Optimization optimization() {
            return optimization;
        }

        /** The loss over samples and the optimizers over large parameters run on {@code w} (the model's own). */
        @Override
        public void setWorkers(Workers w) {
            this.workers = w;
            weightAdam.setWorkers(w);
            positionAdam.setWorkers(w);
        }

        /** The schedules; metrics record the epoch's sigma (with learned delays), lr and position lr (with delays). */
        @Override
        public Map<String, Double> beginEpoch(int epoch) {
            optimization.applySchedules(epoch);
            Map<String, Double> m = new LinkedHashMap<>();
            double sigma = model.sigma();
            if (!Double.isNaN(sigma)) {
                m.put("sigma", sigma);
            }
            m.put("lr", weights.lr);
            if (!positions.params.isEmpty()) {
                m.put("position_lr", positions.lr);
            }
            return m;
        }

        /** Forward (dropout masks from {@code stepSeed}), loss, backward. */
        @Override
        public StepResult gradient(BinnedSet.Batch b, long stepSeed, double weight, StageTimes times) {
            SeqTensor v = model.forward(b.x(), b.lengths(), true, stepSeed);
            long t0 = System.nanoTime();
            SumSoftmaxCrossEntropy.Result r = SumSoftmaxCrossEntropy.evaluate(v, model.validSteps(), b.labels(),
                    workers);
            if (times != null) {
                times.add("loss", System.nanoTime() - t0);
            }
            model.backward(weight == 1 ? r.gradV() : r.gradV().scaled((float) weight));
            int correct = 0;
            for (int k = 0; k < b.labels().length; k++) {
                if (r.predicted(k) == b.labels()[k]) {
                    correct++;
                }
            }
            return new StepResult(r.loss(), correct);
        }

        /** Both optimizers, then position clamping. */
        @Override
        public void update(StageTimes times) {
            long t0 = System.nanoTime();
            optimization.step();
            model.clampPositions();
            if (times != null) {
                times.add("optimizer", System.nanoTime() - t0);
            }
        }

        @Override
        public void endEpoch(int epoch, int epochs) {
            model.annealSigma(epoch, epochs);
        }
    }
}
