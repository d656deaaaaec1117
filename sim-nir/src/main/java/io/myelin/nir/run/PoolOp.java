package io.myelin.nir.run;

/**
 * SumPool2d and AvgPool2d over {@code [C, H, W]}: each output sums its window (zero padding counts as zeros);
 * the average divides by the full window size.
 */
final class PoolOp extends Op {
    private final int c, h, w, oh, ow, kh, kw, sh, sw, ph, pw;
    private final double scale;

    PoolOp(String key, String type, int[] inShape, int[] outShape, int[] kernel, int[] stride, int[] padding,
           boolean average) {
        super(key, type, inShape[0] * inShape[1] * inShape[2], outShape[0] * outShape[1] * outShape[2]);
        this.c = inShape[0];
        this.h = inShape[1];
        this.w = inShape[2];
        this.oh = outShape[1];
        this.ow = outShape[2];
        this.kh = kernel[0];
        this.kw = kernel[1];
        this.sh = stride[0];
        this.sw = stride[1];
        this.ph = padding[0];
        this.pw = padding[1];
        this.scale = average ? 1.0 / (kh * kw) : 1.0;
    }

    @Override
    void compute(Parallel par) {
        final double[] x = in, y = out;
        long ops = 0;
        boolean binary = true;
        for (double v : x) {
            if (v != 0) {
                ops++;
                binary &= v == 1.0;
            }
        }
        count(ops, binary);
        for (int ch = 0; ch < c; ch++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double s = 0;
                    for (int a = 0; a < kh; a++) {
                        int iy = oy * sh - ph + a;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int row = (ch * h + iy) * w;
                        for (int b = 0; b < kw; b++) {
                            int ix = ox * sw - pw + b;
                            if (ix >= 0 && ix < w) {
                                s += x[row + ix];
                            }
                        }
                    }
                    y[(ch * oh + oy) * ow + ox] = scale == 1.0 ? s : s * scale;
                }
            }
        }
    }
}
