package io.myelin.models.quant;

/**
 * Learned step-size quantization (LSQ, Esser et al. 2020) with one step size per output channel:
 * <pre>
 *   v = w / s;   q = round(clip(v, -Qn, Qp));   w_q = q * s
 *   dL/dw = dL/dw_q * [ -Qn &lt;= v &lt;= Qp ]                                      (straight-through estimator)
 *   dL/ds = g * sum_w dL/dw_q * ( q - v  inside,  -Qn below,  Qp above ),   g = 1 / sqrt(n_channel * Qp)
 * </pre>
 * Weights are {@code [channels][perChannel]} in one flat array. Rounding is half-to-even, as {@code torch.round}.
 */
public final class LsqQuantizer {
    private final BitWidth bits;
    private final int channels;
    private final int perChannel;

    public LsqQuantizer(BitWidth bits, int channels, int perChannel) {
        if (channels < 1 || perChannel < 1) {
            throw new IllegalArgumentException("channels and weights per channel must be >= 1");
        }
        this.bits = bits;
        this.channels = channels;
        this.perChannel = perChannel;
    }

    public BitWidth bits() {
        return bits;
    }

    /** LSQ's initial step size per channel: {@code 2 mean|w| / sqrt(Qp)}. */
    public float[] initialSteps(float[] w) {
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int k = 0; k < perChannel; k++) {
                sum += Math.abs(w[c * perChannel + k]);
            }
            double v = 2 * (sum / perChannel) / Math.sqrt(bits.qPos);
            s[c] = (float) Math.max(v, 1e-8);
        }
        return s;
    }

    /** Integer levels of {@code w} under steps {@code s}. */
    public int[] levels(float[] w, float[] s) {
        int[] q = new int[w.length];
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k < perChannel; k++) {
                int idx = c * perChannel + k;
                q[idx] = level(w[idx] / s[c]);
            }
        }
        return q;
    }

    private int level(float v) {
        float clipped = Math.max(-bits.qNeg, Math.min(bits.qPos, v));
        return (int) Math.rint(clipped);
    }

    /** Fake-quantized weights {@code q * s}. */
    public float[] quantize(float[] w, float[] s) {
        float[] out = new float[w.length];
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k < perChannel; k++) {
                int idx = c * perChannel + k;
                out[idx] = level(w[idx] / s[c]) * s[c];
            }
        }
        return out;
    }

    /**
     * Backward through the quantizer: adds the straight-through weight gradient into {@code gradW} and the LSQ step
     * gradient into {@code gradS}.
     */
    public void backward(float[] w, float[] s, float[] gradWq, float[] gradW, float[] gradS) {
        double g = 1.0 / Math.sqrt((double) perChannel * bits.qPos);
        for (int c = 0; c < channels; c++) {
            double ds = 0;
            for (int k = 0; k < perChannel; k++) {
                int idx = c * perChannel + k;
                float v = w[idx] / s[c];
                float gq = gradWq[idx];
                if (v < -bits.qNeg) {
                    ds += gq * -bits.qNeg;
                } else if (v > bits.qPos) {
                    ds += gq * bits.qPos;
                } else {
                    gradW[idx] += gq;
                    ds += gq * (Math.rint(v) - v);
                }
            }
            gradS[c] += (float) (ds * g);
        }
    }
}
