package io.myelin.models.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NormOps} on the Vector API: the same operations per element in the same order as the scalar loops, no fused
 * multiply-add, so the same bits. The double sums widen each float vector into two double vectors (parts 0 and 1),
 * where the preferred double vector holds half as many lanes as the float one; elsewhere they leave all to the
 * scalar loops. Only the preferred float shape is used: a second float shape in the process makes the JIT give up
 * the intrinsics of every float-vector kernel (the DCLS sums ran ten times slower). Only {@link NormOps} refers to
 * this class.
 */
final class VectorNormOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final boolean WIDENS = S.length() == 2 * D.length();

    private VectorNormOps() {
    }

    private static DoubleVector part(FloatVector v, int part) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, part);
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
            DoubleVector.fromArray(D, sum, o).add(part(v, 0)).intoArray(sum, o);
            DoubleVector.fromArray(D, sum, o + half).add(part(v, 1)).intoArray(sum, o + half);
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
            DoubleVector v0 = part(xv, 0).sub(DoubleVector.fromArray(D, mean, o));
            DoubleVector v1 = part(xv, 1).sub(DoubleVector.fromArray(D, mean, o + half));
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
            for (int p = 0; p < 2; p++) {
                DoubleVector gd = part(gf, p), xd = part(xh, p);
                int q = o + p * half;
                DoubleVector.fromArray(D, db, q).add(gd).intoArray(db, q);
                DoubleVector.fromArray(D, dg, q).add(gd.mul(xd)).intoArray(dg, q);
            }
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
