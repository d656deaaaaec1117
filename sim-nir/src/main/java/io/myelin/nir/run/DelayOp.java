package io.myelin.nir.run;

/**
 * {@code y[t] = x[t - d]} per element with {@code d = round(delay / dt)} steps, zeros before the start: a ring of
 * {@code maxDelay + 1} rows.
 */
final class DelayOp extends Op {
    private final int[] steps;
    private final int depth;
    private final double[] ring;
    private long t;

    DelayOp(String key, int[] steps) {
        super(key, "Delay", steps.length, steps.length);
        this.steps = steps;
        int max = 0;
        for (int s : steps) {
            max = Math.max(max, s);
        }
        this.depth = max + 1;
        this.ring = new double[depth * steps.length];
    }

    @Override
    void compute(Parallel par) {
        int n = steps.length;
        int slot = (int) (t % depth);
        System.arraycopy(in, 0, ring, slot * n, n);
        for (int i = 0; i < n; i++) {
            int s = slot - steps[i];
            if (s < 0) {
                s += depth;
            }
            // a slot not yet written this run still holds zero: the "before the start" of NIR's delay
            out[i] = ring[s * n + i];
        }
        t++;
    }

    @Override
    void reset() {
        super.reset();
        java.util.Arrays.fill(ring, 0);
        t = 0;
    }
}
