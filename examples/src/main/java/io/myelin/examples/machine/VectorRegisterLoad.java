package io.myelin.examples.machine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link RegisterLoad} on the Vector API. Load only where {@code jdk.incubator.vector} is in the boot layer. */
final class VectorRegisterLoad {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorRegisterLoad() {
    }

    static int lanes() {
        return S.length();
    }

    static double run(long iterations) {
        FloatVector a = FloatVector.broadcast(S, 1.0001f), b = FloatVector.broadcast(S, 0.9999f);
        FloatVector x0 = FloatVector.broadcast(S, 1f), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0, x6 = x0, x7 = x0;
        for (long i = 0; i < iterations; i++) {
            x0 = x0.fma(a, b);
            x1 = x1.fma(a, b);
            x2 = x2.fma(a, b);
            x3 = x3.fma(a, b);
            x4 = x4.fma(b, a);
            x5 = x5.fma(b, a);
            x6 = x6.fma(b, a);
            x7 = x7.fma(b, a);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).reduceLanes(VectorOperators.ADD);
    }
}
