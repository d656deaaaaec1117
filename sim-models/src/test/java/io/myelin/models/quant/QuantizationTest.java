package io.myelin.models.quant;

import io.myelin.models.tensor.SeqTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuantizationTest {
    @Test
    void lsqByHand() {
        // 4-bit: levels -8..7. One channel, step 0.5: w/s = 0.6, -1.3, 5.0, -20 -> q = 1, -1, 5 (4.999.. rounds to 5), -8
        LsqQuantizer q = new LsqQuantizer(BitWidth.B4, 1, 4);
        float[] w = {0.3f, -0.65f, 2.5f, -10f}, s = {0.5f};
        assertArrayEquals(new int[]{1, -1, 5, -8}, q.levels(w, s));
        assertArrayEquals(new float[]{0.5f, -0.5f, 2.5f, -4f}, q.quantize(w, s));
        float[] gWq = {1f, 2f, -1f, 0.5f}, gW = new float[4], gS = new float[1];
        q.backward(w, s, gWq, gW, gS);
        // straight-through inside the range, blocked where clipped
        assertArrayEquals(new float[]{1f, 2f, -1f, 0f}, gW);
        // ds = g * [1*(1-0.6) + 2*(-1+1.3) + (-1)*(5-5) + 0.5*(-8)],  g = 1/sqrt(4*7)
        double expected = (0.4 + 0.6 + 0 - 4.0) / Math.sqrt(28);
        assertEquals(expected, gS[0], 1e-6);
    }

    @Test
    void ternaryAndInitialStep() {
        LsqQuantizer q = new LsqQuantizer(BitWidth.TERNARY, 2, 2);
        float[] w = {0.9f, -0.2f, 3f, -3f};
        float[] s = q.initialSteps(w);
        assertEquals(2 * 0.55 / Math.sqrt(1), s[0], 1e-6);
        assertEquals(6, s[1], 1e-6);
        // 0.9/1.1 -> 1, -0.2/1.1 -> 0; +-3/6 = +-0.5 round half to even -> 0
        assertArrayEquals(new int[]{1, 0, 0, 0}, q.levels(w, s));
    }

    @ParameterizedTest
    @EnumSource(BitWidth.class)
    void packingRoundTripsEveryLevel(BitWidth bits) {
        Random r = new Random(bits.ordinal());
        int channels = 3, per = 37;   // 111 levels: words are crossed at every width
        int[] levels = new int[channels * per];
        for (int k = 0; k < levels.length; k++) {
            levels[k] = k < bits.qNeg + bits.qPos + 1 ? k - bits.qNeg : r.nextInt(bits.qNeg + bits.qPos + 1) - bits.qNeg;
        }
        float[] scales = {0.1f, 0.2f, 0.3f};
        PackedWeights p = PackedWeights.pack(bits, channels, per, levels, scales);
        assertArrayEquals(levels, p.levels());
        assertEquals((long) levels.length * bits.storedBits + 96, p.storedBits());
        assertEquals((levels.length * bits.storedBits + 63) / 64, p.words().length);
    }

    @Test
    void packingRejectsOutOfRangeLevels() {
        assertThrows(io.myelin.core.InvalidInputException.class,
                () -> PackedWeights.pack(BitWidth.B2, 1, 1, new int[]{2}, new float[]{1}));
    }

    @Test
    void quantizedLinearUsesQuantizedWeightsAndPassesGradients() {
        int in = 5, out = 3, T = 4, B = 2;
        QuantizedLinear l = new QuantizedLinear("q", in, out, BitWidth.B4, 3);
        Random r = new Random(2);
        float[] x = new float[T * B * in];
        for (int k = 0; k < x.length; k++) {
            x[k] = r.nextDouble() < 0.5 ? 1f : 0f;
        }
        SeqTensor y = l.forward(new SeqTensor(T, B, in, x), true);
        int[] q = l.packed().levels();
        float[] s = l.step().value;
        for (int row = 0; row < T * B; row++) {
            for (int o = 0; o < out; o++) {
                double e = 0;
                for (int i = 0; i < in; i++) {
                    e += q[o * in + i] * (double) s[o] * x[row * in + i];
                }
                assertEquals(e, y.data[row * out + o], 1e-5, "output = sum of level x step over spiking inputs");
            }
        }
        float[] g = new float[T * B * out];
        java.util.Arrays.fill(g, 1f);
        SeqTensor dx = l.backward(new SeqTensor(T, B, out, g));
        // dx[row][i] = sum_o w_q[o][i]; the latent weights receive the straight-through gradient sum_rows x
        for (int i = 0; i < in; i++) {
            double e = 0;
            for (int o = 0; o < out; o++) {
                e += q[o * in + i] * (double) s[o];
            }
            assertEquals(e, dx.data[i], 1e-5);
        }
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double count = 0;
                for (int row = 0; row < T * B; row++) {
                    count += x[row * in + i];
                }
                float v = l.weight().value[o * in + i] / s[o];
                boolean inside = v >= -8 && v <= 7;
                assertEquals(inside ? count : 0, l.weight().grad[o * in + i], 1e-5);
            }
        }
    }
}
