package io.myelin.nir.run;

/**
 * Conv1d / Conv2d as direct loops over flat {@code [C, H, W]} arrays (a 1-d convolution is a 2-d one with H = 1).
 * Each output sums its bias first, then input channel by channel, kernel row by row, kernel column by column. When
 * few inputs are non-zero (spikes) the same sums run as a scatter from the non-zero inputs, which visits them in
 * that same order, so both paths and any thread count give the same bits. Threads take ranges of output channels.
 */
final class ConvOp extends Op {
    /** Scatter from non-zero inputs when fewer than this fraction of the inputs are non-zero. */
    static final double SCATTER_BELOW = 0.15;

    private final int cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow;
    private final int cinPerGroup, coutPerGroup;
    private final double[] weight;
    private final double[] bias;
    private final int[] fanout;
    private final int[] nonZero;

    ConvOp(String key, String type, int[] inShape, int[] outShape, int[] kernel, int[] stride, int[] padBefore,
           int[] dilation, int groups, double[] weight, double[] bias) {
        super(key, type, count(inShape), count(outShape));
        boolean two = inShape.length == 3;
        this.cin = inShape[0];
        this.h = two ? inShape[1] : 1;
        this.w = two ? inShape[2] : inShape[1];
        this.cout = outShape[0];
        this.oh = two ? outShape[1] : 1;
        this.ow = two ? outShape[2] : outShape[1];
        this.kh = two ? kernel[0] : 1;
        this.kw = two ? kernel[1] : kernel[0];
        this.sh = two ? stride[0] : 1;
        this.sw = two ? stride[1] : stride[0];
        this.ph = two ? padBefore[0] : 0;
        this.pw = two ? padBefore[1] : padBefore[0];
        this.dh = two ? dilation[0] : 1;
        this.dw = two ? dilation[1] : dilation[0];
        this.groups = groups;
        this.cinPerGroup = cin / groups;
        this.coutPerGroup = cout / groups;
        this.weight = weight;
        this.bias = bias.length == cout ? bias : filled(cout, bias[0]);
        this.nonZero = new int[cin * h * w];
        this.fanout = new int[cin * h * w];
        // synaptic operations one non-zero input triggers: (output channel, kernel tap) pairs that land in the output
        for (int c = 0; c < cin; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int taps = 0;
                    for (int a = 0; a < kh; a++) {
                        int oy = y + ph - a * dh;
                        if (oy < 0 || oy % sh != 0 || oy / sh >= oh) {
                            continue;
                        }
                        for (int b = 0; b < kw; b++) {
                            int ox = x + pw - b * dw;
                            if (ox >= 0 && ox % sw == 0 && ox / sw < ow) {
                                taps++;
                            }
                        }
                    }
                    fanout[(c * h + y) * w + x] = taps * coutPerGroup;
                }
            }
        }
    }

    private static int count(int[] s) {
        int n = 1;
        for (int e : s) {
            n *= e;
        }
        return n;
    }

    private static double[] filled(int n, double v) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, v);
        return d;
    }

    @Override
    void compute(Parallel par) {
        final double[] x = in;
        int nnz = 0;
        boolean binary = true;
        long ops = 0;
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (v != 0) {
                nonZero[nnz++] = i;
                binary &= v == 1.0;
                ops += fanout[i];
            }
        }
        count(ops, binary);
        final int active = nnz;
        final boolean scatter = nnz < SCATTER_BELOW * x.length;
        long work = scatter ? ops : (long) out.length * cinPerGroup * kh * kw;
        par.forEach(cout, work, oc -> {
            int plane = oh * ow;
            java.util.Arrays.fill(out, oc * plane, (oc + 1) * plane, bias[oc]);
            if (scatter) {
                scatter(x, active, oc);
            } else {
                dense(x, oc);
            }
        });
    }

    private void dense(double[] x, int oc) {
        final double[] y = out;
        int g = oc / coutPerGroup;
        int yBase = oc * oh * ow;
        for (int icg = 0; icg < cinPerGroup; icg++) {
            int ic = g * cinPerGroup + icg;
            int xBase = ic * h * w;
            int wBase = (oc * cinPerGroup + icg) * kh * kw;
            for (int a = 0; a < kh; a++) {
                for (int b = 0; b < kw; b++) {
                    double wv = weight[wBase + a * kw + b];
                    if (wv == 0) {
                        continue;
                    }
                    // output columns whose input column ox*sw - pw + b*dw lies inside [0, w)
                    int off = b * dw - pw;
                    int x0 = off >= 0 ? 0 : (-off + sw - 1) / sw;
                    int x1 = Math.min(ow, (w - 1 - off) / sw + 1);
                    if (w - 1 - off < 0) {
                        continue;
                    }
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * sh - ph + a * dh;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int yr = yBase + oy * ow;
                        int xr = xBase + iy * w + off;
                        if (sw == 1) {
                            for (int ox = x0; ox < x1; ox++) {
                                y[yr + ox] += wv * x[xr + ox];
                            }
                        } else {
                            for (int ox = x0; ox < x1; ox++) {
                                y[yr + ox] += wv * x[xr + ox * sw];
                            }
                        }
                    }
                }
            }
        }
    }

    private void scatter(double[] x, int active, int oc) {
        final double[] y = out;
        int g = oc / coutPerGroup;
        int icLo = g * cinPerGroup, icHi = icLo + cinPerGroup;
        int yBase = oc * oh * ow;
        int plane = h * w;
        for (int k = 0; k < active; k++) {
            int idx = nonZero[k];
            int ic = idx / plane;
            if (ic < icLo) {
                continue;
            }
            if (ic >= icHi) {
                break;
            }
            double xv = x[idx];
            int rem = idx - ic * plane;
            int iy = rem / w, ix = rem - iy * w;
            int wBase = (oc * cinPerGroup + (ic - icLo)) * kh * kw;
            for (int a = 0; a < kh; a++) {
                int oy = iy + ph - a * dh;
                if (oy < 0 || oy % sh != 0 || oy / sh >= oh) {
                    continue;
                }
                int yr = yBase + (oy / sh) * ow;
                for (int b = 0; b < kw; b++) {
                    int ox = ix + pw - b * dw;
                    if (ox >= 0 && ox % sw == 0 && ox / sw < ow) {
                        y[yr + ox / sw] += weight[wBase + a * kw + b] * xv;
                    }
                }
            }
        }
    }

    @Override
    long synapses() {
        return weight.length;
    }

    @Override
    long denseMacsPerStep() {
        return (long) out.length * cinPerGroup * kh * kw;
    }
}
