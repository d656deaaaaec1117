package io.myelin.models.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NormLifOps} on the Vector API: the same float operations in the same order as the scalar loop (no fused
 * multiply-add), so the same bits. Only {@link NormLifOps} refers to this class.
 */
final class VectorNormLifOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as {@link #D} has doubles: the surrogate is computed in double. */
    private static final VectorSpecies<Float> H = FloatVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(D.vectorBitSize() / 2));

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
        int c = 0;
        FloatVector zero = FloatVector.zero(H), one = FloatVector.broadcast(H, 1f);
        for (int end = n - H.length(); c <= end; c += H.length()) {
            FloatVector gk = FloatVector.fromArray(H, g, base + c);
            if (mask != null) {
                gk = gk.mul(FloatVector.fromArray(H, mask, maskOff + c));
            }
            FloatVector hv = FloatVector.fromArray(H, h, base + c);
            DoubleVector z = ((DoubleVector) hv.sub(threshold).convertShape(VectorOperators.F2D, D, 0)).mul(slope);
            FloatVector sur = (FloatVector) DoubleVector.broadcast(D, halfAlpha).div(z.mul(z).add(1.0))
                    .convertShape(VectorOperators.D2F, H, 0);
            FloatVector s = zero.blend(one, hv.compare(VectorOperators.GE, threshold));
            FloatVector d = gk.mul(sur).add(FloatVector.fromArray(H, dv, vOff + c).mul(one.sub(s)));
            d.intoArray(dh, base + c);
            d.mul(keep).intoArray(dv, vOff + c);
        }
        return c;
    }
}
