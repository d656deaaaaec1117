package io.myelin.nir.run;

/**
 * I, IF, LI and LIF populations: one membrane per neuron, stepped by forward Euler
 * ({@code v += dt/tau (v_leak - v + r I)}, or {@code v += dt r I} without leak) or exactly
 * ({@code v = v_inf + (v - v_inf) exp(-dt/tau)}, {@code v_inf = v_leak + r I}); spiking kinds then emit
 * {@code v > v_threshold} and reset those neurons to {@code v_reset}; the others emit v.
 *
 * <p>In exact mode a LIF or IF neuron that crosses its threshold during the step is reset at the crossing time and
 * integrates the rest of the step from {@code v_reset} (the continuous-time solution sampled at step ends; docs/nir.md):
 * it still emits one spike per step, with the membrane left where the continuous dynamics put it.
 */
final class LeakyOp extends Op {
    private final boolean leaky;
    private final boolean spiking;
    private final boolean exact;
    private final boolean exactReset;
    private final double dt;
    private final double[] k;      // dt / tau (Euler) or exp(-dt / tau) (exact); unused without leak
    private final double[] tau;
    private final double[] r;
    private final double[] vLeak;
    private final double[] vThreshold;
    private final double[] vReset;
    final double[] v;

    LeakyOp(String key, String type, double dt, double[] tau, double[] r, double[] vLeak, double[] vThreshold,
            double[] vReset, boolean exact) {
        super(key, type, r.length, r.length);
        int n = r.length;
        this.leaky = tau != null;
        this.spiking = vThreshold != null;
        this.exact = exact && leaky;
        this.exactReset = exact;
        this.dt = dt;
        this.tau = tau;
        this.r = r;
        this.vLeak = vLeak;
        this.vThreshold = vThreshold;
        this.vReset = vReset;
        this.k = new double[n];
        if (leaky) {
            for (int i = 0; i < n; i++) {
                k[i] = this.exact ? Math.exp(-dt / tau[i]) : dt / tau[i];
            }
        }
        this.v = new double[n];
    }

    @Override
    void compute(Parallel par) {
        final double[] x = in, y = out, m = v;
        int n = m.length;
        long s = 0;
        for (int i = 0; i < n; i++) {
            double vi = m[i];
            if (!leaky) {
                double v0 = vi;
                vi = vi + dt * r[i] * x[i];
                if (exactReset && spiking && vi > vThreshold[i]) {
                    vi = ifAfterCrossing(i, v0, x[i]);
                    y[i] = 1.0;
                    s++;
                    m[i] = vi;
                    continue;
                }
            } else if (exact) {
                double inf = vLeak[i] + r[i] * x[i];
                double v0 = vi;
                vi = inf + (vi - inf) * k[i];
                if (spiking && vi > vThreshold[i]) {
                    vi = lifAfterCrossing(i, v0, inf);
                    y[i] = 1.0;
                    s++;
                    m[i] = vi;
                    continue;
                }
            } else {
                vi = vi + k[i] * (vLeak[i] - vi + r[i] * x[i]);
            }
            if (spiking) {
                if (vi > vThreshold[i]) {
                    vi = vReset[i];
                    y[i] = 1.0;
                    s++;
                } else {
                    y[i] = 0.0;
                }
            } else {
                y[i] = vi;
            }
            m[i] = vi;
        }
        spikes += s;
        updates += n;
    }

    /**
     * The membrane at the end of a step in which a LIF neuron (heading for {@code inf > v_threshold}) crossed its
     * threshold: reset at the crossing, then exact integration over the rest of the step, again after every further
     * crossing (each takes the same time from v_reset).
     */
    private double lifAfterCrossing(int i, double v0, double inf) {
        double th = vThreshold[i], tau = this.tau[i];
        double left = dt - (v0 > th ? 0 : tau * Math.log((inf - v0) / (inf - th)));
        double vr = vReset[i];
        if (vr < th && inf > th) {
            double period = tau * Math.log((inf - vr) / (inf - th));
            if (period > 0) {
                left = left - period * Math.floor(left / period);
            }
        }
        return inf + (vr - inf) * Math.exp(-left / tau);
    }

    /** The same for IF (linear rise {@code r I} per second). */
    private double ifAfterCrossing(int i, double v0, double xi) {
        double slope = r[i] * xi, th = vThreshold[i], vr = vReset[i];
        double left = dt - Math.max(0, (th - v0) / slope);
        if (vr < th) {
            double period = (th - vr) / slope;
            left = left - period * Math.floor(left / period);
        }
        return vr + slope * left;
    }

    @Override
    void reset() {
        super.reset();
        java.util.Arrays.fill(v, 0);
    }
}
