package io.myelin.models.quant;

import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.tensor.SeqTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training mode of the LSQ-quantized DCLS layer against a plain DCLS layer (same seed) run on the fake-quantized
 * weights {@code q s} computed here: the same output and input/position gradients, the straight-through latent
 * gradient and the LSQ step gradient written out in the test.
 */
class QuantizedDelayedDenseTrainingTest {
    @ParameterizedTest
    @EnumSource(value = BitWidth.class, names = {"TERNARY", "B4"})
    void trainingPathIsDclsOnFakeQuantizedWeightsWithLsqGradients(BitWidth bits) {
        int in = 5, out = 3, taps = 7, steps = 8, batch = 2;
        long seed = 21;
        QuantizedDelayedDense l = new QuantizedDelayedDense("qd", in, out, taps, 3.0, bits, seed);
        DclsDelayedDense ref = new DclsDelayedDense("qd", in, out, taps, DclsDelayedDense.DelayMode.LEARNED, 3.0, seed);
        assertArrayEquals(ref.position().value, l.delays().position().value, "same seed, same positions");
        Random r = new Random(3 + bits.ordinal());
        // spread the latent weights so some clip at the range ends
        for (int k = 0; k < l.weight().value.length; k++) {
            l.weight().value[k] *= (float) (0.5 + 2 * r.nextDouble());
        }
        float[] x = new float[steps * batch * in];
        for (int k = 0; k < x.length; k++) {
            x[k] = r.nextDouble() < 0.5 ? 0f : r.nextInt(4) / 4f;
        }
        float[] g = new float[(steps + (taps - 1) / 2) * batch * out];
        for (int k = 0; k < g.length; k++) {
            g[k] = (float) r.nextGaussian();
        }
        l.levels();   // initialises the steps
        float[] w = l.weight().value, s = l.step().value;
        // LSQ initial steps: 2 mean|w| / sqrt(Qp) per output channel
        for (int o = 0; o < out; o++) {
            double sum = 0;
            for (int i = 0; i < in; i++) {
                sum += Math.abs(w[o * in + i]);
            }
            assertEquals(2 * sum / in / Math.sqrt(bits.qPos), s[o], 1e-6 * s[o]);
            s[o] *= 0.2f;   // smaller steps: some weights clip
        }
        SeqTensor y = l.forward(new SeqTensor(steps, batch, in, x), true);
        float[] wq = new float[w.length];
        double[] v = new double[w.length];
        int clipped = 0;
        for (int k = 0; k < w.length; k++) {
            v[k] = w[k] / s[k / in];
            double q = Math.rint(Math.max(-bits.qNeg, Math.min(bits.qPos, (float) v[k])));
            wq[k] = (float) q * s[k / in];
            clipped += v[k] < -bits.qNeg || v[k] > bits.qPos ? 1 : 0;
        }
        assertTrue(clipped > 0 && clipped < w.length, "the test needs clipped and unclipped weights, got " + clipped);
        System.arraycopy(wq, 0, ref.weight().value, 0, wq.length);
        SeqTensor yr = ref.forward(new SeqTensor(steps, batch, in, x), true);
        assertArrayEquals(yr.data, y.data, "forward = DCLS on q * s");

        SeqTensor dx = l.backward(new SeqTensor(y.steps, batch, out, g.clone()));
        SeqTensor dxr = ref.backward(new SeqTensor(y.steps, batch, out, g.clone()));
        assertArrayEquals(dxr.data, dx.data, "input gradient");
        assertArrayEquals(ref.position().grad, l.delays().position().grad, "position gradient");
        float[] gq = ref.weight().grad;
        double gs = 1 / Math.sqrt((double) in * bits.qPos);
        for (int o = 0; o < out; o++) {
            double ds = 0;
            for (int i = 0; i < in; i++) {
                int k = o * in + i;
                boolean below = v[k] < -bits.qNeg, above = v[k] > bits.qPos;
                assertEquals(below || above ? 0f : gq[k], l.weight().grad[k], "straight-through latent gradient " + k);
                ds += gq[k] * (below ? -bits.qNeg : above ? bits.qPos : Math.rint(v[k]) - v[k]);
            }
            assertEquals(gs * ds, l.step().grad[o], 1e-5 * Math.max(1, Math.abs(gs * ds)), "LSQ step gradient " + o);
        }
    }
}
