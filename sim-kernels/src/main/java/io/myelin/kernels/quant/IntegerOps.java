package io.myelin.kernels.quant;

/**
 * The integer-only primitives of a quantized spike-driven network at inference: integer weights times spike counts,
 * and spike-driven linear attention over integer spike counts. Every sum is exact (no rounding), so any two
 * implementations return identical arrays; {@link JavaIntegerOps} is the reference. Sums must fit in an {@code int}
 * (they do by a wide margin for the weight and count ranges of a quantized network); overflow is not checked.
 *
 * <p>Spike counts are the integer spikes of an IE-LIF neuron (0..levels). At inference each count {@code c} is
 * {@code c} binary spikes on {@code levels} virtual time steps (a spike on step {@code v} when {@code c >= v}), so a
 * weight is added once per binary spike: accumulates only, no multiplications.
 *
 * <p>Tensors are time-major like the trainer's ({@code [tokens][batch][channels]}, flat, row-major).
 */
public interface IntegerOps extends AutoCloseable {
    /**
     * {@code acc[r][o] = sum_i w[o][i] * counts[r][i]}, computed as {@code levels} virtual binary time steps.
     *
     * @param weights integer weight levels {@code [out][in]}
     * @param counts  spike counts {@code [rows][in]}, each in {@code 0..levels}
     * @param levels  virtual time steps (the neuron's maximum count)
     * @return {@code [rows][out]} (empty when {@code rows} is 0)
     * @throws IllegalArgumentException when a length does not match the shape or a count lies outside
     *                                  {@code 0..levels} (see {@link #checkAccumulate})
     */
    int[] accumulate(int[] weights, int out, int in, int[] counts, int rows, int levels);

    /**
     * Linear spike-driven attention, per sample {@code b} and head {@code h} over the sample's first
     * {@code valid[b]} tokens: {@code M = K^T V} ({@code d x d}, {@code d = channels / heads}) and
     * {@code A[n] = Q[n] M} for {@code n < valid[b]}; padded tokens get 0.
     *
     * @param q       query spike counts {@code [tokens][batch][channels]}
     * @param k       key spike counts, same shape
     * @param v       value spike counts, same shape
     * @param valid   valid tokens per sample ({@code batch} entries, each in {@code 0..tokens})
     * @return {@code A}, same shape as {@code q}
     * @throws IllegalArgumentException when {@code heads} does not divide {@code channels}, a length does not match
     *                                  the shape, or a valid length lies outside {@code 0..tokens}
     *                                  (see {@link #checkAttention})
     */
    int[] linearAttention(int[] q, int[] k, int[] v, int tokens, int batch, int channels, int heads, int[] valid);

    /** A short name for reports ("java", "opencl:&lt;device&gt;"). */
    String name();

    @Override
    default void close() {
    }

    /**
     * Argument checks shared by the implementations of {@link #accumulate} (clear errors, never an index crash).
     *
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    static void checkAccumulate(int[] weights, int out, int in, int[] counts, int rows, int levels) {
        if (out < 1 || in < 1 || rows < 0 || levels < 0) {
            throw new IllegalArgumentException("accumulate: out, in must be >= 1 and rows, levels >= 0 (got out=" + out
                    + ", in=" + in + ", rows=" + rows + ", levels=" + levels + ")");
        }
        if (weights.length != (long) out * in) {
            throw new IllegalArgumentException("accumulate: weights hold " + weights.length + " values, [" + out + "]["
                    + in + "] needs " + (long) out * in);
        }
        if (counts.length != (long) rows * in) {
            throw new IllegalArgumentException("accumulate: counts hold " + counts.length + " values, [" + rows + "]["
                    + in + "] needs " + (long) rows * in);
        }
        for (int c : counts) {
            if (c < 0 || c > levels) {
                throw new IllegalArgumentException("accumulate: a spike count " + c + " lies outside 0.." + levels);
            }
        }
    }

    /**
     * Argument checks shared by the implementations of {@link #linearAttention}.
     *
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    static void checkAttention(int[] q, int[] k, int[] v, int tokens, int batch, int channels, int heads, int[] valid) {
        if (tokens < 0 || batch < 1 || channels < 1 || heads < 1 || channels % heads != 0) {
            throw new IllegalArgumentException("attention: need tokens >= 0, batch >= 1 and channels (" + channels
                    + ") divisible by heads (" + heads + ")");
        }
        long n = (long) tokens * batch * channels;
        if (q.length != n || k.length != n || v.length != n) {
            throw new IllegalArgumentException("attention: q, k, v must each hold [" + tokens + "][" + batch + "]["
                    + channels + "] = " + n + " values (got " + q.length + ", " + k.length + ", " + v.length + ")");
        }
        if (valid.length != batch) {
            throw new IllegalArgumentException("attention: valid holds " + valid.length + " lengths for a batch of "
                    + batch);
        }
        for (int L : valid) {
            if (L < 0 || L > tokens) {
                throw new IllegalArgumentException("attention: a valid length " + L + " lies outside 0.." + tokens);
            }
        }
    }
}
