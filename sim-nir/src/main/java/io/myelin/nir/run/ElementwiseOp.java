package io.myelin.nir.run;

/** Scale ({@code y = s x}) and Threshold ({@code y = x > theta}). */
final class ElementwiseOp extends Op {
    private final double[] p;
    private final boolean threshold;

    ElementwiseOp(String key, String type, double[] p, boolean threshold) {
        super(key, type, p.length, p.length);
        this.p = p;
        this.threshold = threshold;
    }

    @Override
    void compute(Parallel par) {
        final double[] x = in, y = out;
        if (threshold) {
            for (int i = 0; i < y.length; i++) {
                y[i] = x[i] > p[i] ? 1.0 : 0.0;
            }
        } else {
            for (int i = 0; i < y.length; i++) {
                y[i] = p[i] * x[i];
            }
        }
    }

    @Override
    long synapses() {
        return threshold ? 0 : p.length;
    }
}
