package io.myelin.examples.cli;

import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.model.SourceSpec;
import io.myelin.nir.graph.Affine;
import io.myelin.nir.graph.Conv;
import io.myelin.nir.graph.Flatten;
import io.myelin.nir.graph.Input;
import io.myelin.nir.graph.LeakyIntegrator;
import io.myelin.nir.graph.Lif;
import io.myelin.nir.graph.Linear;
import io.myelin.nir.graph.NirEdge;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Output;
import io.myelin.nir.graph.Pool;
import io.myelin.nir.graph.Tensor;
import io.myelin.nir.io.NpyArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The networks of {@code myelin nir bench}: a convolutional SNN of about 100k neurons as a NIR graph and the same
 * network built with Myelin's Java API (every convolution tap an explicit synapse), and a braille-sized recurrent
 * network for the engine.
 */
final class NirBenchNetworks {
    static final int C = 2, H = 128, W = 128, C1 = 4, C2 = 8, CLASSES = 10;
    static final double DT = 1e-3, TAU_STEPS = 2, READOUT_TAU_STEPS = 5;

    private NirBenchNetworks() {
    }

    /** Seeded weights of the conv net: conv1 [C1][C][3][3], conv2 [C2][C1][3][3], fc [CLASSES][C2*H/2*W/2]. */
    record Weights(double[] conv1, double[] conv2, double[] fc) {
        static Weights draw(long seed) {
            Random r = new Random(seed);
            double[] c1 = new double[C1 * C * 9], c2 = new double[C2 * C1 * 9], fc = new double[CLASSES * C2 * (H / 2) * (W / 2)];
            for (int i = 0; i < c1.length; i++) {
                c1[i] = (float) (0.55 + 0.35 * r.nextGaussian());
            }
            for (int i = 0; i < c2.length; i++) {
                c2[i] = (float) (0.03 + 0.15 * r.nextGaussian());
            }
            for (int i = 0; i < fc.length; i++) {
                fc[i] = (float) (0.02 * r.nextGaussian());
            }
            return new Weights(c1, c2, fc);
        }
    }

    /** input [2,128,128] -> Conv2d 3x3 -> LIF [4,128,128] -> SumPool 2 -> Conv2d 3x3 -> LIF [8,64,64] -> Linear -> LI [10]. */
    static NirGraph convGraph(Weights w) {
        Map<String, NirNode> n = new LinkedHashMap<>();
        n.put("input", new Input(new int[] {C, H, W}));
        n.put("conv1", new Conv(2, new Tensor(new int[] {C1, C, 3, 3}, w.conv1(), true), new int[] {1}, Conv.Padding.of(1),
                new int[] {1}, 1, Tensor.filled(new int[] {C1}, 0), new int[] {H, W}));
        n.put("lif1", lif(new int[] {C1, H, W}));
        n.put("pool", new Pool(false, new int[] {2}, new int[] {2}, new int[] {0}));
        n.put("conv2", new Conv(2, new Tensor(new int[] {C2, C1, 3, 3}, w.conv2(), true), new int[] {1}, Conv.Padding.of(1),
                new int[] {1}, 1, Tensor.filled(new int[] {C2}, 0), new int[] {H / 2, W / 2}));
        n.put("lif2", lif(new int[] {C2, H / 2, W / 2}));
        n.put("flat", new Flatten(0, -1, null));
        n.put("fc", new Linear(Tensor.matrix(CLASSES, C2 * (H / 2) * (W / 2), w.fc(), true)));
        n.put("readout", new LeakyIntegrator(Tensor.filled(new int[] {CLASSES}, READOUT_TAU_STEPS * DT),
                Tensor.filled(new int[] {CLASSES}, READOUT_TAU_STEPS), Tensor.filled(new int[] {CLASSES}, 0)));
        n.put("output", new Output(new int[] {CLASSES}));
        String[] chain = {"input", "conv1", "lif1", "pool", "conv2", "lif2", "flat", "fc", "readout", "output"};
        List<NirEdge> e = new ArrayList<>();
        for (int i = 0; i + 1 < chain.length; i++) {
            e.add(new NirEdge(chain[i], chain[i + 1]));
        }
        return new NirGraph(n, e);
    }

    private static Lif lif(int[] shape) {
        return new Lif(Tensor.filled(shape, TAU_STEPS * DT), Tensor.filled(shape, TAU_STEPS), Tensor.filled(shape, 0),
                Tensor.filled(shape, 1.0), Tensor.filled(shape, 0));
    }

    /**
     * The same network with the Java API: discrete LIF populations (tau 2 steps; NIR's {@code v > 1} is the
     * engine's {@code v >= nextUp(1f)}), every convolution tap (through the sum pooling) an explicit synapse with
     * the one-step delay that is the engine's layer shift.
     */
    static NetworkSpec convSpec(Weights w, NpyArray input) {
        NetworkSpec.Builder b = NetworkSpec.builder().dtMs(DT * 1000).seed(1);
        b.source(spikes(input, DT * 1000));
        DiscreteLifParameters lif = new DiscreteLifParameters(TAU_STEPS, Math.nextUp(1.0f), 0.0);
        b.population(new PopulationSpec("lif1", C1 * H * W, lif, Distribution.constant(0), null));
        b.population(new PopulationSpec("lif2", C2 * (H / 2) * (W / 2), lif, Distribution.constant(0), null));
        b.population(new PopulationSpec("readout", CLASSES, DiscreteLifParameters.readout(READOUT_TAU_STEPS),
                Distribution.constant(0), null));
        Synapses s1 = new Synapses();
        for (int oc = 0; oc < C1; oc++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    for (int ic = 0; ic < C; ic++) {
                        for (int a = 0; a < 3; a++) {
                            for (int c = 0; c < 3; c++) {
                                int iy = y + a - 1, ix = x + c - 1;
                                if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
                                    s1.add((ic * H + iy) * W + ix, (oc * H + y) * W + x, w.conv1()[((oc * C + ic) * 3 + a) * 3 + c]);
                                }
                            }
                        }
                    }
                }
            }
        }
        b.projection(s1.projection("input", "lif1"));
        Synapses s2 = new Synapses();
        int h2 = H / 2, w2 = W / 2;
        for (int oc = 0; oc < C2; oc++) {
            for (int y = 0; y < h2; y++) {
                for (int x = 0; x < w2; x++) {
                    for (int ic = 0; ic < C1; ic++) {
                        for (int a = 0; a < 3; a++) {
                            for (int c = 0; c < 3; c++) {
                                int py = y + a - 1, px = x + c - 1;
                                if (py < 0 || py >= h2 || px < 0 || px >= w2) {
                                    continue;
                                }
                                for (int u = 0; u < 2; u++) {
                                    for (int v = 0; v < 2; v++) {
                                        s2.add((ic * H + 2 * py + u) * W + 2 * px + v, (oc * h2 + y) * w2 + x,
                                                w.conv2()[((oc * C1 + ic) * 3 + a) * 3 + c]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        b.projection(s2.projection("lif1", "lif2"));
        Synapses s3 = new Synapses();
        int n2 = C2 * h2 * w2;
        for (int o = 0; o < CLASSES; o++) {
            for (int i = 0; i < n2; i++) {
                s3.add(i, o, w.fc()[o * n2 + i]);
            }
        }
        b.projection(s3.projection("lif2", "readout"));
        return b.build();
    }

    /** Input counts [T, n] as the engine's spike source "input" (c spikes for a count c). */
    static SourceSpec.SpikeTimes spikes(NpyArray input, double dtMs) {
        List<Integer> n = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        double[] d = input.data();
        int size = input.rowSize();
        for (int k = 0; k < d.length; k++) {
            for (int j = 0; j < (int) d[k]; j++) {
                n.add(k % size);
                t.add((k / size) * dtMs);
            }
        }
        return new SourceSpec.SpikeTimes("input", size, n.stream().mapToInt(Integer::intValue).toArray(),
                t.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Random input spikes: each input fires with {@code p} per step. */
    static NpyArray randomSpikes(int steps, int size, double p, long seed) {
        Random r = new Random(seed);
        double[] d = new double[steps * size];
        for (int k = 0; k < d.length; k++) {
            d[k] = r.nextDouble() < p ? 1 : 0;
        }
        return new NpyArray(new int[] {steps, size}, d, true);
    }

    /**
     * The braille network's shape with the Java API: 12 inputs, 38 recurrent then 7 current-based LIF neurons
     * (Myelin's continuous LIF with exponential synapses, tau_m and tau_syn of the graph), the graph's weights.
     */
    static NetworkSpec brailleSpec(NirGraph g, NpyArray input) {
        Affine fc1 = (Affine) g.node("fc1"), rec = (Affine) g.node("lif1.w_rec"), fc2 = (Affine) g.node("fc2");
        LifParameters p1 = LifParameters.builder().tauMs(1.0).vRestMv(0).vResetMv(0).vThresholdMv(1).refractoryMs(0)
                .tauExcMs(0.22).tauInhMs(0.22).build();
        LifParameters p2 = LifParameters.builder().tauMs(0.22).vRestMv(0).vResetMv(0).vThresholdMv(1).refractoryMs(0)
                .tauExcMs(0.2).tauInhMs(0.2).build();
        NetworkSpec.Builder b = NetworkSpec.builder().dtMs(0.1).seed(1);
        b.source(spikes(input, 0.1));
        b.population(new PopulationSpec("lif1", 38, p1, Distribution.constant(0), null));
        b.population(new PopulationSpec("lif2", 7, p2, Distribution.constant(0), null));
        b.projection(dense(fc1.weight(), "input", "lif1", 20));
        b.projection(dense(rec.weight(), "lif1", "lif1", 20));
        b.projection(dense(fc2.weight(), "lif1", "lif2", 20));
        return b.build();
    }

    private static ProjectionSpec.Builder dense(Tensor w, String pre, String post, double scale) {
        Synapses s = new Synapses();
        int out = w.dim(0), in = w.dim(1);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                s.add(i, o, w.get(o * in + i) * scale);
            }
        }
        return s.projection(pre, post, 0.1).excitatory();
    }

    /** Explicit synapse lists, all with the one-step delay. */
    static final class Synapses {
        private int[] pre = new int[1024], post = new int[1024];
        private float[] w = new float[1024];
        private int n;

        void add(int a, int b, double weight) {
            if (n == pre.length) {
                pre = java.util.Arrays.copyOf(pre, 2 * n);
                post = java.util.Arrays.copyOf(post, 2 * n);
                w = java.util.Arrays.copyOf(w, 2 * n);
            }
            pre[n] = a;
            post[n] = b;
            w[n++] = (float) weight;
        }

        int size() {
            return n;
        }

        ProjectionSpec.Builder projection(String from, String to) {
            return projection(from, to, DT * 1000);
        }

        ProjectionSpec.Builder projection(String from, String to, double delayMs) {
            float[] d = new float[n];
            java.util.Arrays.fill(d, (float) delayMs);
            return ProjectionSpec.from(from).to(to).named(from + "->" + to).explicit(java.util.Arrays.copyOf(pre, n),
                    java.util.Arrays.copyOf(post, n), java.util.Arrays.copyOf(w, n), d);
        }
    }
}
