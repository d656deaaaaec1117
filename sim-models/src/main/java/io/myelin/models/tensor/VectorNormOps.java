package io.myelin.models.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NormOps} on the Vector API: the same operations per element in the same order as the scalar loops, no fused
 * multiply-add, so the same bits. The double sums widen each float vector into two double vectors
 * ({@link VectorWidening}); where that does not fit the machine's vectors they leave all to the scalar loops. Only
 * {@link NormOps} refers to this class.
 */
final class VectorNormOps {
    private static final VectorSpecies<Float> S = VectorWidening.S;
    private static final VectorSpecies<Double> D = VectorWidening.D;
    private static final boolean WIDENS = VectorWidening.WIDENS;

    private VectorNormOps() {
    }

    /** Returns the first feature it left for the scalar loop. */
    static int columnSums(float[] x, int b, int c0, int c1, double[] sum) {
        if (!WIDENS) {
            return c0;
        }
        int c = c0, half = D.length();
        for (int end = c1 - S.length(); c <= end; c += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, b + c);
            int o = c - c0;
            DoubleVector.fromArray(D, sum, o).add(VectorWidening.lower(v)).intoArray(sum, o);
            DoubleVector.fromArray(D, sum, o + half).add(VectorWidening.upper(v)).intoArray(sum, o + half);
        }
        return c;
    }

    /** Returns the first feature it left for the scalar loop. */
    static int squaredDeviations(float[] x, double[] mean, int b, int c0, int c1, double[] sq) {
        if (!WIDENS) {
            return c0;
        }
        int c = c0, half = D.length();
        for (int end = c1 - S.length(); c <= end; c += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, b + c);
            int o = c - c0;
            DoubleVector v0 = VectorWidening.lower(xv).sub(DoubleVector.fromArray(D, mean, o));
            DoubleVector v1 = VectorWidening.upper(xv).sub(DoubleVector.fromArray(D, mean, o + half));
            DoubleVector.fromArray(D, sq, o).add(v0.mul(v0)).intoArray(sq, o);
            DoubleVector.fromArray(D, sq, o + half).add(v1.mul(v1)).intoArray(sq, o + half);
        }
        return c;
    }

    /** Returns the first feature it left for the scalar loop. */
    static int gradientSums(float[] g, float[] x, float[] mean, float[] invStd, int b, int c0, int c1, double[] db,
                            double[] dg) {
        if (!WIDENS) {
            return c0;
        }
        int c = c0, half = D.length();
        for (int end = c1 - S.length(); c <= end; c += S.length()) {
            FloatVector gf = FloatVector.fromArray(S, g, b + c);
            FloatVector xh = FloatVector.fromArray(S, x, b + c).sub(FloatVector.fromArray(S, mean, c))
                    .mul(FloatVector.fromArray(S, invStd, c));
            int o = c - c0;
            DoubleVector g0 = VectorWidening.lower(gf), x0 = VectorWidening.lower(xh);
            DoubleVector.fromArray(D, db, o).add(g0).intoArray(db, o);
            DoubleVector.fromArray(D, dg, o).add(g0.mul(x0)).intoArray(dg, o);
            DoubleVector g1 = VectorWidening.upper(gf), x1 = VectorWidening.upper(xh);
            DoubleVector.fromArray(D, db, o + half).add(g1).intoArray(db, o + half);
            DoubleVector.fromArray(D, dg, o + half).add(g1.mul(x1)).intoArray(dg, o + half);
        }
        return c;
    }

    /** Returns the first feature it left for the scalar loop. */
    static int inputGradient(float[] g, float[] x, float[] dx, float[] mean, float[] invStd, float[] k, float[] mb,
                             float[] mg, int b, int n) {
        int c = 0;
        for (int end = n - S.length(); c <= end; c += S.length()) {
            FloatVector xh = FloatVector.fromArray(S, x, b + c).sub(FloatVector.fromArray(S, mean, c))
                    .mul(FloatVector.fromArray(S, invStd, c));
            FloatVector gv = FloatVector.fromArray(S, g, b + c);
            FloatVector.fromArray(S, k, c).mul(gv.sub(FloatVector.fromArray(S, mb, c))
                    .sub(xh.mul(FloatVector.fromArray(S, mg, c)))).intoArray(dx, b + c);
        }
        return c;
    }
}
