package io.myelin.core.inference;

import io.myelin.core.InvalidInputException;

import java.util.Arrays;

/**
 * Every sample's confidence and prediction at every one of its steps, recorded once by a full-length run
 * ({@link FullLength} with the temperature and decoding of the policy to calibrate): what the offline threshold
 * sweep ({@link ThresholdCalibration}), the curves and the oracles ({@link ExitCurves}) read, without simulating
 * again. Samples may have different lengths (SHD-format samples do). Steps are counted from 1: exit step e means
 * the first e steps ran.
 */
public final class ConfidenceTable {
    private final Decoding decoding;
    private final double temperature;
    private final int classes;
    private final int[] offset;
    private final double[] confidence;
    private final int[] prediction;
    private final int[] label;
    private double[] runningMax;

    private ConfidenceTable(Decoding decoding, double temperature, int classes, int[] offset, double[] confidence,
                            int[] prediction, int[] label) {
        this.decoding = decoding;
        this.temperature = temperature;
        this.classes = classes;
        this.offset = offset;
        this.confidence = confidence;
        this.prediction = prediction;
        this.label = label;
    }

    /** A table of samples over {@code classes} classes recorded with {@code decoding} at {@code temperature}. */
    public static Builder builder(Decoding decoding, double temperature, int classes) {
        DynamicConfidence.checkTemperature(temperature);
        return new Builder(decoding, temperature, classes);
    }

    /** Collects samples in order. */
    public static final class Builder {
        private final Decoding decoding;
        private final double temperature;
        private final int classes;
        private int[] offset = new int[17];
        private double[] conf = new double[1024];
        private int[] pred = new int[1024];
        private int[] label = new int[16];
        private int n;

        private Builder(Decoding decoding, double temperature, int classes) {
            this.decoding = decoding;
            this.temperature = temperature;
            this.classes = classes;
        }

        /** Adds a sample from a recording run that reached the sample's end. */
        public Builder add(int label, PolicyRun run) {
            if (run.policy().decoding() != decoding || run.policy().temperature() != temperature) {
                throw new IllegalArgumentException("run decoded with " + run.policy().decoding().json() + " at temperature "
                        + run.policy().temperature() + ", the table with " + decoding.json() + " at " + temperature);
            }
            return add(label, run.confidences(), run.predictions());
        }

        /**
         * Adds a sample's confidence and prediction after each of its steps (at least one step).
         *
         * @param label its true class, or -1 when unknown (counted as never correct)
         */
        public Builder add(int label, double[] confidence, int[] prediction) {
            if (confidence.length == 0 || confidence.length != prediction.length) {
                throw new IllegalArgumentException("a sample needs >= 1 step and one prediction per confidence, got "
                        + confidence.length + " and " + prediction.length);
            }
            for (int t = 0; t < confidence.length; t++) {
                if (!(confidence[t] > 0 && confidence[t] <= 1)) {
                    throw new InvalidInputException("sample " + n + ", step " + (t + 1) + ": confidence must be in (0, 1], got "
                            + confidence[t]);
                }
                if (prediction[t] < 0 || prediction[t] >= classes) {
                    throw new InvalidInputException("sample " + n + ", step " + (t + 1) + ": prediction " + prediction[t]
                            + " is outside 0.." + (classes - 1));
                }
            }
            if (n == this.label.length) {
                this.label = Arrays.copyOf(this.label, 2 * n);
                offset = Arrays.copyOf(offset, 2 * n + 1);
            }
            int at = offset[n];
            int end = at + confidence.length;
            if (end > conf.length) {
                conf = Arrays.copyOf(conf, Math.max(end, 2 * conf.length));
                pred = Arrays.copyOf(pred, conf.length);
            }
            System.arraycopy(confidence, 0, conf, at, confidence.length);
            System.arraycopy(prediction, 0, pred, at, prediction.length);
            this.label[n] = label;
            offset[++n] = end;
            return this;
        }

        public ConfidenceTable build() {
            if (n == 0) {
                throw new InvalidInputException("a confidence table needs at least one sample");
            }
            int steps = offset[n];
            return new ConfidenceTable(decoding, temperature, classes, Arrays.copyOf(offset, n + 1),
                    Arrays.copyOf(conf, steps), Arrays.copyOf(pred, steps), Arrays.copyOf(label, n));
        }
    }

    public Decoding decoding() {
        return decoding;
    }

    public double temperature() {
        return temperature;
    }

    public int classes() {
        return classes;
    }

    public int samples() {
        return label.length;
    }

    /** Steps of sample {@code i} (its full length). */
    public int length(int i) {
        return offset[i + 1] - offset[i];
    }

    /** The longest sample's steps. */
    public int maxLength() {
        int m = 0;
        for (int i = 0; i < samples(); i++) {
            m = Math.max(m, length(i));
        }
        return m;
    }

    /** Mean full length in steps. */
    public double meanLength() {
        return (double) offset[samples()] / samples();
    }

    public int label(int i) {
        return label[i];
    }

    /** Confidence of sample {@code i} after its step {@code step} (1-based). */
    public double confidence(int i, int step) {
        return confidence[at(i, step)];
    }

    /** Prediction of sample {@code i} after its step {@code step} (1-based). */
    public int prediction(int i, int step) {
        return prediction[at(i, step)];
    }

    /** Whether sample {@code i}'s prediction after step {@code step} is its label. */
    public boolean correct(int i, int step) {
        return prediction[at(i, step)] == label[i];
    }

    private int at(int i, int step) {
        if (step < 1 || step > length(i)) {
            throw new IndexOutOfBoundsException("step " + step + " of sample " + i + " (1.." + length(i) + ")");
        }
        return offset[i] + step - 1;
    }

    /**
     * The step at which a run of sample {@code i} under {@code DynamicConfidence(threshold)} stops: the first step
     * with confidence &gt; threshold, else its last step. Exactly what the online policy decides on the same outputs.
     */
    public int exitStep(int i, double threshold) {
        double[] m = runningMax();
        int lo = offset[i], hi = offset[i + 1] - 1;
        if (!(m[hi] > threshold)) {
            return hi - lo + 1;
        }
        while (lo < hi) {   // the running maximum is non-decreasing: the first index above the threshold
            int mid = (lo + hi) >>> 1;
            if (m[mid] > threshold) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo - offset[i] + 1;
    }

    private double[] runningMax() {
        if (runningMax == null) {
            double[] m = new double[confidence.length];
            for (int i = 0; i < samples(); i++) {
                double r = 0;
                for (int k = offset[i]; k < offset[i + 1]; k++) {
                    r = Math.max(r, confidence[k]);
                    m[k] = r;
                }
            }
            runningMax = m;
        }
        return runningMax;
    }

    /** Every confidence value recorded, sorted ascending, without repeats. */
    double[] distinctConfidences() {
        double[] c = confidence.clone();
        Arrays.sort(c);
        int k = 0;
        for (int j = 0; j < c.length; j++) {
            if (k == 0 || c[j] != c[k - 1]) {
                c[k++] = c[j];
            }
        }
        return Arrays.copyOf(c, k);
    }
}
