package io.myelin.models.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NormLifOps} on the Vector API: the same float operations in the same order as the scalar loop (no fused
 * multiply-add), so the same bits. Only {@link NormLifOps} refers to this class.
 */
final class VectorNormLifOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** The surrogate is computed in double: each float vector as two double vectors ({@link VectorWidening}). */
    private static final VectorSpecies<Double> D = VectorWidening.D;

    private VectorNormLifOps() {
    }

    /** Returns the first feature it left for the scalar loop (high 32 bits) and the spikes it found (low 32 bits). */
    static long forwardRow(float[] x, float[] h, float[] out, float[] v, int vOff, float[] mask, int maskOff,
                           int base, int n, float[] mean, float[] invStd, float[] gamma, float[] beta, float tau,
                           float threshold) {
        int c = 0, spikes = 0;
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        for (int end = n - S.length(); c <= end; c += S.length()) {
            FloatVector xh = FloatVector.fromArray(S, x, base + c).sub(FloatVector.fromArray(S, mean, c))
                    .mul(FloatVector.fromArray(S, invStd, c));
            FloatVector y = FloatVector.fromArray(S, gamma, c).mul(xh).add(FloatVector.fromArray(S, beta, c));
            FloatVector vi = FloatVector.fromArray(S, v, vOff + c);
            FloatVector hi = vi.sub(vi.div(tau)).add(y);
            hi.intoArray(h, base + c);
            VectorMask<Float> spike = hi.compare(VectorOperators.GE, threshold);
            spikes += spike.trueCount();
            FloatVector s = zero.blend(one, spike);
            (mask == null ? s : s.mul(FloatVector.fromArray(S, mask, maskOff + c))).intoArray(out, base + c);
            hi.blend(zero, spike).intoArray(v, vOff + c);
        }
        return ((long) c << 32) | spikes;
    }

    /** Returns the first feature it left for the scalar loop. */
    static int backwardRow(float[] g, float[] mask, int maskOff, float[] h, float[] dh, float[] dv, int vOff,
                           int base, int n, float threshold, float keep, double halfAlpha, double slope) {
        if (!VectorWidening.WIDENS) {
            return 0;
        }
        int c = 0;
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        DoubleVector peak = DoubleVector.broadcast(D, halfAlpha);
        for (int end = n - S.length(); c <= end; c += S.length()) {
            FloatVector gk = FloatVector.fromArray(S, g, base + c);
            if (mask != null) {
                gk = gk.mul(FloatVector.fromArray(S, mask, maskOff + c));
            }
            FloatVector hv = FloatVector.fromArray(S, h, base + c);
            FloatVector diff = hv.sub(threshold);
            DoubleVector z0 = VectorWidening.lower(diff).mul(slope);
            DoubleVector z1 = VectorWidening.upper(diff).mul(slope);
            FloatVector sur = VectorWidening.narrow(peak.div(z0.mul(z0).add(1.0)),
                    peak.div(z1.mul(z1).add(1.0)));
            FloatVector s = zero.blend(one, hv.compare(VectorOperators.GE, threshold));
            FloatVector d = gk.mul(sur).add(FloatVector.fromArray(S, dv, vOff + c).mul(one.sub(s)));
            d.intoArray(dh, base + c);
            d.mul(keep).intoArray(dv, vOff + c);
        }
        return c;
    }
}
