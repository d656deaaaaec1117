package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.Workers;

import java.util.Random;

/**
 * A random DCLS layer for the sum tests: input counts of 1-3 at {@code density}, a Gaussian output gradient, Gaussian
 * weights and positions over the taps, the kernel built at {@code sigma} (taps) with truncation 3.
 */
record RandomDclsCase(DclsKernel kernel, SeqTensor x, SeqTensor gradOut) {
    static RandomDclsCase of(int in, int out, int taps, double sigma, int steps, int batch, double density, long seed) {
        int T2 = steps + (taps - 1) / 2;
        Random rnd = new Random(seed);
        float[] x = new float[steps * batch * in];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() < density ? 1f + rnd.nextInt(3) : 0f;
        }
        float[] r = new float[T2 * batch * out];
        for (int k = 0; k < r.length; k++) {
            r[k] = (float) rnd.nextGaussian();
        }
        return new RandomDclsCase(kernel(in, out, taps, sigma, rnd), new SeqTensor(steps, batch, in, x),
                new SeqTensor(T2, batch, out, r));
    }

    /** Gaussian weights, positions uniform over the taps, windows of 3 sigmas of {@code sigma}. */
    static DclsKernel kernel(int in, int out, int taps, double sigma, Random rnd) {
        float[] w = new float[out * in], p = new float[out * in];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) rnd.nextGaussian();
            p[k] = (float) (rnd.nextDouble() * (taps - 1) - taps / 2);
        }
        DclsKernel k = new DclsKernel(in, out, taps);
        k.build(w, p, true, sigma, 3, Workers.serial());
        return k;
    }
}
