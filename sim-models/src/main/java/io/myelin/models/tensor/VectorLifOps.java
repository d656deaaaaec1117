package io.myelin.models.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One step of the discrete-time LIF forward pass on the Vector API (see {@link LifOps}); the same float operations
 * in the same order as the scalar loop, so the same bits. Only {@link LifOps} refers to this class.
 */
final class VectorLifOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorLifOps() {
    }

    /** Returns the first index it left for the scalar loop. */
    static int step(float[] x, float[] h, float[] s, float[] v, int base, int from, int to, float tau, float threshold) {
        int k = from;
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        for (int end = to - S.length(); k <= end; k += S.length()) {
            int vo = k - from;
            FloatVector vi = FloatVector.fromArray(S, v, vo);
            FloatVector hi = vi.sub(vi.div(tau)).add(FloatVector.fromArray(S, x, base + k));
            hi.intoArray(h, base + k);
            VectorMask<Float> spike = hi.compare(VectorOperators.GE, threshold);
            zero.blend(one, spike).intoArray(s, base + k);
            hi.blend(zero, spike).intoArray(v, vo);
        }
        return k;
    }
}
