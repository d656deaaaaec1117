package io.myelin.models.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ThreeTapGathers#four} on the JDK's Vector API. A load at {@code row + s - 2} holds taps 2, 1 and 0 of one
 * (event, synapse) in lanes 0, 1 and 2 (the lanes past them, further rows, are dropped): each lane is a chain of its
 * own, with a multiply rounded to float and then an add, never fused, as in the scalar loop. The scalar loop pays
 * three loads, three multiplies and three adds per (event, synapse) and waits on its additions' latency; here one
 * load, one multiply and one add, with the four synapses' eight chains in flight (1.6-1.7x faster stand-alone, 2-vCPU
 * Zen 3, 256 x 256 synapses, 850 events per input). Eight synapses at once need more than AVX2's 16 vector registers
 * and were slower.
 *
 * <p>The vectors are the preferred species, as every other float kernel's, although four lanes would do: a second
 * float shape in the process pollutes the type profiles that the Vector API's shared code gives the JIT, and in 5
 * runs of 12 the block-sum kernels were then compiled on boxed vectors (a fifth of their speed).
 * Only {@link ThreeTapGathers} refers to this class, and only when the module is present.
 */
final class VectorThreeTapGathers {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Floats a load reads past the row of tap 0. */
    static int slack() {
        return S.length() - 3;
    }

    private VectorThreeTapGathers() {
    }

    static void four(float[] g0, float[] g1, float[] g2, float[] g3, int a, int z, int[] row, float[] val, int s0,
                     int s1, int s2, int s3, float[] d, int d0, int d1, int d2, int d3) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, e0 = c0, e1 = c0, e2 = c0, e3 = c0;
        int q = a;
        for (; q + 1 < z; q += 2) {
            int r = row[q] - 2, rr = row[q + 1] - 2;
            FloatVector v = FloatVector.broadcast(S, val[q]), w = FloatVector.broadcast(S, val[q + 1]);
            c0 = c0.add(FloatVector.fromArray(S, g0, r + s0).mul(v));
            c1 = c1.add(FloatVector.fromArray(S, g1, r + s1).mul(v));
            c2 = c2.add(FloatVector.fromArray(S, g2, r + s2).mul(v));
            c3 = c3.add(FloatVector.fromArray(S, g3, r + s3).mul(v));
            e0 = e0.add(FloatVector.fromArray(S, g0, rr + s0).mul(w));
            e1 = e1.add(FloatVector.fromArray(S, g1, rr + s1).mul(w));
            e2 = e2.add(FloatVector.fromArray(S, g2, rr + s2).mul(w));
            e3 = e3.add(FloatVector.fromArray(S, g3, rr + s3).mul(w));
        }
        if (q < z) {
            int r = row[q] - 2;
            FloatVector v = FloatVector.broadcast(S, val[q]);
            c0 = c0.add(FloatVector.fromArray(S, g0, r + s0).mul(v));
            c1 = c1.add(FloatVector.fromArray(S, g1, r + s1).mul(v));
            c2 = c2.add(FloatVector.fromArray(S, g2, r + s2).mul(v));
            c3 = c3.add(FloatVector.fromArray(S, g3, r + s3).mul(v));
        }
        store(c0.add(e0), d, d0);
        store(c1.add(e1), d, d1);
        store(c2.add(e2), d, d2);
        store(c3.add(e3), d, d3);
    }

    /** Lanes 2, 1, 0 hold taps 0, 1, 2. */
    private static void store(FloatVector sum, float[] d, int at) {
        d[at] = sum.lane(2);
        d[at + 1] = sum.lane(1);
        d[at + 2] = sum.lane(0);
    }
}
