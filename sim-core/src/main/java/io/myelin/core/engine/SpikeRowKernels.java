package io.myelin.core.engine;

import io.myelin.core.vector.LaneTranspose;
import io.myelin.core.vector.VectorApi;

/**
 * The kernels of {@link LayeredExecution}: on the Vector API ({@link VectorSpikeRows}) when the JVM has it
 * ({@code --add-modules jdk.incubator.vector}; the system property {@code myelin.vector=false} turns it off), else
 * scalar loops with the same results (integer sums are exact in any order; float expressions are identical).
 */
final class SpikeRowKernels {
    private static final boolean VECTOR = detect();
    private static final int LANES = VECTOR ? VectorSpikeRows.lanes() : 16;

    private SpikeRowKernels() {
    }

    private static boolean detect() {
        return VectorApi.usable(() -> VectorSpikeRows.usable());
    }

    static boolean vectorized() {
        return VECTOR;
    }

    /** Bytes past a row's last vector of steps that the sums may read. */
    static int rowSlack() {
        return VECTOR ? VectorSpikeRows.rowSlack() : 0;
    }

    /** Steps per vector in the sums, neurons per tile in the LIF. */
    static int lanes() {
        return LANES;
    }

    /**
     * Runs every pass of {@code passes}: {@code acc[at + t] += sum_s w[s] * spikes(s, t)} over the pass's steps, in
     * 32-bit two's-complement arithmetic (exact in any order), for its synapses {@code s = base + pos[k]}, where
     * {@code acc} is {@code accE} for receptor 0 and {@code accI} for receptor 1. Neuron rows hold -1 in a step with a
     * spike ({@code w & row}), source rows spike counts ({@code w * row}). A row is read at {@code off[s] + t} on.
     * The sums start from what {@code acc} holds (zero, {@link #takeInput}); the caller lists, per segment, passes
     * over the vectors its rows' spikes reach (vectors no row reaches keep the zero).
     */
    static void sums(byte[] rows, int[] off, int[] w, int[] pos, SumPasses passes, int[] accE, int[] accI) {
        if (VECTOR) {
            VectorSpikeRows.sums(rows, off, w, pos, passes, accE, accI);
            return;
        }
        for (int kind = SumPasses.NEURON_ROWS; kind <= SumPasses.SOURCE_ROWS; kind++) {
            for (int receptor = 0; receptor < 2; receptor++) {
                int[] acc = receptor == 0 ? accE : accI;
                for (int width = 1; width <= SumPasses.MAX_WIDTH; width++) {
                    int list = SumPasses.list(kind, receptor, width), end = passes.end(list);
                    int[] a = passes.passes(list);
                    for (int e = 0; e < end; e += SumPasses.FIELDS) {
                        int base = a[e + 2], t = a[e + 3], at = a[e + 4];
                        for (int k = a[e]; k < a[e + 1]; k++) {
                            int s = base + pos[k], r = off[s] + t, ws = w[s];
                            for (int u = 0; u < width * LANES; u++) {
                                acc[at + u] += kind == SumPasses.NEURON_ROWS ? ws & rows[r + u] : ws * rows[r + u];
                            }
                        }
                    }
                }
            }
        }
    }

    /** ORs into {@code any[at ..]} one vector of steps from {@code t} of the rows of synapses {@code base + pos[k]}. */
    static void orRows(byte[] rows, int[] off, int base, int[] pos, int k0, int k1, int t, int[] any, int at) {
        if (VECTOR) {
            VectorSpikeRows.orRows(rows, off, base, pos, k0, k1, t, any, at);
            return;
        }
        for (int k = k0; k < k1; k++) {
            int b = off[base + pos[k]] + t;
            for (int q = 0; q < LANES; q++) {
                any[at + q] |= rows[b + q];
            }
        }
    }

    /** One past the last {@code t < n} where {@code any[at + t] == 0}; 0 where every step is non-zero. */
    static int afterLastZero(int[] any, int at, int n) {
        if (VECTOR) {
            return VectorSpikeRows.afterLastZero(any, at, n);
        }
        for (int t = n - 1; t >= 0; t--) {
            if (any[at + t] == 0) {
                return t + 1;
            }
        }
        return 0;
    }

    /**
     * Whether {@link #transposeBlock} is available: the Vector API with 8 or 16 float lanes, the kernels' lanes (else
     * tiles are copied element by element).
     */
    static boolean transposes() {
        return VECTOR && LaneTranspose.available() && LaneTranspose.lanes() == lanes();
    }

    /**
     * {@code dst[dstAt + c * dstStride + r] = src[srcAt + r * srcStride + c]} for r, c < {@link #lanes()}. Only where
     * {@link #transposes()}.
     */
    static void transposeBlock(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int dstStride) {
        LaneTranspose.transpose(src, srcAt, srcStride, dst, dstAt, dstStride);
    }

    /**
     * {@code rows[rowAt + t] = -(int) spikes[at + t]} over {@code n} steps (whole vectors): spikes 1 or 0 become a
     * neuron row's -1 or 0. Only where {@link #transposes()} (the narrowing store writes a vector's lanes as bytes,
     * at least 8).
     */
    static void spikeRow(float[] spikes, int at, byte[] rows, int rowAt, int n) {
        VectorSpikeRows.spikeRow(spikes, at, rows, rowAt, n);
    }

    /**
     * {@code x[xAt + t] = accE[at + t] * inv (+ accI[at + t] * inv) + bias}, the stepwise engines' input expression,
     * over {@code n} steps, and the sums read set back to zero: the next population's sums start from zero, and
     * zeroing them here, while their lines are in cache, is cheaper than a pass of its own before the sums.
     */
    static void takeInput(int[] accE, int[] accI, int at, float inv, float bias, float[] x, int xAt, int n) {
        if (VECTOR) {
            VectorSpikeRows.takeInput(accE, accI, at, inv, bias, x, xAt, n);
            return;
        }
        for (int t = 0; t < n; t++) {
            float e = accE[at + t] * inv;
            accE[at + t] = 0;
            if (accI != null) {
                e = e + accI[at + t] * inv;
                accI[at + t] = 0;
            }
            x[xAt + t] = e + bias;
        }
    }

    /**
     * {@link #takeInput}, and what the event engine needs from the sums: {@code any[at + t] = accE[at + t] | accI[at +
     * t]} over the {@code n} steps (non-zero where a sum is, so where some synapse delivered a spike; where a sum is
     * zero only the rows, {@link #orRows}, tell whether spikes arrived and cancelled or none did). Returns one past the
     * last of the chunk's first {@code steps} steps whose sum is zero (0 where none is): past it, some synapse
     * delivered a spike in every step. One pass, while the sums are read for the input anyway.
     */
    static int takeInputAndArrivals(int[] accE, int[] accI, int at, float inv, float bias, float[] x, int xAt, int n,
                                    int steps, int[] any) {
        if (VECTOR) {
            return VectorSpikeRows.takeInputAndArrivals(accE, accI, at, inv, bias, x, xAt, n, steps, any);
        }
        int after = 0;
        for (int t = 0; t < n; t++) {
            int a = accE[at + t] | (accI == null ? 0 : accI[at + t]);
            any[at + t] = a;
            if (a == 0 && t < steps) {
                after = t + 1;
            }
        }
        takeInput(accE, accI, at, inv, bias, x, xAt, n);
        return after;
    }

    /** {@code sum[so + k] += a[ao + k] * m} for {@code k < n}, each element rounded as scalar code rounds it. */
    static void addScaled(double[] sum, int so, double[] a, int ao, int n, double m) {
        if (VECTOR) {
            VectorSpikeRows.addScaled(sum, so, a, ao, n, m);
            return;
        }
        for (int k = 0; k < n; k++) {
            sum[so + k] += a[ao + k] * m;
        }
    }

    /**
     * See {@link VectorSpikeRows#lif}; {@code lanes()} neurons per tile, {@code spikes} of {@code 3 * lanes()}: each
     * neuron's spike count, then its first and its last spike step.
     */
    static void lif(float[] tile, int steps, float tau, float vTh, float vReset, float[] v, int vAt, float[] spikes,
                    float[] vTrace, int traceStride, int traceAt) {
        lif(tile, 0, steps, tau, vTh, vReset, v, vAt, spikes, vTrace, traceStride, traceAt);
    }

    /** {@link #lif} over steps {@code from .. steps - 1} of the tile only; {@code spikes} are those steps'. */
    static void lif(float[] tile, int from, int steps, float tau, float vTh, float vReset, float[] v, int vAt,
                    float[] spikes, float[] vTrace, int traceStride, int traceAt) {
        if (VECTOR) {
            VectorSpikeRows.lif(tile, from, steps, tau, vTh, vReset, v, vAt, spikes, vTrace, traceStride, traceAt);
            return;
        }
        int L = LANES;
        for (int j = 0; j < L; j++) {
            float vi = v[vAt + j];
            int n = 0, first = steps, last = -1;
            for (int t = from; t < steps; t++) {
                float h = vi - vi / tau + tile[t * L + j];
                boolean spike = h >= vTh;
                tile[t * L + j] = spike ? 1f : 0f;
                vi = spike ? vReset : h;
                n += spike ? 1 : 0;
                if (spike) {
                    first = Math.min(first, t);
                    last = t;
                }
                if (vTrace != null) {
                    vTrace[t * traceStride + traceAt + j] = vi;
                }
            }
            v[vAt + j] = vi;
            spikes[j] = n;
            spikes[L + j] = first;
            spikes[2 * L + j] = last;
        }
    }

    /**
     * {@link #lif} for two tiles at once: {@code tileA} holds neurons {@code vAt ..}, {@code tileB} the next
     * {@code lanes()} ({@code v}, the trace and the spikes likewise); the same values as two calls.
     */
    static void lif2(float[] tileA, float[] tileB, int steps, float tau, float vTh, float vReset, float[] v, int vAt,
                     float[] spikesA, float[] spikesB, float[] vTrace, int traceStride, int traceAt) {
        lif2(tileA, tileB, 0, steps, tau, vTh, vReset, v, vAt, spikesA, spikesB, vTrace, traceStride, traceAt);
    }

    /** {@link #lif2} over steps {@code from .. steps - 1} of both tiles only. */
    static void lif2(float[] tileA, float[] tileB, int from, int steps, float tau, float vTh, float vReset, float[] v,
                     int vAt, float[] spikesA, float[] spikesB, float[] vTrace, int traceStride, int traceAt) {
        if (VECTOR) {
            VectorSpikeRows.lif2(tileA, tileB, from, steps, tau, vTh, vReset, v, vAt, spikesA, spikesB, vTrace,
                    traceStride, traceAt);
            return;
        }
        lif(tileA, from, steps, tau, vTh, vReset, v, vAt, spikesA, vTrace, traceStride, traceAt);
        lif(tileB, from, steps, tau, vTh, vReset, v, vAt + LANES, spikesB, vTrace, traceStride, traceAt + LANES);
    }

    /** See {@link VectorSpikeRows#lifCounted}; {@code lanes()} neurons per tile. */
    static int lifCounted(float[] tile, float[] arrivals, int steps, float tau, float vTh, float vReset, float[] v,
                          int vAt, float[] counts, float[] vTrace, int traceStride, int traceAt, float[] silentX,
                          int xAt, float[] active) {
        if (VECTOR) {
            return VectorSpikeRows.lifCounted(tile, arrivals, steps, tau, vTh, vReset, v, vAt, counts, vTrace,
                    traceStride, traceAt, silentX, xAt, active);
        }
        int L = LANES, updates = 0;
        for (int j = 0; j < L; j++) {
            float vi = v[vAt + j];
            boolean act = active[j] != 0f;
            int n = 0;
            for (int t = 0; t < steps; t++) {
                boolean upd = act || arrivals[t * L + j] != 0f;
                updates += upd ? 1 : 0;
                float h = vi - vi / tau + tile[t * L + j];
                boolean spike = h >= vTh;
                tile[t * L + j] = spike ? 1f : 0f;
                vi = spike ? vReset : h;
                n += spike ? 1 : 0;
                if (vTrace != null) {
                    vTrace[t * traceStride + traceAt + j] = vi;
                }
                float next = vi - vi / tau + silentX[xAt + j];
                act = upd && (next >= vTh || Float.floatToRawIntBits(next) != Float.floatToRawIntBits(vi));
            }
            v[vAt + j] = vi;
            counts[j] = n;
            active[j] = act ? 1f : 0f;
        }
        return updates;
    }
}
