package io.myelin.nir.run;

/**
 * CubaLI and CubaLIF populations: a synaptic current and a membrane per neuron. Euler:
 * {@code I' = I + dt/tau_syn (-I + w_in x)}, {@code v += dt/tau_mem (v_leak - v + r I)} with the current of
 * before the step. Exact (input held over the step): the two-exponential solution of both equations (docs/nir.md).
 * CubaLIF then emits {@code v > v_threshold} and resets to {@code v_reset}; CubaLI emits v.
 */
final class CubaOp extends Op {
    private final boolean spiking;
    private final boolean exact;
    private final double[] ks, km;    // Euler: dt/tau; exact: exp(-dt/tau)
    private final double[] cross;     // exact: the synaptic current's share in v (see docs/nir.md)
    private final double[] r, vLeak, wIn, vThreshold, vReset;
    final double[] v;
    final double[] current;

    CubaOp(String key, String type, double dt, double[] tauSyn, double[] tauMem, double[] r, double[] vLeak,
           double[] wIn, double[] vThreshold, double[] vReset, boolean exact) {
        super(key, type, r.length, r.length);
        int n = r.length;
        this.spiking = vThreshold != null;
        this.exact = exact;
        this.r = r;
        this.vLeak = vLeak;
        this.wIn = wIn;
        this.vThreshold = vThreshold;
        this.vReset = vReset;
        this.ks = new double[n];
        this.km = new double[n];
        this.cross = new double[n];
        for (int i = 0; i < n; i++) {
            if (exact) {
                double as = Math.exp(-dt / tauSyn[i]), am = Math.exp(-dt / tauMem[i]);
                ks[i] = as;
                km[i] = am;
                double diff = tauSyn[i] - tauMem[i];
                // tau_s (a_s - a_m) / (tau_s - tau_m), and its limit (dt/tau) a as tau_s -> tau_m
                cross[i] = Math.abs(diff) <= 1e-9 * tauMem[i] ? dt / tauMem[i] * am : tauSyn[i] * (as - am) / diff;
            } else {
                ks[i] = dt / tauSyn[i];
                km[i] = dt / tauMem[i];
            }
        }
        this.v = new double[n];
        this.current = new double[n];
    }

    @Override
    void compute(Parallel par) {
        final double[] x = in, y = out;
        int n = v.length;
        long s = 0;
        for (int i = 0; i < n; i++) {
            double cur = current[i], vi = v[i];
            double drive = wIn[i] * x[i];
            double nextCur;
            if (exact) {
                nextCur = drive + (cur - drive) * ks[i];
                double inf = vLeak[i] + r[i] * drive;
                vi = inf + (vi - inf) * km[i] + r[i] * (cur - drive) * cross[i];
            } else {
                nextCur = cur + ks[i] * (-cur + drive);
                vi = vi + km[i] * (vLeak[i] - vi + r[i] * cur);
            }
            current[i] = nextCur;
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
            v[i] = vi;
        }
        spikes += s;
        updates += n;
    }

    @Override
    void reset() {
        super.reset();
        java.util.Arrays.fill(v, 0);
        java.util.Arrays.fill(current, 0);
    }
}
