package io.myelin.nir.run;

/**
 * Affine and Linear, {@code y = W x (+ b)}, event-driven: only non-zero inputs are visited, each adding its weight
 * column (stored input-major) into the outputs. Weights that are mostly zero are kept as per-input lists of
 * (output, weight) instead of dense columns. Either way each output sums bias first, then inputs in ascending
 * order, so dense and sparse storage, and any thread count, give the same bits.
 */
final class DenseOp extends Op {
    /** Below this fraction of non-zero weights the weights are stored sparse. */
    static final double SPARSE_BELOW = 0.3;
    private static final int CHUNK = 2048;

    private final int nIn;
    private final int nOut;
    private final double[] bias;
    // dense: w[i * nOut + j]; sparse: row i holds rowTarget/rowWeight[rowStart[i] .. rowStart[i+1])
    private final double[] w;
    private final int[] rowStart;
    private final int[] rowTarget;
    private final double[] rowWeight;
    private final int[] nonZero;
    private final long storedWeights;

    /**
     * @param weightOutIn weights {@code [out][in]} row-major, as NIR stores them
     * @param bias        per output, or null
     */
    DenseOp(String key, String type, int nOut, int nIn, double[] weightOutIn, double[] bias) {
        super(key, type, nIn, nOut);
        this.nIn = nIn;
        this.nOut = nOut;
        this.bias = bias;
        this.nonZero = new int[nIn];
        long nnz = 0;
        for (double v : weightOutIn) {
            if (v != 0) {
                nnz++;
            }
        }
        this.storedWeights = weightOutIn.length;
        if (nnz < SPARSE_BELOW * weightOutIn.length) {
            w = null;
            rowStart = new int[nIn + 1];
            rowTarget = new int[(int) nnz];
            rowWeight = new double[(int) nnz];
            int k = 0;
            for (int i = 0; i < nIn; i++) {
                rowStart[i] = k;
                for (int j = 0; j < nOut; j++) {
                    double v = weightOutIn[j * nIn + i];
                    if (v != 0) {
                        rowTarget[k] = j;
                        rowWeight[k++] = v;
                    }
                }
            }
            rowStart[nIn] = k;
        } else {
            rowStart = null;
            rowTarget = null;
            rowWeight = null;
            w = new double[nIn * nOut];
            for (int j = 0; j < nOut; j++) {
                for (int i = 0; i < nIn; i++) {
                    w[i * nOut + j] = weightOutIn[j * nIn + i];
                }
            }
        }
    }

    boolean sparse() {
        return w == null;
    }

    @Override
    void compute(Parallel par) {
        final double[] x = in;
        int nnz = 0;
        boolean binary = true;
        long ops = 0;
        for (int i = 0; i < nIn; i++) {
            double v = x[i];
            if (v != 0) {
                nonZero[nnz++] = i;
                binary &= v == 1.0;
                ops += w != null ? nOut : rowStart[i + 1] - rowStart[i];
            }
        }
        count(ops, binary);
        final int active = nnz;
        int chunks = (nOut + CHUNK - 1) / CHUNK;
        par.forEach(chunks, ops, c -> {
            int j0 = c * CHUNK, j1 = Math.min(nOut, j0 + CHUNK);
            if (bias != null) {
                System.arraycopy(bias, j0, out, j0, j1 - j0);
            } else {
                java.util.Arrays.fill(out, j0, j1, 0.0);
            }
            if (w != null) {
                dense(x, active, j0, j1);
            } else {
                sparse(x, active, j0, j1);
            }
        });
    }

    private void dense(double[] x, int active, int j0, int j1) {
        final double[] y = out, wt = w;
        for (int k = 0; k < active; k++) {
            int i = nonZero[k];
            double xi = x[i];
            int base = i * nOut;
            for (int j = j0; j < j1; j++) {
                y[j] += xi * wt[base + j];
            }
        }
    }

    private void sparse(double[] x, int active, int j0, int j1) {
        final double[] y = out;
        boolean all = j0 == 0 && j1 == nOut;
        for (int k = 0; k < active; k++) {
            int i = nonZero[k];
            double xi = x[i];
            int s = rowStart[i], e = rowStart[i + 1];
            if (!all) {
                s = lowerBound(s, e, j0);
            }
            for (; s < e; s++) {
                int j = rowTarget[s];
                if (j >= j1) {
                    break;
                }
                y[j] += xi * rowWeight[s];
            }
        }
    }

    private int lowerBound(int lo, int hi, int target) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rowTarget[mid] < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    long synapses() {
        return storedWeights;
    }

    @Override
    long denseMacsPerStep() {
        return storedWeights;
    }
}
