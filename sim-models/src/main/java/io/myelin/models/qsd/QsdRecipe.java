package io.myelin.models.qsd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.energy.ModelActivity;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.loss.SoftmaxCrossEntropy;
import io.myelin.models.loss.SumSoftmaxCrossEntropy;
import io.myelin.models.module.Param;
import io.myelin.models.optim.Adam;
import io.myelin.models.optim.CosineSchedule;
import io.myelin.models.optim.ParamGroup;
import io.myelin.models.store.TensorFile;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Learner;
import io.myelin.models.train.Optimization;
import io.myelin.models.train.Phase;
import io.myelin.models.train.Recipe;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.StageTimes;
import io.myelin.models.train.StepResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a {@link QsdTransformer} trains: Adam with parameter groups (weights with weight decay; BatchNorm and LSQ steps
 * without; embedding delay positions at their own rate), cosine-annealed per epoch; embedding positions clamped after
 * every step and their SIG annealed per epoch. Saved with packed weights ({@link QsdWeights}).
 *
 * <p>With distillation enabled a run has two phases: the float-weight teacher of the same architecture trains first
 * (in {@code DIR/teacher}, a run directory of its own), then the quantized student minimises cross-entropy plus
 * {@code weight x} the mean squared difference between its Q, K, V spike values and the teacher's (the best teacher
 * model, in evaluation mode on the same batch): the fine-grained alignment of the Q-SDSA distributions
 * ({@link Distillation}).
 */
public final class QsdRecipe extends Recipe<QsdConfig, QsdTransformer> {
    /** The teacher phase's directory inside the run directory. */
    public static final String TEACHER_DIR = "teacher";

    public QsdRecipe() {
        super(QsdConfig.KIND, "QSD-Transformer", "myelin-qsd-transformer", "myelin-qsd-checkpoint", QsdConfig.class,
                QsdTransformer.class);
    }

    @Override
    public QsdConfig readConfig(String json, String where) {
        return QsdConfig.fromJson(json, where);
    }

    /** The float teacher first when distillation is enabled. */
    @Override
    public List<Phase<QsdConfig>> phases(QsdConfig config) {
        if (!config.distillation().enabled()) {
            return List.of(Phase.only(config));
        }
        return List.of(new Phase<>("teacher", TEACHER_DIR, config.asFloatTeacher()), Phase.only(config));
    }

    @Override
    public QsdTransformer build(QsdConfig config, int inputs, int classes) {
        return new QsdTransformer(config, inputs, classes);
    }

    /** With distillation, the teacher is the best model of the teacher phase (none when trained alone: no run). */
    @Override
    public Learner learner(QsdConfig config, QsdTransformer model, Phase<QsdConfig> phase, Path runDir) {
        QsdTransformer teacher = runDir != null && config.distillation().enabled()
                ? RunStore.of(runDir.resolve(TEACHER_DIR)).loadModel(QsdTransformer.class) : null;
        return new Learning(model, config, teacher);
    }

    @Override
    public Map<String, float[]> storedWeights(QsdTransformer model, ObjectNode modelJson) {
        return QsdWeights.pack(model, modelJson);
    }

    @Override
    public void loadStoredWeights(QsdTransformer model, TensorFile.Contents weights, Path from) {
        QsdWeights.unpack(model, weights, from);
    }

    @Override
    public ModelActivity activity(QsdTransformer model, BinnedSet data, String name, String dataName,
                                  int rasterSample) {
        return QsdActivity.run(model, data, name, QsdActivity.describe(model, dataName, data.size()), rasterSample);
    }

    /** The optimizer groups of a model: weights, norms and steps, positions (when the embedding has delays). */
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

    /** One phase's training of a QSD-Transformer, with its teacher (or none). */
    static final class Learning implements Learner {
        private final QsdTransformer model;
        private final QsdTransformer teacher;
        private final double weight;
        private final Adam adam;
        private final Optimization optimization;

        Learning(QsdTransformer model, QsdConfig config, QsdTransformer teacher) {
            this.model = model;
            this.teacher = teacher;
            this.weight = config.distillation().weight();
            QsdConfig.Training tr = config.training();
            this.adam = optimizer(model, tr);
            CosineSchedule cosW = new CosineSchedule(tr.lr(), tr.epochs());
            CosineSchedule cosP = new CosineSchedule(tr.positionLr(), tr.epochs());
            this.optimization = new Optimization().add("adam", "adam_steps", adam);
            for (ParamGroup g : adam.groups()) {
                optimization.schedule(g, g.name.equals("positions") ? cosP : cosW);
            }
        }

        @Override
        public Optimization optimization() {
            return optimization;
        }

        @Override
        public Map<String, Double> beginEpoch(int epoch) {
            optimization.applySchedules(epoch);
            return Map.of("lr", adam.groups().get(0).lr);
        }

        /** Forward, cross-entropy (plus distillation), backward, Adam, position clamping. */
        @Override
        public StepResult step(BinnedSet.Batch b, long stepSeed, StageTimes times) {
            float[][] logits = model.forward(b.x(), b.lengths(), true);
            long t0 = System.nanoTime();
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.evaluate(logits, b.labels());
            double distill = 0;
            if (teacher != null) {
                teacher.forward(b.x(), b.lengths(), false);
                distill = Distillation.addGradients(model, teacher, weight);
            }
            long t1 = System.nanoTime();
            optimization.zeroGrad();
            model.backward(r.gradLogits());
            long t2 = System.nanoTime();
            optimization.step();
            model.clampPositions();
            if (times != null) {
                times.add("loss", t1 - t0);
                times.add("optimizer", System.nanoTime() - t2);
            }
            int correct = 0;
            for (int k = 0; k < logits.length; k++) {
                if (SumSoftmaxCrossEntropy.argmax(logits[k]) == b.labels()[k]) {
                    correct++;
                }
            }
            return teacher == null ? new StepResult(r.loss(), correct)
                    : new StepResult(r.loss() + distill, correct, new double[]{distill});
        }

        @Override
        public List<String> extraLosses() {
            return teacher == null ? List.of() : List.of("distill_loss");
        }

        @Override
        public void endEpoch(int epoch, int epochs) {
            model.annealSigma(epoch, epochs);
        }

        @Override
        public void setWorkers(Workers w) {
            if (teacher != null) {
                teacher.setWorkers(w);
            }
        }
    }
}
