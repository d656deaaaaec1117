package io.myelin.models.inference;

import io.myelin.core.InvalidInputException;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.inference.ConfidenceTable;
import io.myelin.core.inference.Decoding;
import io.myelin.core.inference.DynamicConfidence;
import io.myelin.core.inference.EarlyExitReport;
import io.myelin.core.inference.ExitCurves;
import io.myelin.core.inference.ExitHistogram;
import io.myelin.core.inference.FullLength;
import io.myelin.core.inference.Oracle;
import io.myelin.core.inference.ThresholdCalibration;
import io.myelin.core.engine.Engines;
import io.myelin.kernels.quant.IntegerOps;
import io.myelin.kernels.quant.JavaIntegerOps;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.delay.DelaySnn;
import io.myelin.models.delay.DelaySnnEarlyExit;
import io.myelin.models.delay.EngineEarlyExit;
import io.myelin.models.qsd.QsdEarlyExit;
import io.myelin.models.qsd.QsdTransformer;
import io.myelin.models.train.TrainedModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A whole Dynamic Confidence evaluation of a trained model on a test file (docs/dynamic-confidence.md): the threshold
 * (given, or calibrated offline on the validation split's full-length confidence table), the model's own inference
 * path with real early exit, a full-length recording of the test file for the curves, the oracles and the
 * full-length energy, and the other paths the settings ask for (an engine for the delay SNN, the integer path for a
 * QSD-Transformer), each compared with the model's exit steps and predictions.
 */
public final class EarlyExitEvaluation {
    /** Samples an engine runs untimed before its timed passes. */
    static final int ENGINE_WARMUP = 32;

    private EarlyExitEvaluation() {
    }

    /**
     * What is evaluated.
     *
     * @param model         the trained model
     * @param modelName     its name for the report (the run directory)
     * @param test          the test file, binned
     * @param testName      its name
     * @param valid         the validation split (needed when calibrating), or null
     * @param validName     how it was made (a file, or a fraction of the training file), or null
     * @param modelAccuracy the model's standard evaluation accuracy on the test file, or null
     */
    public record Inputs(TrainedModel model, String modelName, BinnedSet test, String testName, BinnedSet valid,
                         String validName, Double modelAccuracy) {
    }

    /**
     * What an evaluation produced.
     *
     * @param report     the whole evaluation
     * @param exitEnergy the energy report of the model's inference counted up to each exit, layer by layer (its ANN
     *                   figure is the full-length ANN), or null where the model has none (a QSD-Transformer's counts
     *                   come from its integer path)
     */
    public record Outcome(EarlyExitReport report, EnergyReport exitEnergy) {
    }

    /** Runs the evaluation; {@code integerOps} is the integer backend for a QSD model (null: Java). */
    public static Outcome run(Inputs in, EarlyExitSettings s, IntegerOps integerOps) {
        if (s.calibrate() && in.valid() == null) {
            throw new InvalidInputException("--early-exit auto needs a validation split: --valid FILE or "
                    + "--valid-fraction F (never the test file)");
        }
        if (in.model() instanceof DelaySnn m) {
            if (s.integer() != null) {
                throw new InvalidInputException("--integer applies to QSD-Transformer models; a delay SNN runs in an engine"
                        + " (--engine)");
            }
            return delaySnn(m, in, s);
        }
        if (in.model() instanceof QsdTransformer q) {
            if (s.engine() != null) {
                throw new InvalidInputException("--engine applies to delay-SNN models; for a QSD-Transformer use --integer");
            }
            return new Outcome(qsd(q, in, s, integerOps), null);
        }
        throw new InvalidInputException("early exit applies to delay-SNN and QSD-Transformer models; this model is of kind '"
                + in.model().config().kind() + "'");
    }

    private static Outcome delaySnn(DelaySnn m, Inputs in, EarlyExitSettings s) {
        Decoding dec = s.decoding() == null ? Decoding.SOFTMAX_SUM : s.decoding();
        double temp = s.temperature() == null ? EarlyExitSettings.defaultTemperature(dec) : s.temperature();
        FullLength full = new FullLength(dec, temp);
        ThresholdCalibration cal = null;
        double threshold;
        if (s.calibrate()) {
            cal = ThresholdCalibration.calibrate(DelaySnnEarlyExit.run(m, in.valid(), full, true, s.threads()).table(),
                    s.tolerance());
            threshold = cal.chosen().threshold();
        } else {
            threshold = s.threshold();
        }
        DynamicConfidence dc = new DynamicConfidence(threshold, temp, dec);
        DelaySnnEarlyExit.Result fullRun = DelaySnnEarlyExit.run(m, in.test(), full, true, s.threads());
        DelaySnnEarlyExit.Result exitRun = DelaySnnEarlyExit.run(m, in.test(), dc, false, s.threads());
        EnergyModel em = EnergyModel.resolve(s.energyModel() == null ? "45nm" : s.energyModel());
        EnergyReport exitEnergy = energy(em, exitRun.activity(), in.modelName() + " (counted up to each early exit)",
                in.testName() + ", dynamic confidence at threshold " + threshold + ", " + dec.json() + ", temperature "
                        + temp + "; ANN at full length");
        EnergyReport fullEnergy = energy(em, fullRun.activity(), in.modelName(), in.testName() + ", full length");
        int n = in.test().size();
        List<EarlyExitReport.PathResult> paths = new ArrayList<>();
        paths.add(new EarlyExitReport.PathResult("model", n, exitRun.accuracy(), exitRun.meanExitStep(),
                exitRun.meanExitStep() / exitRun.meanLength(), 1, 1, uj(exitEnergy.total().energyPerSamplePj()),
                uj(fullEnergy.total().energyPerSamplePj()), null, exitRun.seconds() / n, fullRun.seconds() / n, null,
                null));
        Double engineAgreement = null;
        if (s.engine() != null) {
            Engines.checkName(s.engine());
            // a few samples first, untimed, so that neither timed pass pays for the JIT
            EngineEarlyExit.run(m, in.test(), full, s.engine(), ENGINE_WARMUP);
            EngineEarlyExit.Result ef = EngineEarlyExit.run(m, in.test(), full, s.engine());
            EngineEarlyExit.Result e = EngineEarlyExit.run(m, in.test(), dc, s.engine());
            int both = 0, sameExit = 0, samePred = 0, correct = 0;
            long steps = 0;
            for (int i = 0; i < n; i++) {
                boolean x = e.exitSteps()[i] == exitRun.exitSteps()[i], p = e.predictions()[i] == exitRun.predictions()[i];
                sameExit += x ? 1 : 0;
                samePred += p ? 1 : 0;
                both += x && p ? 1 : 0;
                correct += e.predictions()[i] == in.test().label(i) ? 1 : 0;
                steps += e.exitSteps()[i];
            }
            engineAgreement = n == 0 ? 1.0 : (double) both / n;
            double mean = n == 0 ? 0 : (double) steps / n;
            paths.add(new EarlyExitReport.PathResult(s.engine(), n, n == 0 ? 0 : (double) correct / n, mean,
                    mean / exitRun.meanLength(), fraction(samePred, n), fraction(sameExit, n),
                    uj(energy(em, e.layers()).total().energyPerSamplePj()),
                    uj(energy(em, ef.layers()).total().energyPerSamplePj()), null, e.seconds() / n, ef.seconds() / n,
                    e.runSeconds() / n, ef.runSeconds() / n));
        }
        List<EarlyExitReport.LayerEnergy> layers = new ArrayList<>();
        for (int k = 0; k < exitEnergy.layers().size(); k++) {
            EnergyReport.Layer a = exitEnergy.layers().get(k), b = fullEnergy.layers().get(k);
            double per = Math.max(1, n);
            layers.add(new EarlyExitReport.LayerEnergy(a.name(), a.acs() / per, a.macs() / per, a.spikes() / per,
                    a.energyPj() / per, b.acs() / per, b.macs() / per, b.spikes() / per, b.energyPj() / per,
                    b.annEnergyPj() / per));
        }
        return new Outcome(report(in, s, dc, cal, fullRun.table(), exitRun.exitSteps(), exitRun.predictions(),
                exitRun.lengths(), uj(exitEnergy.total().energyPerSamplePj()),
                uj(fullEnergy.total().energyPerSamplePj()), uj(fullEnergy.total().annEnergyPerSamplePj()), s.engine(),
                engineAgreement, paths, layers), exitEnergy);
    }

    private static EarlyExitReport qsd(QsdTransformer m, Inputs in, EarlyExitSettings s, IntegerOps integerOps) {
        Decoding dec = s.decoding() == null ? Decoding.SUM : s.decoding();
        if (dec != Decoding.SUM) {
            throw new InvalidInputException("the QSD-Transformer's early exit decodes its summed logits: use --decoding sum"
                    + " (softmax-sum applies to the delay SNN)");
        }
        if (s.integer() != null && m.config().bitWidth() == null) {
            throw new InvalidInputException("--integer needs a quantized QSD-Transformer; this one has float32 weights");
        }
        double temp = s.temperature() == null ? EarlyExitSettings.defaultTemperature(dec) : s.temperature();
        FullLength full = new FullLength(dec, temp);
        ThresholdCalibration cal = null;
        double threshold;
        if (s.calibrate()) {
            cal = ThresholdCalibration.calibrate(QsdEarlyExit.model(m, in.valid(), full, true).table(), s.tolerance());
            threshold = cal.chosen().threshold();
        } else {
            threshold = s.threshold();
        }
        DynamicConfidence dc = new DynamicConfidence(threshold, temp, dec);
        QsdEarlyExit.Result fullRun = QsdEarlyExit.model(m, in.test(), full, true);
        QsdEarlyExit.Result exitRun = QsdEarlyExit.model(m, in.test(), dc, false);
        int n = in.test().size();
        double meanLength = mean(exitRun.lengths());
        List<EarlyExitReport.PathResult> paths = new ArrayList<>();
        Double energy = null, fullEnergy = null;
        Double[] integerEnergy = null;
        QsdEarlyExit.Result integer = null;
        if (m.config().bitWidth() != null) {
            IntegerOps ops = integerOps == null ? new JavaIntegerOps() : integerOps;
            integer = QsdEarlyExit.integer(m, in.test(), dc, false, ops);
            EnergyModel em = EnergyModel.resolve(s.energyModel() == null ? "45nm" : s.energyModel());
            int wb = QsdEarlyExit.weightBits(m), ib = 32 - Integer.numberOfLeadingZeros(integer.maxCount());
            double per = Math.max(1, n);
            integerEnergy = new Double[]{uj(integer.streaming().energyPj(em, wb, ib) / per),
                    uj(integer.full().energyPj(em, wb, ib) / per), uj(integer.exitPrefix().energyPj(em, wb, ib) / per)};
            energy = integerEnergy[0];
            fullEnergy = integerEnergy[1];
        }
        paths.add(new EarlyExitReport.PathResult("model", n, accuracy(exitRun.predictions(), exitRun.labels()),
                mean(exitRun.exitSteps()), mean(exitRun.exitSteps()) / meanLength, 1, 1, energy, fullEnergy,
                integerEnergy == null ? null : integerEnergy[2], exitRun.seconds() / n, fullRun.seconds() / n, null,
                null));
        if (integer != null && s.integer() != null) {
            int samePred = 0, sameExit = 0;
            for (int i = 0; i < n; i++) {
                samePred += integer.predictions()[i] == exitRun.predictions()[i] ? 1 : 0;
                sameExit += integer.exitSteps()[i] == exitRun.exitSteps()[i] ? 1 : 0;
            }
            paths.add(new EarlyExitReport.PathResult("integer", n, accuracy(integer.predictions(), integer.labels()),
                    mean(integer.exitSteps()), mean(integer.exitSteps()) / meanLength, fraction(samePred, n),
                    fraction(sameExit, n), integerEnergy[0], integerEnergy[1], integerEnergy[2],
                    integer.seconds() / n, null, null, null));
        }
        return report(in, s, dc, cal, fullRun.table(), exitRun.exitSteps(), exitRun.predictions(), exitRun.lengths(),
                energy, fullEnergy, null, null, null, paths, null);
    }

    private static EarlyExitReport report(Inputs in, EarlyExitSettings s, DynamicConfidence dc, ThresholdCalibration cal,
                                          ConfidenceTable table, int[] exit, int[] pred, int[] lengths, Double energy,
                                          Double fullEnergy, Double annEnergy, String engine, Double engineAgreement,
                                          List<EarlyExitReport.PathResult> paths,
                                          List<EarlyExitReport.LayerEnergy> layers) {
        int n = in.test().size();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = in.test().label(i);
        }
        double meanExit = mean(exit), meanFull = mean(lengths);
        Oracle first = Oracle.earliestCorrect(table), stable = Oracle.stablyCorrect(table);
        List<String> names = in.test().source().classNames();
        return new EarlyExitReport(EarlyExitReport.SCHEMA, in.modelName(), in.testName(), in.validName(), dc.name(),
                dc.threshold(), cal == null ? "given" : "calibrated", dc.temperature(), dc.decoding().json(),
                cal == null ? null : s.tolerance(), n, accuracy(pred, labels), accuracy(lastPredictions(table), labels),
                in.modelAccuracy(), meanExit, meanFull, meanExit / meanFull, first.accuracy(), first.stepFraction(),
                stable.accuracy(), stable.stepFraction(), energy, fullEnergy, annEnergy,
                energy == null || fullEnergy == null || fullEnergy == 0 ? null : 1 - energy / fullEnergy, engine,
                engineAgreement, paths, layers, cal, ExitCurves.of(table, dc.threshold()),
                ExitHistogram.of(exit, lengths, labels, in.model().classes(), names));
    }

    private static int[] lastPredictions(ConfidenceTable t) {
        int[] p = new int[t.samples()];
        for (int i = 0; i < p.length; i++) {
            p[i] = t.prediction(i, t.length(i));
        }
        return p;
    }

    private static EnergyReport energy(EnergyModel em, ModelActivity a, String name, String detail) {
        return EnergyReport.build(EnergyReport.Source.now("model", name, detail), em, a.dtMs(), a.layers(),
                a.size(), a.accuracy(), null, null);
    }

    private static EnergyReport energy(EnergyModel em, List<LayerActivity> layers) {
        return EnergyReport.build(EnergyReport.Source.now("engine", "exported network", ""), em, 0, layers,
                ModelSize.builder().build(), null, null, null);
    }

    private static Double uj(double pj) {
        return pj / 1e6;
    }

    private static double mean(int[] a) {
        return a.length == 0 ? 0 : Arrays.stream(a).asLongStream().sum() / (double) a.length;
    }

    private static double accuracy(int[] pred, int[] labels) {
        int c = 0;
        for (int i = 0; i < pred.length; i++) {
            c += pred[i] == labels[i] ? 1 : 0;
        }
        return pred.length == 0 ? 0 : (double) c / pred.length;
    }

    private static double fraction(int k, int n) {
        return n == 0 ? 1 : (double) k / n;
    }
}
