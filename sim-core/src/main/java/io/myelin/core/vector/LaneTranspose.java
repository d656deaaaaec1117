package io.myelin.core.vector;

/**
 * Square blocks of floats, one vector's lanes on a side (16 x 16 with AVX-512, 8 x 8 with AVX2), transposed in
 * registers, for kernels that compute along one axis (a neuron's steps in a vector) and integrate along the other (a
 * step's neurons in a vector): the layered engines' LIF tiles and the delay SNN's inference. A transpose only moves
 * values, so results never depend on whether it runs.
 */
public final class LaneTranspose {
    private static final boolean AVAILABLE = VectorApi.usable(VectorLaneTranspose::supported);

    private LaneTranspose() {
    }

    /** Whether {@link #transpose} runs here: the Vector API with 8 or 16 float lanes. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** The side of a block: the preferred float vector's lanes. Only where {@link #available()}. */
    public static int lanes() {
        return VectorLaneTranspose.lanes();
    }

    /**
     * {@code dst[dstAt + c * dstStride + r] = src[srcAt + r * srcStride + c]} for r, c &lt; {@link #lanes()}. Only
     * where {@link #available()}.
     */
    public static void transpose(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int dstStride) {
        VectorLaneTranspose.transpose(src, srcAt, srcStride, dst, dstAt, dstStride);
    }
}
