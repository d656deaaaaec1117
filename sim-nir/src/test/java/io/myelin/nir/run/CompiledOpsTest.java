package io.myelin.nir.run;

import io.myelin.nir.graph.Conv;
import io.myelin.nir.graph.Input;
import io.myelin.nir.graph.Lif;
import io.myelin.nir.graph.Linear;
import io.myelin.nir.graph.NirEdge;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Output;
import io.myelin.nir.graph.Tensor;
import io.myelin.nir.io.NpyArray;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled operations against naive loops that sum in the documented order (bias, then inputs in ascending
 * order): equal to the bit, on the dense and the sparse (event-driven) paths; and whole runs that do not depend on
 * the thread count when the operations are large enough to split.
 */
class CompiledOpsTest {
    private static final Parallel SERIAL = new Parallel(1);

    @Test
    void denseAndSparseMatrixVectorProductsSumInInputOrder() {
        Random r = new Random(1);
        for (double density : new double[] {1.0, 0.1}) {
            int out = 300, in = 200;
            double[] w = new double[out * in];
            for (int k = 0; k < w.length; k++) {
                w[k] = r.nextDouble() < density ? r.nextGaussian() : 0;
            }
            double[] bias = new double[out];
            for (int o = 0; o < out; o++) {
                bias[o] = r.nextGaussian();
            }
            DenseOp op = new DenseOp("a", "Affine", out, in, w, bias);
            assertEquals(density < DenseOp.SPARSE_BELOW, op.sparse());
            for (double p : new double[] {0.05, 0.9}) {
                for (int i = 0; i < in; i++) {
                    op.in[i] = r.nextDouble() < p ? (r.nextBoolean() ? 1 : r.nextGaussian()) : 0;
                }
                op.compute(SERIAL);
                double[] want = new double[out];
                for (int o = 0; o < out; o++) {
                    double s = bias[o];
                    for (int i = 0; i < in; i++) {
                        if (op.in[i] != 0) {
                            s += op.in[i] * w[o * in + i];
                        }
                    }
                    want[o] = s;
                }
                assertArrayEquals(want, op.out, "density " + density + ", input density " + p);
            }
        }
    }

    @Test
    void convolutionScatterAndDensePathsMatchNaiveLoops() {
        Random r = new Random(2);
        int cin = 4, h = 9, w = 11, cout = 6, groups = 2, kh = 3, kw = 2, sh = 2, sw = 1, ph = 1, pw = 1, dh = 1, dw = 2;
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        double[] weight = new double[cout * (cin / groups) * kh * kw];
        for (int k = 0; k < weight.length; k++) {
            weight[k] = r.nextGaussian();
        }
        double[] bias = {0.1, -0.2, 0.3, 0, 0.5, -1};
        ConvOp op = new ConvOp("c", "Conv2d", new int[] {cin, h, w}, new int[] {cout, oh, ow}, new int[] {kh, kw},
                new int[] {sh, sw}, new int[] {ph, pw}, new int[] {dh, dw}, groups, weight, bias);
        for (double p : new double[] {0.03, 0.8}) {
            for (int i = 0; i < op.in.length; i++) {
                op.in[i] = r.nextDouble() < p ? 1 + r.nextInt(3) : 0;
            }
            op.compute(SERIAL);
            int cpg = cin / groups, opg = cout / groups;
            for (int oc = 0; oc < cout; oc++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        double s = bias[oc];
                        int g = oc / opg;
                        for (int icg = 0; icg < cpg; icg++) {
                            for (int a = 0; a < kh; a++) {
                                for (int b = 0; b < kw; b++) {
                                    int iy = y * sh - ph + a * dh, ix = x * sw - pw + b * dw;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        double v = op.in[((g * cpg + icg) * h + iy) * w + ix];
                                        if (v != 0) {
                                            s += weight[((oc * cpg + icg) * kh + a) * kw + b] * v;
                                        }
                                    }
                                }
                            }
                        }
                        assertEquals(s, op.out[(oc * oh + y) * ow + x], 0.0, "p " + p + " at " + oc + "," + y + "," + x);
                    }
                }
            }
        }
    }

    @Test
    void runsDoNotDependOnTheThreadCount() {
        Random r = new Random(3);
        double[] w1 = new double[4096 * 512];
        for (int k = 0; k < w1.length; k++) {
            w1[k] = (float) (0.1 * r.nextGaussian());
        }
        double[] wc = new double[8 * 16 * 9];
        for (int k = 0; k < wc.length; k++) {
            wc[k] = (float) (0.3 * r.nextGaussian());
        }
        Map<String, NirNode> n = new LinkedHashMap<>();
        n.put("in", new Input(new int[] {512}));
        n.put("fc", new Linear(Tensor.matrix(4096, 512, w1, true)));
        n.put("lif1", lif(new int[] {4096}));
        n.put("conv", new Conv(2, new Tensor(new int[] {8, 16, 3, 3}, wc, true), new int[] {1}, Conv.Padding.named("same"),
                new int[] {1}, 1, Tensor.filled(new int[] {8}, 0.05), new int[] {16, 16}));
        n.put("lif2", lif(new int[] {8, 16, 16}));
        n.put("out", new Output(new int[] {8, 16, 16}));
        NirGraph g = new NirGraph(n, List.of(new NirEdge("in", "fc"), new NirEdge("fc", "lif1"), new NirEdge("lif1", "conv"),
                new NirEdge("conv", "lif2"), new NirEdge("lif2", "out")));
        double[] x = new double[30 * 512];
        for (int k = 0; k < x.length; k++) {
            x[k] = r.nextDouble() < 0.3 ? 1 : 0;
        }
        NpyArray input = new NpyArray(new int[] {30, 512}, x, true);
        NirTrace one, two;
        try (NirRunner a = NirRunner.compile(g, 1e-3, Integration.EULER, 1);
             NirRunner b = NirRunner.compile(g, 1e-3, Integration.EULER, 2)) {
            one = a.run(input, null);
            two = b.run(input, null);
        }
        double spikes = 0;
        for (double v : one.output()) {
            spikes += v;
        }
        assertTrue(spikes > 100, "lif2 must spike: " + spikes);
        assertArrayEquals(one.output(), two.output());
        assertArrayEquals(one.states().get("lif1"), two.states().get("lif1"));
        assertArrayEquals(one.states().get("lif2"), two.states().get("lif2"));
    }

    private static Lif lif(int[] shape) {
        return new Lif(Tensor.filled(shape, 3e-3), Tensor.filled(shape, 3), Tensor.filled(shape, 0),
                Tensor.filled(shape, 1), Tensor.filled(shape, 0));
    }
}
