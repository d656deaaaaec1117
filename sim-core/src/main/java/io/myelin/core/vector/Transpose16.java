package io.myelin.core.vector;

/**
 * 16 x 16 blocks of floats transposed in registers, for kernels that compute along one axis (a neuron's steps in a
 * vector) and integrate along the other (a step's neurons in a vector): the layered engines' LIF tiles and the delay
 * SNN's inference. A transpose only moves values, so results never depend on whether it runs.
 */
public final class Transpose16 {
    private static final boolean AVAILABLE = VectorApi.usable(VectorTranspose16::sixteenLanes);

    private Transpose16() {
    }

    /** Whether {@link #transpose} runs here: the Vector API with 16 float lanes (AVX-512). */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * {@code dst[dstAt + c * dstStride + r] = src[srcAt + r * srcStride + c]} for r, c &lt; 16. Only where
     * {@link #available()}.
     */
    public static void transpose(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int dstStride) {
        VectorTranspose16.transpose(src, srcAt, srcStride, dst, dstAt, dstStride);
    }
}
