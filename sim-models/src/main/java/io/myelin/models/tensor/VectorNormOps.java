package io.myelin.models.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NormOps} on the Vector API: the same operations per element in the same order as the scalar loops, no fused
 * multiply-add, so the same bits. The double sums take floats of half the double vector's width, one double per float.
 * Only {@link NormOps} refers to this class.
 */
final class VectorNormOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats as many as {@link #D} has doubles. */
    private static final VectorSpecies<Float> H = FloatVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(D.vectorBitSize() / 2));

    private VectorNormOps() {
    }

    /** Returns the first feature it left for the scalar loop. */
    static int columnSums(float[] x, int b, int c0, int c1, double[] sum) {
        int c = c0;
        for (int end = c1 - H.length(); c <= end; c += H.length()) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(H, x, b + c).convertShape(VectorOperators.F2D, D, 0);
            int o = c - c0;
            DoubleVector.fromArray(D, sum, o).add(v).intoArray(sum, o);
        }
        return c;
    }

    /** Returns the first feature it left for the scalar loop. */
    static int squaredDeviations(float[] x, double[] mean, int b, int c0, int c1, double[] sq) {
        int c = c0;
        for (int end = c1 - H.length(); c <= end; c += H.length()) {
            int o = c - c0;
            DoubleVector v = ((DoubleVector) FloatVector.fromArray(H, x, b + c).convertShape(VectorOperators.F2D, D, 0))
                    .sub(DoubleVector.fromArray(D, mean, o));
            DoubleVector.fromArray(D, sq, o).add(v.mul(v)).intoArray(sq, o);
        }
        return c;
    }

    /** Returns the first feature it left for the scalar loop. */
    static int gradientSums(float[] g, float[] x, float[] mean, float[] invStd, int b, int c0, int c1, double[] db,
                            double[] dg) {
        int c = c0;
        for (int end = c1 - H.length(); c <= end; c += H.length()) {
            FloatVector gf = FloatVector.fromArray(H, g, b + c);
            FloatVector xh = FloatVector.fromArray(H, x, b + c).sub(FloatVector.fromArray(H, mean, c))
                    .mul(FloatVector.fromArray(H, invStd, c));
            DoubleVector gd = (DoubleVector) gf.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector xd = (DoubleVector) xh.convertShape(VectorOperators.F2D, D, 0);
            int o = c - c0;
            DoubleVector.fromArray(D, db, o).add(gd).intoArray(db, o);
            DoubleVector.fromArray(D, dg, o).add(gd.mul(xd)).intoArray(dg, o);
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
