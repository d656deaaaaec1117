package io.myelin.models.layer;

import io.myelin.models.module.Buffer;
import io.myelin.models.module.Param;
import io.myelin.models.tensor.NormOps;
import io.myelin.models.tensor.SeqTensor;

import java.util.List;

/**
 * BatchNorm per feature with statistics over all T x B positions of the batch (PyTorch's {@code BatchNorm1d} on the
 * {@code [T*B][N]} reshape, as SNN-delays applies it): {@code y = gamma (x - mean) / sqrt(var + eps) + beta} with the
 * biased batch variance in training, running statistics (momentum 0.1, unbiased variance) in evaluation.
 *
 * <p>Synchronised ({@link #synchronise}), the batch is one shard of a global batch trained data-parallel: the
 * statistics and the backward pass's two per-feature sums run over all shards' rows (each shard's sums added in shard
 * order by a {@link ShardSum}), as PyTorch's {@code SyncBatchNorm} computes them; parameter gradients stay the shard's
 * own, to be summed with the other shards'.
 */
public final class BatchNormOverTime implements Layer {
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    private final String name;
    private final int features;
    private final Param gamma;
    private final Param beta;
    private final float[] runningMean;
    private final float[] runningVar;
    /** The last training forward pass's input: backward recomputes {@code xhat} from it rather than keep a copy. */
    private SeqTensor input;
    private float[] meanF;
    private float[] invStd;
    private io.myelin.models.tensor.Workers workers = io.myelin.models.tensor.Workers.serial();
    private ShardSum sync;
    /** Rows the statistics of the last training forward pass ran over (all shards' when synchronised). */
    private double statRows;

    /**
     * Rows per block of the statistics' sums: each block sums its rows in order from zero, and the blocks' sums are
     * added in block order, a grouping fixed by the row count alone, so the bits do not depend on the thread count.
     * Threads take whole blocks, each streaming whole rows. Ranges of features per thread, the layout before, made two
     * threads slower than one: each thread read half of every row, and the two streams through the same rows held
     * each other up (docs/training-performance.md).
     */
    static final int STAT_BLOCK_ROWS = 1024;

    /** Adds one block's sums (rows {@code [r0, r1)}) into {@code acc}, arrays of the feature count, from zero. */
    @FunctionalInterface
    private interface RowBlockSum {
        void add(int r0, int r1, double[][] acc);
    }

    /** Adds per-feature sums over the shards of a global batch, each shard's in shard order. */
    @FunctionalInterface
    public interface ShardSum {
        /** The element-wise sum of every shard's {@code local} (of equal lengths), the same on every shard. */
        double[] sum(double[] local);
    }

    public BatchNormOverTime(String name, int features) {
        this.name = name;
        this.features = features;
        float[] g = new float[features];
        java.util.Arrays.fill(g, 1f);
        this.gamma = new Param(name + ".gamma", Param.Kind.NORM, g);
        this.beta = new Param(name + ".beta", Param.Kind.NORM, new float[features]);
        this.runningMean = new float[features];
        this.runningVar = new float[features];
        java.util.Arrays.fill(runningVar, 1f);
    }

    public String name() {
        return name;
    }

    /**
     * Threads take blocks of rows for the statistics ({@link #STAT_BLOCK_ROWS}: the sums' grouping, and so their bits,
     * do not depend on the thread count) and ranges of rows for the elementwise parts.
     */
    @Override
    public void setWorkers(io.myelin.models.tensor.Workers w) {
        this.workers = w;
    }

    /** Synchronises the statistics with the other shards of the global batch through {@code sum} (null: this batch alone). */
    public void synchronise(ShardSum sum) {
        this.sync = sum;
    }

    public Param gamma() {
        return gamma;
    }

    public Param beta() {
        return beta;
    }

    public float[] runningMean() {
        return runningMean;
    }

    public float[] runningVar() {
        return runningVar;
    }

    /** Inference as an affine map {@code y = scale * x + shift}: {@code [scale..., shift...]} (for export). */
    public double[][] inferenceAffine() {
        double[] scale = new double[features], shift = new double[features];
        for (int c = 0; c < features; c++) {
            scale[c] = gamma.value[c] / Math.sqrt(runningVar[c] + EPS);
            shift[c] = beta.value[c] - scale[c] * runningMean[c];
        }
        return new double[][]{scale, shift};
    }

    @Override
    public List<Param> ownParams() {
        return List.of(gamma, beta);
    }

    @Override
    public List<Buffer> ownBuffers() {
        return List.of(Buffer.of(name + ".runningMean", runningMean), Buffer.of(name + ".runningVar", runningVar));
    }

    @Override
    public SeqTensor forward(SeqTensor x, boolean training) {
        if (x.features != features) {
            throw new IllegalArgumentException(name + ": expects " + features + " features, got " + x.features);
        }
        int rows = x.rows(), n = features;
        float[] d = x.data;
        float[] y = new float[d.length];
        if (training) {
            trainingStatistics(x);
            final float[] mu = meanF, is = invStd, gv = gamma.value, bv = beta.value;
            workers.forRange(rows, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int b = r * n;
                    for (int c = 0; c < n; c++) {
                        float h = (d[b + c] - mu[c]) * is[c];
                        y[b + c] = gv[c] * h + bv[c];
                    }
                }
            });
            return new SeqTensor(x.steps, x.batch, n, y);
        }
        float[] scale = new float[n], shift = new float[n];
        double[][] affine = inferenceAffine();
        for (int c = 0; c < n; c++) {
            scale[c] = (float) affine[0][c];
            shift[c] = (float) affine[1][c];
        }
        for (int r = 0; r < rows; r++) {
            int b = r * n;
            for (int c = 0; c < n; c++) {
                y[b + c] = d[b + c] * scale[c] + shift[c];
            }
        }
        input = null;
        return new SeqTensor(x.steps, x.batch, n, y);
    }

    /**
     * The statistics half of a training forward pass: the batch mean and {@code 1 / sqrt(var + eps)} per feature
     * ({@link #batchMean()}, {@link #batchInvStd()}; the statistics of all shards when synchronised), the running
     * statistics updated, and {@code x} kept for {@link #backward}. {@link #forward} then normalises
     * {@code xhat = (x - mean) * invStd} and {@code y = gamma * xhat + beta} in float, in that order; a fused pass
     * ({@link NormLifDropout}) computes the same two expressions itself.
     */
    public void trainingStatistics(SeqTensor x) {
        if (x.features != features) {
            throw new IllegalArgumentException(name + ": expects " + features + " features, got " + x.features);
        }
        int rows = x.rows(), n = features;
        float[] d = x.data;
        double[] sum = blockSums(rows, 1, (r0, r1, acc) -> NormOps.columnSums(d, r0, r1, n, 0, n, acc[0]))[0];
        double[] total = sum;
        statRows = rows;
        if (sync != null) {
            double[] local = java.util.Arrays.copyOf(sum, n + 1);
            local[n] = rows;
            total = sync.sum(local);
            statRows = total[n];
        }
        double[] mean = new double[n];
        for (int c = 0; c < n; c++) {
            mean[c] = total[c] / statRows;
        }
        double[] sq = blockSums(rows, 1,
                (r0, r1, acc) -> NormOps.squaredDeviations(d, mean, r0, r1, n, 0, n, acc[0]))[0];
        double[] sqTotal = sync == null ? sq : sync.sum(sq);
        invStd = new float[n];
        meanF = new float[n];
        for (int c = 0; c < n; c++) {
            double var = sqTotal[c] / statRows;
            double is = 1.0 / Math.sqrt(var + EPS);
            invStd[c] = (float) is;
            meanF[c] = (float) mean[c];
            runningMean[c] = (float) ((1 - MOMENTUM) * runningMean[c] + MOMENTUM * mean[c]);
            double unbiased = statRows > 1 ? sqTotal[c] / (statRows - 1) : var;
            runningVar[c] = (float) ((1 - MOMENTUM) * runningVar[c] + MOMENTUM * unbiased);
        }
        input = x;
    }

    /**
     * {@code arrays} per-feature sums over rows {@code [0, rows)}: each block of {@link #STAT_BLOCK_ROWS} rows from zero
     * on whichever thread takes it, then the blocks added in block order on this one.
     */
    private double[][] blockSums(int rows, int arrays, RowBlockSum body) {
        int blocks = (rows + STAT_BLOCK_ROWS - 1) / STAT_BLOCK_ROWS;
        double[][][] part = new double[blocks][][];
        workers.forRange(blocks, (k0, k1) -> {
            for (int k = k0; k < k1; k++) {
                double[][] acc = new double[arrays][features];
                body.add(k * STAT_BLOCK_ROWS, Math.min(rows, (k + 1) * STAT_BLOCK_ROWS), acc);
                part[k] = acc;
            }
        });
        double[][] total = new double[arrays][features];
        for (double[][] p : part) {
            for (int a = 0; a < arrays; a++) {
                for (int c = 0; c < features; c++) {
                    total[a][c] += p[a][c];
                }
            }
        }
        return total;
    }

    /** The last training pass's batch mean per feature, rounded to float (what {@code xhat} subtracts). */
    public float[] batchMean() {
        return meanF;
    }

    /** The last training pass's {@code 1 / sqrt(var + eps)} per feature, rounded to float. */
    public float[] batchInvStd() {
        return invStd;
    }

    @Override
    public SeqTensor backward(SeqTensor gradOut) {
        float[] dx = new float[gradOut.data.length];
        backwardInto(gradOut, dx);
        return new SeqTensor(gradOut.steps, gradOut.batch, features, dx);
    }

    /**
     * {@link #backward} writing the input gradient into {@code dx}, which may be {@code gradOut.data} itself (each
     * element is read before it is written): adds the parameter gradients and returns nothing else.
     */
    public void backwardInto(SeqTensor gradOut, float[] dx) {
        if (input == null) {
            throw new IllegalStateException(name + ": backward needs a training-mode forward pass");
        }
        if (gradOut.steps != input.steps || gradOut.batch != input.batch || gradOut.features != features
                || dx.length != gradOut.data.length) {
            throw new IllegalArgumentException(name + ": gradient shape " + gradOut + " does not match the input "
                    + input);
        }
        int rows = gradOut.rows(), n = features;
        float[] g = gradOut.data, x = input.data;
        final float[] mu = meanF, is = invStd;
        // blocks of rows, as the forward statistics; xhat recomputed as the forward pass did
        double[][] sums2 = blockSums(rows, 2, (r0, r1, acc) -> NormOps.gradientSums(g, x, mu, is, r0, r1, n, 0, n,
                acc[0], acc[1]));
        double[] dBeta = sums2[0], dGamma = sums2[1];
        float[] k = new float[n], mb = new float[n], mg = new float[n];
        double[] sums = null;
        if (sync != null) {
            double[] local = java.util.Arrays.copyOf(dBeta, 2 * n);
            System.arraycopy(dGamma, 0, local, n, n);
            sums = sync.sum(local);
        }
        for (int c = 0; c < n; c++) {
            gamma.grad[c] += (float) dGamma[c];
            beta.grad[c] += (float) dBeta[c];
            k[c] = gamma.value[c] * invStd[c];
            mb[c] = (float) ((sums == null ? dBeta[c] : sums[c]) / statRows);
            mg[c] = (float) ((sums == null ? dGamma[c] : sums[n + c]) / statRows);
        }
        workers.forRange(rows, (r0, r1) -> NormOps.inputGradient(g, x, dx, mu, is, k, mb, mg, r0, r1, n));
    }
}
