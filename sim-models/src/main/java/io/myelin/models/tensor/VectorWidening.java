package io.myelin.models.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float vector as two double vectors and back, where the preferred double vector has half the float vector's lanes
 * ({@link #WIDENS}). The upper half moves down (and back up) by a constant lane shuffle and only part-0 conversions
 * run, rather than the Vector API's conversions with a part number: on JDK 17 those go through {@code slice}, which
 * is not compiled to vector instructions, so every vector around them was boxed on the heap (gigabytes per epoch).
 * Only the preferred float shape is used: with a second float shape in the process the JIT gave up the intrinsics of
 * the DCLS kernels as well, which ran ten times slower.
 */
final class VectorWidening {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Whether a double vector holds exactly half a float vector: otherwise the callers leave all to scalar loops. */
    static final boolean WIDENS = S.length() == 2 * D.length();
    /** Lane {@code k} takes lane {@code k + D.length()} (wrapping): the upper half moved down. */
    private static final VectorShuffle<Float> DOWN = VectorShuffle.iota(S, D.length(), 1, true);
    /** Lane {@code k} takes lane {@code k - D.length()} (wrapping): the lower half moved up. */
    private static final VectorShuffle<Float> UP = VectorShuffle.iota(S, S.length() - D.length(), 1, true);
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, -1L << D.length());

    private VectorWidening() {
    }

    /** Lanes {@code [0, D.length())} of {@code v} as doubles. */
    static DoubleVector lower(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    /** Lanes {@code [D.length(), S.length())} of {@code v} as doubles. */
    static DoubleVector upper(FloatVector v) {
        return lower(v.rearrange(DOWN));
    }

    /** {@code lo} and {@code hi} rounded to float, {@code lo} in the lower lanes. */
    static FloatVector narrow(DoubleVector lo, DoubleVector hi) {
        FloatVector l = (FloatVector) lo.convertShape(VectorOperators.D2F, S, 0);
        FloatVector h = (FloatVector) hi.convertShape(VectorOperators.D2F, S, 0);
        return l.blend(h.rearrange(UP), UPPER);
    }
}
