package io.myelin.kernels.quant;

import java.util.Random;

/** Random integer tensors shaped like a quantized spiking layer's. */
final class RandomSpikes {
    private RandomSpikes() {
    }

    /** Spike counts in {@code 1..levels} with probability {@code density}, else 0. */
    static int[] counts(Random rng, int n, int levels, double density) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            if (levels > 0 && rng.nextDouble() < density) {
                c[i] = 1 + rng.nextInt(levels);
            }
        }
        return c;
    }

    /** Weight levels in {@code -bound..bound}. */
    static int[] weights(Random rng, int n, int bound) {
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextInt(2 * bound + 1) - bound;
        }
        return w;
    }
}
