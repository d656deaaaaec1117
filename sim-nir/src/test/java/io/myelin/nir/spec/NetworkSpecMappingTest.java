package io.myelin.nir.spec;

import io.myelin.core.InvalidInputException;
import io.myelin.core.engine.Simulator;
import io.myelin.core.model.DiscreteLifParameters;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.model.SourceSpec;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import io.myelin.nir.TestData;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.Npy;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.run.NirRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NIR graphs on Myelin's engine: a NIR file and its mapped network give the same spikes (the NIR runner at step t,
 * the engine at t + depth), and Myelin -> NIR -> Myelin gives a network that runs identically to the original.
 */
class NetworkSpecMappingTest {
    @TempDir
    Path tmp;

    /** Spike steps of a population as "step:neuron" strings, engine steps shifted back by {@code shift}. */
    private static Set<String> engineSpikes(SpikeMonitor m, int shift, int maxStep) {
        Set<String> s = new HashSet<>();
        long[] steps = m.steps();
        int[] n = m.neurons();
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] - shift < maxStep) {
                s.add((steps[i] - shift) + ":" + n[i]);
            }
        }
        return s;
    }

    private static Set<String> runnerSpikes(NirRunner r, NpyArray x, String key, List<double[]> readout, String ro) {
        Set<String> s = new HashSet<>();
        r.reset();
        double[] row = new double[x.rowSize()];
        for (int t = 0; t < x.rows(); t++) {
            System.arraycopy(x.data(), t * row.length, row, 0, row.length);
            r.step(row);
            double[] z = r.value(key);
            for (int i = 0; i < z.length; i++) {
                if (z[i] != 0) {
                    s.add(t + ":" + i);
                }
            }
            readout.add(r.membrane(ro));
        }
        return s;
    }

    @Test
    void delaysSmallRunsOnTheEngineWithTheSameSpikes() throws Exception {
        Path c = TestData.nirCase("delays_small");
        NirGraph g = NirGraph.read(c.resolve("graph.nir"));
        NpyArray x = Npy.read(c.resolve("input.npy"));
        EngineNetwork en = NirToNetworkSpec.map(g, 1e-3);
        assertEquals(1, en.shifts().get("lif"));
        assertEquals(2, en.shifts().get("li"));
        List<double[]> li = new ArrayList<>();
        Set<String> nir;
        try (NirRunner r = NirRunner.compile(g, 1e-3)) {
            nir = runnerSpikes(r, x, "lif", li, "li");
        }
        assertTrue(nir.size() > 20, "the LIF node must spike: " + nir.size());
        try (Simulator sim = Simulator.create(en.specFor(x))) {
            SpikeMonitor spikes = sim.recordSpikes("lif");
            StateMonitor v = sim.recordState("li", new int[] {0, 1, 2}, 1);
            sim.runSteps(en.engineSteps(x.rows()));
            assertEquals(nir, engineSpikes(spikes, 1, x.rows()), "LIF spikes: NIR runner vs Myelin engine");
            for (int k = 0; k < 3; k++) {
                float[] trace = v.v(k);
                for (int t = 0; t < x.rows(); t++) {
                    assertEquals(li.get(t)[k], trace[t + 2], 1e-4 * Math.max(1, Math.abs(li.get(t)[k])), "li[" + k + "] at " + t);
                }
            }
        }
    }

    private static NetworkSpec layered(long seed) {
        Random rnd = new Random(seed);
        int nIn = 20, nHid = 30, nOut = 5;
        NetworkSpec.Builder b = NetworkSpec.builder().dtMs(1.0).seed(seed);
        b.source(new SourceSpec.SpikeTimes("input", nIn, new int[0], new double[0]));
        b.population(new PopulationSpec("hidden", nHid, new DiscreteLifParameters(2.5, 1.0, 0.0), Distribution.constant(0), null));
        b.population(new PopulationSpec("readout", nOut, DiscreteLifParameters.readout(4.0), Distribution.constant(0), null));
        b.projection(explicit(rnd, "input", "hidden", nIn, nHid, 0.5, 0.6f, 4));
        b.projection(explicit(rnd, "hidden", "hidden", nHid, nHid, 0.15, 0.4f, 3));
        b.projection(explicit(rnd, "hidden", "readout", nHid, nOut, 0.6, 0.5f, 2));
        return b.build();
    }

    private static ProjectionSpec.Builder explicit(Random rnd, String pre, String post, int nPre, int nPost, double p,
                                                   float scale, int maxDelay) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < nPre; i++) {
            for (int o = 0; o < nPost; o++) {
                if (rnd.nextDouble() < p) {
                    pairs.add(new int[] {i, o});
                }
            }
        }
        int[] a = new int[pairs.size()], c = new int[pairs.size()];
        float[] w = new float[pairs.size()], d = new float[pairs.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = pairs.get(k)[0];
            c[k] = pairs.get(k)[1];
            w[k] = (float) (rnd.nextGaussian() * scale);
            d[k] = 1 + rnd.nextInt(maxDelay);
        }
        return ProjectionSpec.from(pre).to(post).explicit(a, c, w, d);
    }

    @Test
    void myelinToNirToMyelinRunsIdentically() throws Exception {
        NetworkSpec spec = layered(3);
        NirGraph g = NetworkSpecToNir.map(spec, "readout");
        Path f = tmp.resolve("net.nir");
        g.write(f);
        EngineNetwork back = NirToNetworkSpec.map(NirGraph.read(f), 1e-3);
        Random rnd = new Random(5);
        int steps = 80;
        double[] counts = new double[steps * 20];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = rnd.nextDouble() < 0.15 ? 1 + rnd.nextInt(2) : 0;
        }
        NpyArray x = new NpyArray(new int[] {steps, 20}, counts, true);
        NetworkSpec fed = back.specFor(x);
        NetworkSpec original = spec.withSource(fed.sourceNamed("input"));
        long[] s1, s2;
        int[] n1, n2;
        float[] v1, v2;
        try (Simulator a = Simulator.create(original); Simulator b = Simulator.create(fed)) {
            SpikeMonitor ma = a.recordSpikes("hidden"), mb = b.recordSpikes("hidden");
            StateMonitor ra = a.recordState("readout", new int[] {0, 4}, 1), rb = b.recordState("readout", new int[] {0, 4}, 1);
            a.runSteps(steps + 2);
            b.runSteps(steps + 2);
            s1 = ma.steps();
            s2 = mb.steps();
            n1 = ma.neurons();
            n2 = mb.neurons();
            v1 = ra.v(1);
            v2 = rb.v(1);
        }
        assertTrue(s1.length > 100, "hidden must spike: " + s1.length);
        assertArrayEquals(s1, s2, "spike steps after Myelin -> NIR -> Myelin");
        assertArrayEquals(n1, n2, "spiking neurons after Myelin -> NIR -> Myelin");
        assertArrayEquals(v1, v2, "readout membrane after Myelin -> NIR -> Myelin");
        // and the NIR runner on the intermediate graph gives the engine's spikes, one step earlier
        List<double[]> ro = new ArrayList<>();
        try (NirRunner r = NirRunner.compile(g, 1e-3)) {
            Set<String> nir = runnerSpikes(r, x, "hidden", ro, "readout");
            Set<String> eng = new HashSet<>();
            for (int i = 0; i < s1.length; i++) {
                if (s1[i] - 1 < steps) {
                    eng.add((s1[i] - 1) + ":" + n1[i]);
                }
            }
            assertEquals(eng, nir, "NIR runner vs engine, hidden spikes");
        }
    }

    @Test
    void graphsThatDoNotMapSayWhy() throws Exception {
        NirGraph cuba = NirGraph.read(TestData.nirCase("braille_rnn_zero").resolve("graph.nir"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NirToNetworkSpec.map(cuba, 1e-4));
        assertTrue(e.getMessage().contains("CubaLIF"), e.getMessage());
        NirGraph lif = NirGraph.read(TestData.nirCase("lif_norse").resolve("graph.nir"));
        EngineNetwork en = NirToNetworkSpec.map(lif, 1e-4);
        NpyArray current = Npy.read(TestData.nirCase("lif_norse").resolve("input.npy"));
        if (Arrays.stream(current.data()).anyMatch(v -> v != Math.rint(v))) {
            e = assertThrows(InvalidInputException.class, () -> en.specFor(current));
            assertTrue(e.getMessage().contains("integer counts"), e.getMessage());
        }
    }
}
