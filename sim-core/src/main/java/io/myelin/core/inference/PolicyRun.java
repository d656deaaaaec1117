package io.myelin.core.inference;

import java.util.Arrays;

/**
 * One sample's run under a {@link StoppingPolicy}: the running sum of its decoded step outputs and the decision after
 * each step. A path calls {@link #offer} after every step it simulates (or {@link #offerSteps} after a chunk of steps
 * with their per-step outputs) and stops simulating the sample as soon as it returns true; at the sample's last step
 * it stops anyway and takes {@link #prediction()} as the answer.
 *
 * <p>Arithmetic (in double, the same in every path, so equal step outputs give equal decisions):
 * <pre>
 *   sum_t = sum_{tau &lt;= t} d(o_tau),    d(o) = o (SUM) or softmax(o) (SOFTMAX_SUM)
 *   c_t   = max_c softmax(sum_t / temperature)_c = 1 / sum_c exp((sum_t[c] - max sum_t) / temperature)
 *   prediction = argmax sum_t  (the first class on ties)
 * </pre>
 */
public final class PolicyRun {
    private final StoppingPolicy policy;
    private final int classes;
    private final boolean softmax;
    private final double invTemperature;
    private final double[] sum;
    private final double[] p;
    private int steps;
    private int prediction;
    private double confidence;
    private boolean stopped;
    private double[] confTrace;
    private int[] predTrace;

    PolicyRun(StoppingPolicy policy, int classes, boolean record) {
        if (classes < 1) {
            throw new IllegalArgumentException("a run needs >= 1 class, got " + classes);
        }
        this.policy = policy;
        this.classes = classes;
        this.softmax = policy.decoding() == Decoding.SOFTMAX_SUM;
        this.invTemperature = 1.0 / policy.temperature();
        this.sum = new double[classes];
        this.p = new double[classes];
        if (record) {
            confTrace = new double[64];
            predTrace = new int[64];
        }
    }

    public StoppingPolicy policy() {
        return policy;
    }

    public int classes() {
        return classes;
    }

    /**
     * Adds the output of the next step, {@code out[offset .. offset + classes)}, and decides.
     *
     * @return true when the policy stops the run at this step (the caller must not offer more)
     */
    public boolean offer(float[] out, int offset) {
        checkRunning();
        if (softmax) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, out[offset + c]);
            }
            double z = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = Math.exp(out[offset + c] - max);
                z += p[c];
            }
            for (int c = 0; c < classes; c++) {
                sum[c] += p[c] / z;
            }
        } else {
            for (int c = 0; c < classes; c++) {
                sum[c] += out[offset + c];
            }
        }
        return decide();
    }

    /**
     * Offers up to {@code steps} consecutive step outputs of a chunk, the output of chunk step k at
     * {@code out[offset + k * stride]}; stops at the first step the policy fires on.
     *
     * @return the steps consumed (all of them unless the run stopped)
     */
    public int offerSteps(float[] out, int offset, int steps, int stride) {
        for (int k = 0; k < steps; k++) {
            if (offer(out, offset + k * stride)) {
                return k + 1;
            }
        }
        return steps;
    }

    /**
     * For a model whose earlier outputs change as the sample grows (non-causal attention): replaces the running sum
     * by the sum over the first {@link #steps()} + 1 steps recomputed on that prefix, {@code total[0 .. classes)}, and
     * decides. Only with {@link Decoding#SUM} (a recomputed sum has no per-step softmax).
     */
    public boolean offerTotal(double[] total) {
        checkRunning();
        if (softmax) {
            throw new IllegalStateException("a recomputed prefix sum cannot be decoded as softmax-sum");
        }
        System.arraycopy(total, 0, sum, 0, classes);
        return decide();
    }

    private void checkRunning() {
        if (stopped) {
            throw new IllegalStateException("the policy stopped this run at step " + steps + "; nothing more to offer");
        }
    }

    private boolean decide() {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (sum[c] > sum[best]) {
                best = c;
            }
        }
        double max = sum[best];
        double z = 0;
        for (int c = 0; c < classes; c++) {
            z += Math.exp((sum[c] - max) * invTemperature);
        }
        prediction = best;
        confidence = 1.0 / z;
        if (confTrace != null) {
            if (steps == confTrace.length) {
                confTrace = Arrays.copyOf(confTrace, 2 * steps);
                predTrace = Arrays.copyOf(predTrace, 2 * steps);
            }
            confTrace[steps] = confidence;
            predTrace[steps] = best;
        }
        steps++;
        stopped = policy.stops(confidence);
        return stopped;
    }

    /** Steps offered so far: the exit step once the run has stopped or the sample ended. */
    public int steps() {
        return steps;
    }

    /** Whether the policy stopped the run (false for a run that reached the sample's end). */
    public boolean stopped() {
        return stopped;
    }

    /** The current prediction (argmax of the running sum); 0 before any step. */
    public int prediction() {
        return prediction;
    }

    /** The current confidence {@code max softmax(sum / temperature)}; 0 before any step. */
    public double confidence() {
        return confidence;
    }

    /** The running sum (a copy). */
    public double[] sum() {
        return sum.clone();
    }

    /** Confidence after every step so far (a recording run only). */
    public double[] confidences() {
        requireRecording();
        return Arrays.copyOf(confTrace, steps);
    }

    /** Prediction after every step so far (a recording run only). */
    public int[] predictions() {
        requireRecording();
        return Arrays.copyOf(predTrace, steps);
    }

    private void requireRecording() {
        if (confTrace == null) {
            throw new IllegalStateException("this run does not record its steps; start it with startRecording");
        }
    }
}
