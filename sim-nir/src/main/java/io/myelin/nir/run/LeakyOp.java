package io.myelin.nir.run;

/**
 * I, IF, LI and LIF populations: one membrane per neuron, stepped by forward Euler
 * ({@code v += dt/tau (v_leak - v + r I)}, or {@code v += dt r I} without leak) or exactly
 * ({@code v = v_inf + (v - v_inf) exp(-dt/tau)}, {@code v_inf = v_leak + r I}); spiking kinds then emit
 * {@code v > v_threshold} and reset those neurons to {@code v_reset}; the others emit v.
 */
final class LeakyOp extends Op {
    private final boolean leaky;
    private final boolean spiking;
    private final boolean exact;
    private final double dt;
    private final double[] k;      // dt / tau (Euler) or exp(-dt / tau) (exact); unused without leak
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
        this.dt = dt;
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
                vi = vi + dt * r[i] * x[i];
            } else if (exact) {
                double inf = vLeak[i] + r[i] * x[i];
                vi = inf + (vi - inf) * k[i];
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

    @Override
    void reset() {
        super.reset();
        java.util.Arrays.fill(v, 0);
    }
}
