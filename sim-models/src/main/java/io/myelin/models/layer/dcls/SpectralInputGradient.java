package io.myelin.models.layer.dcls;

import io.myelin.models.tensor.BlockSums;
import io.myelin.models.tensor.SeqTensor;
import io.myelin.models.tensor.WindowOps;
import io.myelin.models.tensor.Workers;

import java.util.Arrays;

/**
 * Input gradient through the discrete Fourier transform over time (docs/dcls.md, "The input gradient in the
 * frequency domain"): {@code dL/dx[t][b][i] = sum_o sum_n K[o,i,n] g[t + taps-1-n][b][o]} is, per (sample, input), a
 * sum over outputs of correlations of each output's gradient row with a {@code taps}-long kernel. Over
 * {@code N = T + taps - 1} steps (long enough that no correlation wraps around) it becomes
 * {@code X[f] = sum_o conj(H[o,i][f]) G[b,o][f]} on {@code N / 2 + 1} frequencies, a complex matrix product per
 * frequency, followed by the real inverse transform. The direct sum costs {@code T x taps} multiply-adds per (sample,
 * input, output), this one about {@code 2 (N + 2)}: at SSC's 31 taps and wide sigma (every window spans all taps)
 * the direct sum is the largest part of a batch, running at the core's multiply-add rate. Every step runs on
 * {@link BlockSums#shiftedTermQuads} (four sums per loaded row), each element one chain of fused multiply-adds in a
 * fixed order whatever the thread count; the result differs from the direct sums by the float rounding of the
 * transforms (relative to the largest terms, about 1e-6), not in their bits.
 *
 * <p>Layouts ({@code OP}, {@code IP}: outputs and inputs padded to whole vectors, {@code R = 2 OP} rows per
 * frequency): the kernel's spectrum as rows {@code f * R + r} over the inputs (r under OP: real part of output r, else
 * the imaginary part of output r - OP), stored by block of 64 input lanes ({@link #kernelSpectrum}), per sample the
 * gradient's spectrum as coefficients
 * {@code re[b][f * R + r]} = (Re G, Im G) and {@code im[b][f * R + r]} = (Im G, -Re G), so that one pass over a
 * frequency's rows of H gives {@code Re X = sum_o Re H Re G + Im H Im G} and {@code Im X = sum_o Re H Im G - Im H Re G},
 * and the product {@code X[((b * F + f) * 2 + c) * IP + i]}. The kernel's spectrum is built a block of frequencies at
 * a time, at most {@link #SPECTRUM_BYTES} of it. Scratch is kept from pass to pass (at SSC's 512 x 512 layers, batch
 * 128: about 250 MB per layer).
 */
final class SpectralInputGradient {
    /**
     * The most bytes of kernel spectrum held at once (a block of frequencies; each block rebuilds the kernel's tap
     * rows): 2 MB per frequency at SSC's 512 x 512 layers, so two blocks of its 81 frequencies at 130 steps, one at
     * SHD's layers.
     */
    private static final long SPECTRUM_BYTES = 128L << 20;
    /** Input lanes per unit of the product: the kernel rows of one unit stay in the second-level cache. */
    private static final int INPUT_BLOCK_VECTORS = 4;

    private final long spectrumBytes;
    private float[] spectrum = new float[0];   // H for one block of frequencies
    private float[] product = new float[0];   // X
    private float[][] gradRe = new float[0][], gradIm = new float[0][];
    private float[] paddedGrad = new float[0];
    private int twiddleN = -1, twiddleT2 = -1, twiddleT = -1, twiddleTaps = -1;
    private float[][] kernelCos, kernelSin;   // [f][n]: cos and -sin of 2 pi f (taps - 1 - n) / N
    private float[][] gradCos, gradSin;   // [f][tau]: cos and -sin of 2 pi f tau / N
    private float[][] inverse;   // [t][2f + c]: the real inverse transform's weights, 1/N included

    SpectralInputGradient() {
        this(SPECTRUM_BYTES);
    }

    /** With at most this many bytes of kernel spectrum at once (tests: several blocks of frequencies). */
    SpectralInputGradient(long spectrumBytes) {
        this.spectrumBytes = spectrumBytes;
    }

    /**
     * The vector multiply-adds of one pass (the gradient's and the kernel's transforms, the product, the inverse) for
     * T input steps, a batch, this many taps, inputs and outputs: what the path chooser weighs against the direct sums.
     */
    static double vectorOps(int steps, int batch, int taps, int in, int out) {
        int n = length(steps, taps), f2 = 2 * (n / 2 + 1), t2 = steps + (taps - 1) / 2;
        double op = WindowOps.padded(out), ip = WindowOps.padded(in);
        double ops = (double) batch * f2 * t2 * op + (double) out * taps * f2 * ip + (double) f2 * 2 * op * batch * ip
                + (double) batch * steps * f2 * ip;
        return ops / WindowOps.lanes();
    }

    /** The transform length for T input steps and this many taps: no correlation wraps around. */
    static int length(int steps, int taps) {
        return steps + taps - 1;
    }

    /** dL/dx, zero where {@code keep[b * in + i]} is zero (null keep: everywhere). */
    SeqTensor inputGradient(DclsKernel k, DclsEventLayout layout, SeqTensor gradOut, float[] keep, Workers workers) {
        final int T = layout.steps, B = layout.batch, I = k.in, O = k.out, Td = k.taps, T2 = gradOut.steps;
        final int N = length(T, Td), F = N / 2 + 1;
        final int OP = WindowOps.padded(O), IP = WindowOps.padded(I), R = 2 * OP;
        twiddles(N, T2, T, Td);
        final float[] g = paddedGradient(gradOut, OP, workers);
        // the gradient's spectrum, per sample: rows over the outputs, written as the coefficients of the product
        if (gradRe.length < B || gradRe[0].length != F * R) {
            gradRe = new float[B][F * R];
            gradIm = new float[B][F * R];
        }
        final float[][] re = gradRe, im = gradIm;
        final int[] gradRows = rowOffsets(T2, B * OP);
        workers.forRange(B, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                float[] r = re[b];
                Arrays.fill(r, 0f);
                for (int f = 0; f < F; f += 2) {
                    boolean two = f + 1 < F;
                    complexPairs(g, b * OP, gradRows, gradCos[f], gradSin[f], two ? gradCos[f + 1] : null,
                            two ? gradSin[f + 1] : null, 0, T2, r, f * R, OP, (f + 1) * R, OP);
                }
                float[] m = im[b];
                for (int f = 0; f < F; f++) {
                    int a = f * R;
                    for (int o = 0; o < OP; o++) {
                        m[a + o] = r[a + OP + o];
                        m[a + OP + o] = -r[a + o];
                    }
                }
            }
        });
        int xLen = B * F * 2 * IP;
        if (product.length < xLen) {
            product = new float[xLen];
        }
        final float[] x = product;
        final int FB = (int) Math.max(2, Math.min(F, spectrumBytes / (4L * R * IP)));
        if (spectrum.length < FB * R * IP) {
            spectrum = new float[FB * R * IP];
        }
        final float[] h = spectrum;
        final int blockLanes = INPUT_BLOCK_VECTORS * WindowOps.lanes();
        final int inputBlocks = (IP + blockLanes - 1) / blockLanes;
        // term m = f * R + r of the product reads row m - fa * R of its input block's part of the spectrum
        final int[] fullRows = rowOffsets(F * R, blockLanes), tailRows = rowOffsets(F * R, IP - (inputBlocks - 1)
                * blockLanes);
        for (int f0 = 0; f0 < F; f0 += FB) {
            final int fa = f0, fb = Math.min(F, f0 + FB), fn = fb - fa;
            kernelSpectrum(k, fa, fb, FB, OP, IP, R, blockLanes, h, workers);
            // the product, per (frequency, block of inputs): that block of the frequency's kernel rows (one run of
            // memory) serves every sample
            workers.forRange(fn * inputBlocks, (u0, u1) -> {
                float[] acc = new float[4 * blockLanes];
                for (int u = u0; u < u1; u++) {
                    int f = fa + u / inputBlocks, blk = u % inputBlocks;
                    int i0 = blk * blockLanes, len = Math.min(blockLanes, IP - i0);
                    int[] rows = len == blockLanes ? fullRows : tailRows;
                    int from = f * R, to = from + R, base = FB * R * i0 - fa * R * len;
                    for (int b = 0; b < B; b += 2) {
                        // summed in a scratch that stays in the first-level cache, then stored once
                        Arrays.fill(acc, 0f);
                        boolean two = b + 1 < B;
                        complexPairs(h, base, rows, re[b], im[b], two ? re[b + 1] : null, two ? im[b + 1] : null,
                                from, to, acc, 0, blockLanes, 2 * blockLanes, len);
                        for (int q = 0; q < (two ? 2 : 1); q++) {
                            int xa = (((b + q) * F + f) * 2) * IP + i0;
                            System.arraycopy(acc, 2 * q * blockLanes, x, xa, len);
                            System.arraycopy(acc, (2 * q + 1) * blockLanes, x, xa + IP, len);
                        }
                    }
                }
            });
        }
        // the real inverse transform, per sample
        final float[] dx = new float[T * B * I];
        final int[] xRows = rowOffsets(2 * F, IP);
        workers.forRange(B, (b0, b1) -> {
            float[] rows = new float[T * IP];
            for (int b = b0; b < b1; b++) {
                Arrays.fill(rows, 0f);
                int base = b * F * 2 * IP;
                int t = 0;
                for (; t + 3 < T; t += 4) {
                    BlockSums.shiftedTermQuads(x, base, xRows,
                            new float[][]{inverse[t], inverse[t + 1], inverse[t + 2], inverse[t + 3]}, 0, 2 * F, rows,
                            new int[]{t * IP, (t + 1) * IP, (t + 2) * IP, (t + 3) * IP}, IP);
                }
                for (; t + 1 < T; t += 2) {
                    BlockSums.shiftedTermPairs(x, base, xRows, inverse[t], inverse[t + 1], 0, 2 * F, rows, t * IP,
                            (t + 1) * IP, IP);
                }
                if (t < T) {
                    BlockSums.shiftedTerms(x, base, xRows, inverse[t], 0, 2 * F, rows, t * IP, IP);
                }
                for (int s = 0; s < T; s++) {
                    int row = (s * B + b) * I;
                    for (int i = 0; i < I; i++) {
                        if (keep == null || keep[b * I + i] != 0f) {
                            dx[row + i] = rows[s * IP + i];
                        }
                    }
                }
            }
        });
        return new SeqTensor(T, B, I, dx);
    }

    /**
     * One or two complex results as (real, imaginary) rows of {@code len} lanes, summed onto {@code dst}: the first at
     * {@code d0} and {@code d0 + im}, with coefficients {@code re0} and {@code im0}, the second (unless {@code re1} is
     * null) at {@code d1} and {@code d1 + im}; four sums per loaded row ({@link BlockSums#shiftedTermQuads}), or two.
     */
    private static void complexPairs(float[] src, int base, int[] rows, float[] re0, float[] im0, float[] re1,
                                     float[] im1, int from, int to, float[] dst, int d0, int im, int d1, int len) {
        if (re1 != null) {
            BlockSums.shiftedTermQuads(src, base, rows, new float[][]{re0, im0, re1, im1}, from, to, dst,
                    new int[]{d0, d0 + im, d1, d1 + im}, len);
        } else {
            BlockSums.shiftedTermPairs(src, base, rows, re0, im0, from, to, dst, d0, d0 + im, len);
        }
    }

    /** {@code m * pitch} for m in [0, n). */
    private static int[] rowOffsets(int n, int pitch) {
        int[] r = new int[n];
        for (int m = 0; m < n; m++) {
            r[m] = m * pitch;
        }
        return r;
    }

    /**
     * H for frequencies {@code [fa, fb)}, stored by block of input lanes: the block starting at input i0, {@code bl}
     * lanes wide, holds its rows {@code ((f - fa) * R + r) * bl} one after the other from {@code FB * R * i0}. Per
     * output and block, the kernel's tap rows over the block's inputs (written from the windows into a scratch that
     * stays in the first-level cache) are transformed four rows (two frequencies) at a time into a second such
     * scratch, then copied into place. The rows of the padding outputs are zero.
     */
    private void kernelSpectrum(DclsKernel k, int fa, int fb, int FB, int OP, int IP, int R, int blockLanes,
                                float[] h, Workers workers) {
        final int I = k.in, O = k.out, Td = k.taps, W = k.maxW;
        final int[] lo = k.lo, len = k.len;
        final float[] c = k.coef;
        final int[] tapRows = rowOffsets(Td, blockLanes);
        for (int i0 = 0; i0 < IP; i0 += blockLanes) {
            int bl = Math.min(blockLanes, IP - i0), region = FB * R * i0;
            for (int f = fa; f < fb; f++) {
                for (int o = O; o < OP; o++) {
                    int r = region + ((f - fa) * R + o) * bl;
                    Arrays.fill(h, r, r + bl, 0f);
                    Arrays.fill(h, r + OP * bl, r + OP * bl + bl, 0f);
                }
            }
        }
        workers.forRange(O, (o0, o1) -> {
            float[] kt = new float[Td * blockLanes];
            float[] acc = new float[4 * blockLanes];
            for (int o = o0; o < o1; o++) {
                for (int i0 = 0; i0 < IP; i0 += blockLanes) {
                    int bl = Math.min(blockLanes, IP - i0), region = FB * R * i0;
                    Arrays.fill(kt, 0f);
                    for (int i = i0, iEnd = Math.min(I, i0 + bl); i < iEnd; i++) {
                        int s = i * O + o;
                        for (int j = 0; j < len[s]; j++) {
                            kt[(lo[s] + j) * blockLanes + i - i0] = c[s * W + j];
                        }
                    }
                    for (int f = fa; f < fb; f += 2) {
                        Arrays.fill(acc, 0f);
                        boolean two = f + 1 < fb;
                        complexPairs(kt, 0, tapRows, kernelCos[f], kernelSin[f], two ? kernelCos[f + 1] : null,
                                two ? kernelSin[f + 1] : null, 0, Td, acc, 0, blockLanes, 2 * blockLanes, bl);
                        for (int q = 0; q < (two ? 2 : 1); q++) {
                            int row = (f + q - fa) * R + o;
                            System.arraycopy(acc, 2 * q * blockLanes, h, region + row * bl, bl);
                            System.arraycopy(acc, (2 * q + 1) * blockLanes, h, region + (row + OP) * bl, bl);
                        }
                    }
                }
            }
        });
    }

    /** The output gradient with its rows padded to whole vectors (zeros past the outputs), or itself if they are. */
    private float[] paddedGradient(SeqTensor gradOut, int OP, Workers workers) {
        final int O = gradOut.features, rows = gradOut.steps * gradOut.batch;
        if (OP == O) {
            return gradOut.data;
        }
        if (paddedGrad.length < rows * OP + OP) {
            paddedGrad = new float[rows * OP + OP];
        }
        final float[] p = paddedGrad, d = gradOut.data;
        workers.forRange(rows, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                System.arraycopy(d, r * O, p, r * OP, O);
                Arrays.fill(p, r * OP + O, (r + 1) * OP, 0f);
            }
        });
        return p;
    }

    /** The transforms' weights for length N, T2 gradient steps, T input steps and this many taps. */
    private void twiddles(int N, int T2, int T, int Td) {
        if (N == twiddleN && T2 == twiddleT2 && T == twiddleT && Td == twiddleTaps) {
            return;
        }
        int F = N / 2 + 1;
        kernelCos = new float[F][Td];
        kernelSin = new float[F][Td];
        gradCos = new float[F][T2];
        gradSin = new float[F][T2];
        inverse = new float[T][2 * F];
        for (int f = 0; f < F; f++) {
            for (int n = 0; n < Td; n++) {
                double a = angle((long) f * (Td - 1 - n), N);
                kernelCos[f][n] = (float) Math.cos(a);
                kernelSin[f][n] = (float) -Math.sin(a);
            }
            for (int tau = 0; tau < T2; tau++) {
                double a = angle((long) f * tau, N);
                gradCos[f][tau] = (float) Math.cos(a);
                gradSin[f][tau] = (float) -Math.sin(a);
            }
        }
        for (int t = 0; t < T; t++) {
            for (int f = 0; f < F; f++) {
                // the real signal's spectrum is symmetric: every frequency but 0 and N/2 stands for two
                double w = (f == 0 || 2 * f == N ? 1.0 : 2.0) / N;
                double a = angle((long) f * t, N);
                inverse[t][2 * f] = (float) (w * Math.cos(a));
                inverse[t][2 * f + 1] = (float) (-w * Math.sin(a));
            }
        }
        twiddleN = N;
        twiddleT2 = T2;
        twiddleT = T;
        twiddleTaps = Td;
    }

    /** {@code 2 pi (m mod N) / N}: reduced first, so that the angle is exact for every m. */
    private static double angle(long m, int N) {
        return 2 * Math.PI * (m % N) / N;
    }
}
