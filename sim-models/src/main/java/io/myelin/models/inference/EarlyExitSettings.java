package io.myelin.models.inference;

import io.myelin.core.InvalidInputException;
import io.myelin.core.inference.Decoding;
import io.myelin.core.inference.DynamicConfidence;
import io.myelin.core.energy.EnergyModel;

/**
 * How to run a Dynamic Confidence evaluation.
 *
 * @param threshold   the threshold in (0, 1], or null to calibrate it on a validation split
 * @param temperature softmax temperature, or null for the model's default ({@link #defaultTemperature})
 * @param decoding    what is summed per step, or null for the model's default
 * @param tolerance   accuracy (a fraction) calibration may lose against full length, in [0, 1]
 * @param engine      an engine to run the exported network in as well ("clock", "event"), or null (delay SNN)
 * @param integer     an integer backend to run as well ("java", "opencl", ...), or null (QSD-Transformer; its
 *                    quantized models always count their energy on the Java integer path)
 * @param energyModel the energy model's name or file
 * @param threads     worker threads (results do not depend on them)
 */
public record EarlyExitSettings(Double threshold, Double temperature, Decoding decoding, double tolerance,
                                String engine, String integer, String energyModel, int threads) {
    public EarlyExitSettings {
        if (threshold != null) {
            new DynamicConfidence(threshold, 1, Decoding.SUM);   // checks the range, one clear line
        }
        if (temperature != null) {
            new DynamicConfidence(1, temperature, Decoding.SUM);
        }
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw new InvalidInputException("early-exit tolerance must be in [0, 100] accuracy points, got "
                    + 100 * tolerance);
        }
        if (threads < 1) {
            throw new InvalidInputException("threads must be >= 1, got " + threads);
        }
        EnergyModel.resolve(energyModel == null ? "45nm" : energyModel);
    }

    /** Calibrate the threshold on a validation split. */
    public boolean calibrate() {
        return threshold == null;
    }

    /**
     * The default temperature of a decoding: the authors' 30 for summed outputs; 2 for summed per-step
     * probabilities, which grow by at most 1 per step (at 2 the thresholds calibrated on spoken digits, 0.58–0.65,
     * bracket the authors' 0.6; BENCHMARKS.md).
     */
    public static double defaultTemperature(Decoding d) {
        return d == Decoding.SOFTMAX_SUM ? 2.0 : DynamicConfidence.PAPER_TEMPERATURE;
    }
}
