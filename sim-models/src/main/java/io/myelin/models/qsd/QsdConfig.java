package io.myelin.models.qsd;

import io.myelin.core.InvalidInputException;
import io.myelin.models.data.DataConfig;
import io.myelin.models.layer.IeLif;
import io.myelin.models.quant.BitWidth;
import io.myelin.models.train.ConfigJson;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.TrainingSettings;

import java.nio.file.Path;

/**
 * A QSD-Transformer training run on spiking audio, as JSON ({@code "kind": "qsd-transformer"}). Immutable; the
 * command line overrides fields with the {@code with...} copies.
 *
 * @param name         label for reports
 * @param kind         always {@code qsd-transformer} (tells {@code myelin train} which trainer a config is for)
 * @param data         how spike files become frames (tokens are frames)
 * @param model        architecture
 * @param training     optimisation
 * @param distillation fine-grained distillation from a float-weight teacher
 */
public record QsdConfig(String name, String kind, DataConfig data, Model model, Training training,
                        Distillation distillation) implements RunConfig {
    public static final String KIND = "qsd-transformer";

    /**
     * @param embedDim        channels C of every token
     * @param heads           attention heads (C divisible by heads)
     * @param blocks          transformer blocks
     * @param mlpRatio        MLP hidden width over C
     * @param weightBits      {@code 1.58}, {@code 2}, {@code 4}, {@code 8}, or {@code 32} (float weights)
     * @param levels          IE-LIF spike levels D (power of two, 1..16; 4 in the paper)
     * @param attentionScale  scale s of {@code A = (s / L) Q K^T V}
     * @param rectify         rectifying (maximum-entropy) initialisation of the Q, K, V neurons' BatchNorm
     * @param embeddingDelays learnable DCLS delays in the embedding (float weights there)
     * @param taps            delay taps of the embedding when {@code embeddingDelays}
     * @param sigmaTruncation DCLS window half-width in standard deviations
     */
    public record Model(int embedDim, int heads, int blocks, int mlpRatio, double weightBits, int levels,
                        double attentionScale, boolean rectify, boolean embeddingDelays, int taps,
                        double sigmaTruncation) {
    }

    /**
     * @param epochs      epochs of the quantized model
     * @param batch       samples per batch
     * @param seed        seed of every random choice
     * @param lr          Adam learning rate, cosine-annealed per epoch
     * @param weightDecay L2 weight decay on weights
     * @param positionLr  learning rate of embedding delay positions
     * @param threads     worker threads (results do not depend on it)
     */
    public record Training(int epochs, int batch, long seed, double lr, double weightDecay, double positionLr,
                           int threads) implements TrainingSettings {
    }

    /**
     * @param enabled       train a float-weight teacher first and align Q, K, V with it
     * @param teacherEpochs epochs of the teacher
     * @param weight        weight of the alignment loss (mean squared difference of Q, K, V spike values)
     */
    public record Distillation(boolean enabled, int teacherEpochs, double weight) {
    }

    public static QsdConfig read(Path file) {
        return fromJson(ConfigJson.text(file), file.toString());
    }

    public static QsdConfig fromJson(String json, String where) {
        return ConfigJson.parse(json, QsdConfig.class, where).validate(where);
    }

    @Override
    public String toJson() {
        return ConfigJson.write(this);
    }

    @Override
    public String learningRateField() {
        return "training.lr";
    }

    /** Sigma truncation is {@code model.sigmaTruncation} of the config file here (no command-line override). */
    @Override
    public QsdConfig withSigmaTruncation(double sigmas) {
        throw new InvalidInputException("--sigma-truncation applies to delay-SNN configs; set model.sigmaTruncation"
                + " in a QSD config");
    }

    /** Weight width, or null for float32 weights. */
    public BitWidth bitWidth() {
        return model.weightBits == 32 ? null : BitWidth.of(model.weightBits);
    }

    /** Checks every field; the message names the field. */
    public QsdConfig validate(String where) {
        String w = "config " + where + ": ";
        if (!KIND.equals(kind)) {
            throw new InvalidInputException(w + "kind must be '" + KIND + "', got '" + kind + "'");
        }
        if (data == null || model == null || training == null || distillation == null) {
            throw new InvalidInputException(w + "needs 'data', 'model', 'training' and 'distillation' sections");
        }
        data.validate(w);
        if (model.embedDim < 1 || model.heads < 1 || model.embedDim % model.heads != 0) {
            throw new InvalidInputException(w + "model.embedDim (" + model.embedDim + ") must be >= 1 and divisible by "
                    + "model.heads (" + model.heads + ")");
        }
        if (model.blocks < 0) {
            throw new InvalidInputException(w + "model.blocks must be >= 0, got " + model.blocks);
        }
        if (model.mlpRatio < 1) {
            throw new InvalidInputException(w + "model.mlpRatio must be >= 1, got " + model.mlpRatio);
        }
        if (model.weightBits != 32 && !BitWidth.isNominal(model.weightBits)) {
            throw new InvalidInputException(w + "model.weightBits must be 1.58, 2, 4, 8 or 32 (float), got "
                    + model.weightBits);
        }
        try {
            IeLif.checkLevels(model.levels);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(w + "model.levels: " + e.getMessage());
        }
        if (!(model.attentionScale > 0) || Double.isInfinite(model.attentionScale)) {
            throw new InvalidInputException(w + "model.attentionScale must be > 0, got " + model.attentionScale);
        }
        if (model.embeddingDelays && model.taps < 1) {
            throw new InvalidInputException(w + "model.taps must be >= 1 with embedding delays, got " + model.taps);
        }
        if (!(model.sigmaTruncation >= 0) || Double.isInfinite(model.sigmaTruncation)) {
            throw new InvalidInputException(w + "model.sigmaTruncation must be >= 0, got " + model.sigmaTruncation);
        }
        if (training.epochs < 1) {
            throw new InvalidInputException(w + "training.epochs must be >= 1, got " + training.epochs);
        }
        if (training.batch < 1) {
            throw new InvalidInputException(w + "training.batch must be >= 1, got " + training.batch);
        }
        if (training.threads < 1) {
            throw new InvalidInputException(w + "training.threads must be >= 1, got " + training.threads);
        }
        if (!(training.lr > 0) || Double.isInfinite(training.lr)) {
            throw new InvalidInputException(w + "training.lr must be > 0, got " + training.lr);
        }
        if (!(training.weightDecay >= 0) || Double.isInfinite(training.weightDecay)) {
            throw new InvalidInputException(w + "training.weightDecay must be >= 0, got " + training.weightDecay);
        }
        if (!(training.positionLr > 0) || Double.isInfinite(training.positionLr)) {
            throw new InvalidInputException(w + "training.positionLr must be > 0, got " + training.positionLr);
        }
        if (distillation.enabled && distillation.teacherEpochs < 1) {
            throw new InvalidInputException(w + "distillation.teacherEpochs must be >= 1 when distillation is enabled, got "
                    + distillation.teacherEpochs);
        }
        if (!(distillation.weight >= 0) || Double.isInfinite(distillation.weight)) {
            throw new InvalidInputException(w + "distillation.weight must be >= 0, got " + distillation.weight);
        }
        return this;
    }

    private QsdConfig withTraining(Training t) {
        return new QsdConfig(name, kind, data, model, t, distillation).validate("(command line)");
    }

    @Override
    public QsdConfig withEpochs(int epochs) {
        Training t = training;
        return withTraining(new Training(epochs, t.batch, t.seed, t.lr, t.weightDecay, t.positionLr, t.threads));
    }

    @Override
    public QsdConfig withBatch(int batch) {
        Training t = training;
        return withTraining(new Training(t.epochs, batch, t.seed, t.lr, t.weightDecay, t.positionLr, t.threads));
    }

    @Override
    public QsdConfig withSeed(long seed) {
        Training t = training;
        return withTraining(new Training(t.epochs, t.batch, seed, t.lr, t.weightDecay, t.positionLr, t.threads));
    }

    @Override
    public QsdConfig withThreads(int threads) {
        Training t = training;
        return withTraining(new Training(t.epochs, t.batch, t.seed, t.lr, t.weightDecay, t.positionLr, threads));
    }

    /** The same run with float32 weights: the distillation teacher. */
    public QsdConfig asFloatTeacher() {
        Model m = model;
        return new QsdConfig(name + "-teacher", kind, data, new Model(m.embedDim, m.heads, m.blocks, m.mlpRatio, 32,
                m.levels, m.attentionScale, m.rectify, m.embeddingDelays, m.taps, m.sigmaTruncation),
                new Training(distillation.teacherEpochs, training.batch, training.seed, training.lr,
                        training.weightDecay, training.positionLr, training.threads),
                new Distillation(false, 0, 0)).validate("(teacher)");
    }

    /** The same model with other weight bits (for ablations). */
    public QsdConfig withWeightBits(double bits) {
        Model m = model;
        return new QsdConfig(name, kind, data, new Model(m.embedDim, m.heads, m.blocks, m.mlpRatio, bits, m.levels,
                m.attentionScale, m.rectify, m.embeddingDelays, m.taps, m.sigmaTruncation), training, distillation)
                .validate("(command line)");
    }
}
