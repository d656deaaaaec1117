package io.myelin.models.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float vector as two double vectors and back, where the preferred double vector has half the float vector's lanes
 * ({@link #WIDENS}). The halves go through a small scratch array ({@link #SCRATCH} floats) rather than the Vector
 * API's conversions with a part number: on JDK 17 those run through {@code slice}, which is not compiled to vector
 * instructions, so every vector around them is boxed on the heap, and the boxed paths' type profiles then made the
 * JIT give up the intrinsics of other kernels (the DCLS sums) as well. Conversions of part 0 and plain loads and
 * stores are compiled. Only the preferred float shape is used (a second float shape does the same harm).
 */
final class VectorWidening {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Whether a double vector holds exactly half a float vector: otherwise the callers leave all to scalar loops. */
    static final boolean WIDENS = S.length() == 2 * D.length();
    /** Floats of scratch space the methods need. */
    static final int SCRATCH = 2 * S.length();

    private VectorWidening() {
    }

    /** Lanes {@code [0, D.length())} of {@code v} as doubles. */
    static DoubleVector lower(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    /** Lanes {@code [D.length(), S.length())} of {@code v} as doubles. */
    static DoubleVector upper(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        return lower(FloatVector.fromArray(S, scratch, D.length()));
    }

    /** {@code lo} and {@code hi} rounded to float, {@code lo} in the lower lanes. */
    static FloatVector narrow(DoubleVector lo, DoubleVector hi, float[] scratch) {
        ((FloatVector) lo.convertShape(VectorOperators.D2F, S, 0)).intoArray(scratch, 0);
        ((FloatVector) hi.convertShape(VectorOperators.D2F, S, 0)).intoArray(scratch, D.length());
        return FloatVector.fromArray(S, scratch, 0);
    }
}
