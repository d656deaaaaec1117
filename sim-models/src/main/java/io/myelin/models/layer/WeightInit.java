package io.myelin.models.layer;

import cern.jet.random.engine.MersenneTwister;

/** Seeded initialisation shared by the synaptic layers. */
final class WeightInit {
    private WeightInit() {
    }

    /** Colt's Mersenne Twister seeded from both halves of a 64-bit seed. */
    static MersenneTwister rng(long seed) {
        return new MersenneTwister((int) (seed ^ (seed >>> 32)));
    }

    /** Kaiming-uniform weights (PyTorch's default for ReLU-like units): U(-b, b), {@code b = sqrt(6 / fanIn)}. */
    static float[] kaimingUniform(int count, int fanIn, MersenneTwister rng) {
        float[] w = new float[count];
        double bound = Math.sqrt(6.0 / fanIn);
        for (int k = 0; k < count; k++) {
            w[k] = (float) ((2 * rng.raw() - 1) * bound);
        }
        return w;
    }
}
