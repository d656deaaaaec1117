package io.myelin.core.inference;

/**
 * Every sample runs to its last step (what every path did before Dynamic Confidence). The decoding and temperature
 * still define its prediction and the confidence it records, so a full-length run of the validation split is what
 * {@link ThresholdCalibration} sweeps.
 */
public record FullLength(Decoding decoding, double temperature) implements StoppingPolicy {
    public FullLength {
        DynamicConfidence.checkTemperature(temperature);
        java.util.Objects.requireNonNull(decoding, "decoding");
    }

    @Override
    public boolean stops(double confidence) {
        return false;
    }

    @Override
    public String name() {
        return "full-length";
    }
}
