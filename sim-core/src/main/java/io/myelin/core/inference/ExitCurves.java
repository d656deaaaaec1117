package io.myelin.core.inference;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The accuracy–latency curves of one data set (the test file), read from its {@link ConfidenceTable}, as the
 * authors' evaluation draws them:
 * <ul>
 *   <li>{@code baseline}: every sample stops at step t (or at its last step if shorter), for t = 1 .. the longest
 *       sample;</li>
 *   <li>{@code dynamic}: the cap sweep at the chosen threshold: for cap j = 1 .. the longest sample, each sample exits
 *       at its first confident step up to j, else at j (or at its last step if shorter);</li>
 *   <li>{@code oracle}: the same cap sweep for the earliest-correct oracle (a sample exits at its first correct step
 *       up to j, else at j), whose end point is that {@link Oracle}; both oracles are given as points too.</li>
 * </ul>
 * Every point gives the mean exit step (per sample, since samples differ in length) and the accuracy.
 *
 * @param threshold the threshold of the dynamic curve
 * @param baseline  point k is step k + 1
 * @param dynamic   point k is cap k + 1
 * @param oracle    point k is cap k + 1
 */
@JsonPropertyOrder({"threshold", "mean_full_steps", "baseline", "dynamic", "oracle", "oracles"})
public record ExitCurves(@JsonProperty("threshold") double threshold,
                         @JsonProperty("mean_full_steps") double meanFullSteps,
                         @JsonProperty("baseline") Curve baseline,
                         @JsonProperty("dynamic") Curve dynamic,
                         @JsonProperty("oracle") Curve oracle,
                         @JsonProperty("oracles") java.util.List<Oracle> oracles) {

    /** Mean exit step and accuracy, point by point. */
    @JsonPropertyOrder({"mean_exit_step", "accuracy"})
    public record Curve(@JsonProperty("mean_exit_step") double[] meanExitStep,
                        @JsonProperty("accuracy") double[] accuracy) {
    }

    public static ExitCurves of(ConfidenceTable t, double threshold) {
        int n = t.samples(), max = t.maxLength();
        int[] exit = new int[n], first = new int[n];
        for (int i = 0; i < n; i++) {
            exit[i] = t.exitStep(i, threshold);
            first[i] = t.length(i);
            for (int s = 1; s <= t.length(i); s++) {
                if (t.correct(i, s)) {
                    first[i] = s;
                    break;
                }
            }
        }
        double[] bs = new double[max], ba = new double[max], ds = new double[max], da = new double[max],
                os = new double[max], oa = new double[max];
        for (int j = 1; j <= max; j++) {
            long sb = 0, sd = 0, so = 0;
            int cb = 0, cd = 0, co = 0;
            for (int i = 0; i < n; i++) {
                int b = Math.min(j, t.length(i));
                int d = Math.min(exit[i], b);
                int o = Math.min(first[i], b);
                sb += b;
                sd += d;
                so += o;
                cb += t.correct(i, b) ? 1 : 0;
                cd += t.correct(i, d) ? 1 : 0;
                co += t.correct(i, o) ? 1 : 0;
            }
            bs[j - 1] = (double) sb / n;
            ba[j - 1] = (double) cb / n;
            ds[j - 1] = (double) sd / n;
            da[j - 1] = (double) cd / n;
            os[j - 1] = (double) so / n;
            oa[j - 1] = (double) co / n;
        }
        return new ExitCurves(threshold, t.meanLength(), new Curve(bs, ba), new Curve(ds, da), new Curve(os, oa),
                java.util.List.of(Oracle.earliestCorrect(t), Oracle.stablyCorrect(t)));
    }
}
