package io.myelin.models.delay;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.InvalidInputException;
import io.myelin.models.data.DataConfig;
import io.myelin.models.train.ConfigJson;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.TrainingSettings;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything that defines a delay-SNN training run (the SNN-delays recipe by default), as JSON: the
 * {@link RunConfig} of kind {@value #KIND}, which its files leave out (they predate kinds; one that names it is read
 * too). Immutable; the command line overrides fields with the {@code with...} copies.
 *
 * @param name     label for reports
 * @param data     how spike files become frames
 * @param model    architecture
 * @param training optimisation
 */
public record DelaySnnConfig(String name, DataConfig data, Model model, Training training) implements RunConfig {
    public static final String KIND = RunConfig.DEFAULT_KIND;

    /**
     * @param hidden          sizes of the hidden layers ([256, 256] for SHD)
     * @param delays          {@code learned} (DCLS), {@code random} (fixed random integer delays) or {@code none}
     * @param taps            delay taps Td; the largest delay is Td - 1 steps (25)
     * @param tauMs           membrane time constant, ms (10.05: 1.005 steps at 10 ms)
     * @param vThreshold      firing threshold (1)
     * @param surrogateAlpha  ATan surrogate sharpness (5)
     * @param dropout         dropout probability after each hidden layer (0.4)
     * @param sigmaTruncation Gaussian window half-width in standard deviations (0: none)
     * @param sigmaFinal      SIG after annealing (0.23: sigma 0.5)
     */
    public record Model(List<Integer> hidden, String delays, int taps, double tauMs, double vThreshold,
                        double surrogateAlpha, double dropout, double sigmaTruncation, double sigmaFinal) {
    }

    /**
     * @param epochs      epochs (150 for SHD)
     * @param batch       samples per batch (256 for SHD)
     * @param seed        seed of every random choice (initial weights, positions, shuffles, dropout masks)
     * @param maxLr       one-cycle peak learning rate for weights and BatchNorm (5e-3)
     * @param weightDecay L2 weight decay on weights (1e-5; BatchNorm none)
     * @param positionLr  Adam learning rate of delay positions, cosine-annealed (0.1)
     * @param threads     worker threads (results do not depend on it)
     */
    public record Training(int epochs, int batch, long seed, @JsonProperty("maxLr") double maxLr, double weightDecay,
                           double positionLr, int threads) implements TrainingSettings {
    }

    public static DelaySnnConfig read(Path file) {
        return fromJson(ConfigJson.text(file), file.toString());
    }

    public static DelaySnnConfig fromJson(String json, String where) {
        JsonNode tree = ConfigJson.tree(json, where);
        JsonNode kind = tree.get("kind");
        if (kind != null && !KIND.equals(kind.asText(null))) {
            throw new InvalidInputException("config " + where + ": kind: expected \"" + KIND + "\" (or no kind), found "
                    + kind);
        }
        return ConfigJson.parse(tree, DelaySnnConfig.class, where, "kind").validate(where);
    }

    @Override
    public String toJson() {
        return ConfigJson.write(this);
    }

    /** {@value #KIND}, never written. */
    @Override
    @JsonIgnore
    public String kind() {
        return KIND;
    }

    @Override
    public String learningRateField() {
        return "training.maxLr";
    }

    /** Checks every field; the message names the field. */
    public DelaySnnConfig validate(String where) {
        String w = "config " + where + ": ";
        if (data == null || model == null || training == null) {
            throw new InvalidInputException(w + "needs 'data', 'model' and 'training' sections");
        }
        data.validate(w);
        if (model.hidden == null || model.hidden.isEmpty() || model.hidden.stream().anyMatch(h -> h == null || h < 1)) {
            throw new InvalidInputException(w + "model.hidden must list at least one layer size >= 1, got " + model.hidden);
        }
        if (!List.of("learned", "random", "none").contains(String.valueOf(model.delays))) {
            throw new InvalidInputException(w + "model.delays: expected one of learned, random, none, found '"
                    + model.delays + "'");
        }
        if (model.taps < 1) {
            throw new InvalidInputException(w + "model.taps must be >= 1, got " + model.taps);
        }
        if (!(model.tauMs > 0) || Double.isInfinite(model.tauMs)) {
            throw new InvalidInputException(w + "model.tauMs must be > 0, got " + model.tauMs);
        }
        if (!Double.isFinite(model.vThreshold) || !(model.vThreshold > 0)) {
            throw new InvalidInputException(w + "model.vThreshold must be > 0, got " + model.vThreshold);
        }
        if (!(model.surrogateAlpha > 0) || Double.isInfinite(model.surrogateAlpha)) {
            throw new InvalidInputException(w + "model.surrogateAlpha must be > 0, got " + model.surrogateAlpha);
        }
        if (!(model.dropout >= 0 && model.dropout < 1)) {
            throw new InvalidInputException(w + "model.dropout must be in [0, 1), got " + model.dropout);
        }
        if (!(model.sigmaTruncation >= 0) || Double.isInfinite(model.sigmaTruncation)) {
            throw new InvalidInputException(w + "model.sigmaTruncation must be >= 0 (0: none), got " + model.sigmaTruncation);
        }
        if (!(model.sigmaFinal >= 0) || Double.isInfinite(model.sigmaFinal)) {
            throw new InvalidInputException(w + "model.sigmaFinal must be >= 0, got " + model.sigmaFinal);
        }
        if (training.epochs < 1) {
            throw new InvalidInputException(w + "training.epochs must be >= 1, got " + training.epochs);
        }
        if (training.batch < 1) {
            throw new InvalidInputException(w + "training.batch must be >= 1, got " + training.batch);
        }
        if (!(training.maxLr > 0) || Double.isInfinite(training.maxLr)) {
            throw new InvalidInputException(w + "training.maxLr must be > 0, got " + training.maxLr);
        }
        if (!(training.weightDecay >= 0) || Double.isInfinite(training.weightDecay)) {
            throw new InvalidInputException(w + "training.weightDecay must be >= 0, got " + training.weightDecay);
        }
        if (!(training.positionLr > 0) || Double.isInfinite(training.positionLr)) {
            throw new InvalidInputException(w + "training.positionLr must be > 0, got " + training.positionLr);
        }
        if (training.threads < 1) {
            throw new InvalidInputException(w + "training.threads must be >= 1, got " + training.threads);
        }
        return this;
    }

    /** Delay treatment of the synaptic layers. */
    public enum Delays { LEARNED, RANDOM, NONE }

    public Delays delayMode() {
        String d = model.delays == null ? "" : model.delays;
        return switch (d) {
            case "learned" -> Delays.LEARNED;
            case "random" -> Delays.RANDOM;
            case "none" -> Delays.NONE;
            default -> throw new InvalidInputException("config: model.delays must be one of learned, random, none; got '"
                    + model.delays + "'");
        };
    }

    /** Membrane time constant in steps (tau_ms / frame_ms). */
    public double tauSteps() {
        return model.tauMs / data.frameMs();
    }

    @Override
    public DelaySnnConfig withEpochs(int epochs) {
        return new DelaySnnConfig(name, data, model, new Training(epochs, training.batch, training.seed, training.maxLr,
                training.weightDecay, training.positionLr, training.threads)).validate("(command line)");
    }

    @Override
    public DelaySnnConfig withBatch(int batch) {
        return new DelaySnnConfig(name, data, model, new Training(training.epochs, batch, training.seed, training.maxLr,
                training.weightDecay, training.positionLr, training.threads)).validate("(command line)");
    }

    @Override
    public DelaySnnConfig withSeed(long seed) {
        return new DelaySnnConfig(name, data, model, new Training(training.epochs, training.batch, seed, training.maxLr,
                training.weightDecay, training.positionLr, training.threads)).validate("(command line)");
    }

    @Override
    public DelaySnnConfig withThreads(int threads) {
        return new DelaySnnConfig(name, data, model, new Training(training.epochs, training.batch, training.seed,
                training.maxLr, training.weightDecay, training.positionLr, threads)).validate("(command line)");
    }

    @Override
    public DelaySnnConfig withSigmaTruncation(double k) {
        return new DelaySnnConfig(name, data, new Model(model.hidden, model.delays, model.taps, model.tauMs,
                model.vThreshold, model.surrogateAlpha, model.dropout, k, model.sigmaFinal), training).validate("(command line)");
    }
}
