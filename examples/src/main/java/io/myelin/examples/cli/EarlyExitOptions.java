package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.inference.Decoding;
import io.myelin.core.inference.EarlyExitReport;
import io.myelin.core.inference.OperatingPoint;
import io.myelin.core.energy.QuantityFormat;
import io.myelin.core.json.Json;
import io.myelin.kernels.quant.IntegerOps;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.inference.CalibrationSplit;
import io.myelin.models.inference.EarlyExitEvaluation;
import io.myelin.models.inference.EarlyExitSettings;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.TrainedModel;
import io.myelin.report.EarlyExitPage;
import io.myelin.report.HtmlReport;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code myelin eval --early-exit [THRESHOLD|auto]}: the options of a Dynamic Confidence evaluation and the run that
 * prints it (docs/dynamic-confidence.md). A picocli mixin of {@link EvalCommand}.
 */
public final class EarlyExitOptions {
    @Option(names = "--early-exit", arity = "0..1", fallbackValue = "auto", paramLabel = "THRESHOLD|auto",
            description = "stop each sample as soon as its confidence max softmax(sum / temperature) exceeds THRESHOLD"
                    + " (in (0, 1]), or calibrate the threshold on a validation split (auto, the default)")
    String earlyExit;

    @Option(names = "--valid", paramLabel = "FILE", description = "with --early-exit auto: calibrate on this file (default:"
            + " the model's own validation split)")
    Path valid;

    @Option(names = "--valid-fraction", paramLabel = "F", description = "with --early-exit auto: calibrate on a seeded"
            + " stratified fraction F of the training file (the model's seed; the fraction it was trained with is the"
            + " part it never saw)")
    Double validFraction;

    @Option(names = "--train", paramLabel = "FILE", description = "with --valid-fraction: the training file (default: the"
            + " one recorded in model.json)")
    Path train;

    @Option(names = "--tolerance", paramLabel = "POINTS", defaultValue = "0", description = "with --early-exit auto: accuracy"
            + " points the threshold may lose against full length on the validation split (default: ${DEFAULT-VALUE})")
    double tolerancePoints;

    @Option(names = "--temperature", description = "softmax temperature on the summed outputs (default: 2 for"
            + " softmax-sum, 30 for sum)")
    Double temperature;

    @Option(names = "--decoding", paramLabel = "sum|softmax-sum", description = "what is summed per step: the output"
            + " (sum; the QSD-Transformer's only choice) or its softmax (softmax-sum; the delay SNN's default)")
    String decoding;

    @Option(names = "--report", paramLabel = "DIR", description = "with --early-exit: write early-exit.json and"
            + " early-exit.html (curves, Pareto front, exit steps per class, energy) to DIR, and for a delay SNN the energy"
            + " report counted up to each exit (exit-energy.json, exit-energy.html)")
    Path report;

    @picocli.CommandLine.Mixin
    EnergyModelOption energyModel = new EnergyModelOption();

    /** Whether an early-exit evaluation was asked for. */
    boolean requested() {
        return earlyExit != null;
    }

    /** Refuses early-exit options without {@code --early-exit}, and bad values, before any model is loaded. */
    EarlyExitSettings settings(String engine, String integer, int threads) {
        if (!requested()) {
            if (valid != null || validFraction != null || train != null || temperature != null || decoding != null
                    || report != null || tolerancePoints != 0) {
                throw new InvalidInputException("--valid, --valid-fraction, --train, --tolerance, --temperature, --decoding,"
                        + " and --report apply to --early-exit");
            }
            return null;
        }
        Double threshold = null;
        if (!earlyExit.equals("auto")) {
            try {
                threshold = Double.parseDouble(earlyExit);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--early-exit takes a threshold in (0, 1] or 'auto', got '" + earlyExit + "'");
            }
            if (valid != null || validFraction != null || tolerancePoints != 0) {
                throw new InvalidInputException("--valid, --valid-fraction and --tolerance calibrate the threshold:"
                        + " use them with --early-exit auto, not with a given threshold");
            }
        }
        if (!(tolerancePoints >= 0 && tolerancePoints <= 100)) {
            throw new InvalidInputException("--tolerance must be in [0, 100] accuracy points, got " + tolerancePoints);
        }
        return new EarlyExitSettings(threshold, temperature, decoding == null ? null : Decoding.of(decoding),
                tolerancePoints / 100, engine, integer, energyModel.name,
                threads);
    }

    /** Runs the evaluation and adds it to the output: {@code json} gets an {@code early_exit} object, else text lines. */
    EarlyExitReport run(EarlyExitSettings s, TrainedModel m, Path modelDir, Path test, BinnedSet testData,
                        double modelAccuracy, IntegerOps ops, ObjectNode json, PrintWriter out, PrintWriter err) {
        CalibrationSplit split = s.calibrate()
                ? CalibrationSplit.resolve(m, RunStore.of(modelDir), valid, validFraction, train, test) : null;
        if (split != null && split.note() != null) {
            err.println(split.note());
            err.flush();
        }
        EarlyExitEvaluation.Outcome outcome = EarlyExitEvaluation.run(new EarlyExitEvaluation.Inputs(m,
                modelDir.toString(), testData, test.toString(), split == null ? null : split.data(),
                split == null ? null : split.description(), modelAccuracy), s, ops);
        EarlyExitReport r = outcome.report();
        if (report != null) {
            try {
                Files.createDirectories(report);
                r.write(report.resolve("early-exit.json"));
                Files.writeString(report.resolve("early-exit.html"), EarlyExitPage.render(r));
                if (outcome.exitEnergy() != null) {
                    outcome.exitEnergy().write(report.resolve("exit-energy.json"));
                    HtmlReport.write(outcome.exitEnergy(), report.resolve("exit-energy.html"));
                }
            } catch (IOException e) {
                throw new InvalidInputException("cannot write the early-exit report to " + report + ": " + e.getMessage(), e);
            }
        }
        if (json != null) {
            ObjectNode o;
            try {
                o = (ObjectNode) Json.reader().readTree(Json.compact().writeValueAsString(r));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise the early-exit report", e);
            }
            o.remove(java.util.List.of("schema", "model", "test_data", "curves", "histogram", "energy_layers"));
            json.set("early_exit", o);
        } else {
            print(r, out);
        }
        return r;
    }

    /** A threshold to six significant digits, without trailing zeros. */
    private static String sixDigits(double v) {
        return new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.6g", v)).stripTrailingZeros()
                .toPlainString();
    }

    private static void print(EarlyExitReport r, PrintWriter o) {
        o.printf("early exit (dynamic confidence, %s, temperature %s): threshold %s %s%n", r.decoding(),
                QuantityFormat.num(r.temperature()), sixDigits(r.threshold()), r.calibration() == null ? "(given)"
                        : "(calibrated on " + r.validData() + ", tolerance " + QuantityFormat.num(100 * r.tolerance())
                        + " points)");
        o.printf("  accuracy %.2f%% (full length %.2f%%), mean exit step %.1f of %.1f (step fraction %.3f)%n",
                100 * r.accuracy(), 100 * r.fullAccuracy(), r.meanExitStep(), r.meanFullSteps(), r.stepFraction());
        o.printf("  oracle, earliest correct step: %.2f%% at step fraction %.3f; stably correct: %.2f%% at %.3f"
                        + " (never-correct samples run to their end and count as wrong)%n", 100 * r.oracleAccuracy(),
                r.oracleStepFraction(), 100 * r.stableOracleAccuracy(), r.stableOracleStepFraction());
        if (r.energyPerSampleUj() != null) {
            o.printf("  energy per sample %s up to exit vs %s at full length (saving %.1f%%)%s%n",
                    QuantityFormat.energy(r.energyPerSampleUj() * 1e6), QuantityFormat.energy(r.fullEnergyPerSampleUj() * 1e6),
                    100 * r.energySaving(), r.annEnergyPerSampleUj() == null ? ""
                            : ", ANN " + QuantityFormat.energy(r.annEnergyPerSampleUj() * 1e6));
        }
        for (EarlyExitReport.PathResult p : r.paths()) {
            if (p.name().equals("model")) {
                continue;
            }
            o.printf("  %s: exit steps agree on %.2f%%, predictions on %.2f%% of the samples; accuracy %.2f%%, %.4f s per"
                            + " sample%s%n", p.name(), 100 * p.exitAgreement(), 100 * p.predictionAgreement(),
                    100 * p.accuracy(), p.secondsPerSample(), p.fullSecondsPerSample() == null ? ""
                            : " (" + String.format(java.util.Locale.ROOT, "%.4f", p.fullSecondsPerSample())
                            + " at full length)");
        }
        if (r.calibration() != null) {
            o.printf("  Pareto front on the validation split (%d samples, %d thresholds swept, full-length accuracy"
                    + " %.2f%%):%n", r.calibration().samples(), r.calibration().candidates(),
                    100 * r.calibration().fullAccuracy());
            o.println("    threshold      mean exit step  step fraction  accuracy");
            for (OperatingPoint p : r.calibration().front()) {
                o.printf("    %-14.8g %14.2f %14.3f %8.2f%%%s%n", p.threshold(), p.meanExitStep(), p.stepFraction(),
                        100 * p.accuracy(), p.equals(r.calibration().chosen()) ? "  <- chosen" : "");
            }
        }
    }
}
