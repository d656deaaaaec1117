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
     * Threads take ranges of features for the statistics (each feature sums its rows in order, whatever the thread
     * count) and ranges of rows for the elementwise parts.
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
        double[] sum = new double[n], sq = new double[n];
        double[] mean = new double[n];
        // column sums in row order, one wide column range per thread: narrow chunks each swept every row for a
        // cache line apiece and made two threads slower than one. Each thread sums into its own array and copies
        // it out once: summed in place, the cache line where two ranges meet went back and forth every row
        workers.forRangeEven(n, (c0, c1) -> {
            double[] acc = new double[c1 - c0];
            NormOps.columnSums(d, rows, n, c0, c1, acc);
            System.arraycopy(acc, 0, sum, c0, acc.length);
        });
        double[] total = sum;
        statRows = rows;
        if (sync != null) {
            double[] local = java.util.Arrays.copyOf(sum, n + 1);
            local[n] = rows;
            total = sync.sum(local);
            statRows = total[n];
        }
        final double[] tot = total;
        final double count = statRows;
        workers.forRangeEven(n, (c0, c1) -> {
            double[] mu = new double[c1 - c0], acc = new double[c1 - c0];
            for (int c = 0; c < mu.length; c++) {
                mu[c] = tot[c0 + c] / count;
            }
            NormOps.squaredDeviations(d, mu, rows, n, c0, c1, acc);
            System.arraycopy(mu, 0, mean, c0, mu.length);
            System.arraycopy(acc, 0, sq, c0, acc.length);
        });
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
        double[] dBeta = new double[n], dGamma = new double[n];
        // per-thread sums copied out once, as in the forward statistics; xhat recomputed as the forward pass did
        workers.forRangeEven(n, (c0, c1) -> {
            double[] db = new double[c1 - c0], dg = new double[c1 - c0];
            NormOps.gradientSums(g, x, mu, is, rows, n, c0, c1, db, dg);
            System.arraycopy(db, 0, dBeta, c0, db.length);
            System.arraycopy(dg, 0, dGamma, c0, dg.length);
        });
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
