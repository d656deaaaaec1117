package io.myelin.models.layer.dcls;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GaussianTaps#gaussians} on the JDK's Vector API, one synapse per lane, every operation the scalar one
 * lanewise (IEEE double, nothing fused): the same bits. The power of two is built in 64-bit lanes by a left shift,
 * which AVX2 has; the halving of k stays in doubles, as AVX2 has no 64-bit arithmetic right shift.
 * Only {@link GaussianTaps} refers to this class, and only when the module is present.
 */
final class VectorGaussianTaps {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> J = LongVector.SPECIES_PREFERRED;
    private static final int L = D.length();
    /** 1023 less the rounder's bits: added to a rounded double's bits, it gives the biased exponent of 2^k. */
    private static final long EXPONENT_BIAS = 1023 - GaussianTaps.ROUNDER_BITS;

    private VectorGaussianTaps() {
    }

    static int lanes() {
        return J.length() == L ? L : 0;
    }

    static void gaussians(double[] mu, double inv2s2, int taps, double[] g, double[] total, double[] first) {
        DoubleVector m = DoubleVector.fromArray(D, mu, 0);
        DoubleVector sum = DoubleVector.zero(D), moment = sum;
        for (int n = 0; n < taps; n++) {
            DoubleVector d = DoubleVector.broadcast(D, (double) n).sub(m);
            // GaussianTaps.exp lanewise, written out here: a vector returned from a call the JIT does not inline is
            // boxed, which made the build slower than Math.exp
            DoubleVector y = d.neg().mul(d).mul(inv2s2).max(GaussianTaps.LOWEST);
            DoubleVector t = y.mul(GaussianTaps.LOG2_E).add(GaussianTaps.ROUNDER);
            DoubleVector kd = t.sub(GaussianTaps.ROUNDER);
            DoubleVector r = y.sub(kd.mul(GaussianTaps.LN2_HI)).sub(kd.mul(GaussianTaps.LN2_LO));
            DoubleVector r2 = r.mul(r), r4 = r2.mul(r2), r8 = r4.mul(r4);
            DoubleVector b0 = r.mul(GaussianTaps.C4).add(GaussianTaps.C3)
                    .add(r2.mul(r.mul(GaussianTaps.C6).add(GaussianTaps.C5)));
            DoubleVector b1 = r.mul(GaussianTaps.C8).add(GaussianTaps.C7)
                    .add(r2.mul(r.mul(GaussianTaps.C10).add(GaussianTaps.C9)));
            DoubleVector b2 = r.mul(GaussianTaps.C12).add(GaussianTaps.C11).add(r2.mul(GaussianTaps.C13));
            DoubleVector q = b0.add(r4.mul(b1)).add(r8.mul(b2));
            DoubleVector p = r.mul(r.mul(r.mul(q).add(GaussianTaps.C2)).add(1)).add(1);
            DoubleVector h = kd.mul(0.5).add(GaussianTaps.ROUNDER);
            DoubleVector k2 = kd.sub(h.sub(GaussianTaps.ROUNDER)).add(GaussianTaps.ROUNDER);
            LongVector e1 = (LongVector) h.reinterpretAsLongs();
            LongVector e2 = (LongVector) k2.reinterpretAsLongs();
            DoubleVector s1 = (DoubleVector) e1.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles();
            DoubleVector s2 = (DoubleVector) e2.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles();
            DoubleVector v = p.mul(s1).mul(s2);
            v.intoArray(g, n * L);
            sum = sum.add(v);
            moment = moment.add(v.mul(d));
        }
        sum.intoArray(total, 0);
        moment.intoArray(first, 0);
    }
}
