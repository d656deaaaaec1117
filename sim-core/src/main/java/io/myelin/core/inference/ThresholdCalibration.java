package io.myelin.core.inference;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.myelin.core.InvalidInputException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the Dynamic Confidence threshold on a validation split, offline: from a {@link ConfidenceTable} recorded
 * once at full length, every candidate threshold's exits follow without simulating again. The candidates are the
 * midpoints between consecutive distinct recorded confidences (every different behaviour on this split, with the
 * most room on both sides), one below the smallest (every sample exits at step 1) and 1 (full length); above
 * {@value #MAX_CANDIDATES} distinct values, evenly spaced ranks of them. The non-dominated points (no other point
 * with at most the mean exit step and at least the accuracy, one strictly) form the Pareto front; the threshold
 * chosen is the front's point with the fewest mean steps whose accuracy is within {@code tolerance} of the
 * full-length accuracy on the same split.
 *
 * @param decoding         the decoding the table was recorded with
 * @param temperature      its temperature
 * @param tolerance        accuracy (a fraction, 0.01 = one point) the choice may lose against full length
 * @param samples          validation samples
 * @param meanFullSteps    their mean full length (steps)
 * @param fullAccuracy     their accuracy at full length (threshold 1)
 * @param candidates       thresholds swept
 * @param front            the Pareto front, by mean exit step ascending (accuracy ascending with it)
 * @param chosen           the front's point chosen
 */
@JsonPropertyOrder({"decoding", "temperature", "tolerance", "samples", "mean_full_steps", "full_accuracy", "candidates",
        "chosen", "front"})
public record ThresholdCalibration(@JsonProperty("decoding") String decoding,
                                   @JsonProperty("temperature") double temperature,
                                   @JsonProperty("tolerance") double tolerance,
                                   @JsonProperty("samples") int samples,
                                   @JsonProperty("mean_full_steps") double meanFullSteps,
                                   @JsonProperty("full_accuracy") double fullAccuracy,
                                   @JsonProperty("candidates") int candidates,
                                   @JsonProperty("front") List<OperatingPoint> front,
                                   @JsonProperty("chosen") OperatingPoint chosen) {
    /** Candidate thresholds at most (plus the two ends). */
    public static final int MAX_CANDIDATES = 4096;

    /** Sweeps {@code validation} and chooses; {@code tolerance} in [0, 1]. */
    public static ThresholdCalibration calibrate(ConfidenceTable validation, double tolerance) {
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw new InvalidInputException("early-exit tolerance must be in [0, 1] (a fraction of accuracy), got "
                    + tolerance);
        }
        List<OperatingPoint> points = new ArrayList<>();
        for (double threshold : candidates(validation)) {
            points.add(OperatingPoint.of(validation, threshold, 0));
        }
        OperatingPoint full = OperatingPoint.of(validation, 1.0, 0);
        List<OperatingPoint> front = front(points);
        OperatingPoint chosen = null;
        for (OperatingPoint p : front) {
            // within a rounding error of the tolerance: 1e-12 is far below 1 / samples
            if (p.accuracy() >= full.accuracy() - tolerance - 1e-12) {
                chosen = p;
                break;
            }
        }
        if (chosen == null) {   // cannot happen: the full-length point, or one dominating it, qualifies
            throw new IllegalStateException("no threshold reaches the full-length accuracy");
        }
        return new ThresholdCalibration(validation.decoding().json(), validation.temperature(), tolerance,
                validation.samples(), validation.meanLength(), full.accuracy(), points.size(), List.copyOf(front), chosen);
    }

    /** The thresholds swept on {@code t}, ascending, ending with 1. */
    static double[] candidates(ConfidenceTable t) {
        double[] v = t.distinctConfidences();
        if (v.length > MAX_CANDIDATES) {
            double[] s = new double[MAX_CANDIDATES];
            for (int k = 0; k < MAX_CANDIDATES; k++) {
                s[k] = v[(int) ((long) k * (v.length - 1) / (MAX_CANDIDATES - 1))];
            }
            v = s;
        }
        List<Double> out = new ArrayList<>();
        out.add(v[0] / 2);
        for (int k = 0; k + 1 < v.length; k++) {
            double mid = v[k] + (v[k + 1] - v[k]) / 2;
            if (mid > v[k] && mid < 1) {
                out.add(mid);
            }
        }
        out.add(1.0);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The non-dominated points, by mean exit step ascending; of points equal in both, the one with the highest
     * threshold (the most cautious on new data).
     */
    public static List<OperatingPoint> front(List<OperatingPoint> points) {
        List<OperatingPoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(OperatingPoint::meanExitStep)
                .thenComparing(Comparator.comparingDouble(OperatingPoint::accuracy).reversed())
                .thenComparing(Comparator.comparingDouble(OperatingPoint::threshold).reversed()));
        List<OperatingPoint> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (OperatingPoint p : sorted) {
            if (p.accuracy() > best) {
                front.add(p);
                best = p.accuracy();
            }
        }
        return front;
    }
}
