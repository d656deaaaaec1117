package io.myelin.core.energy;

import cern.jet.random.engine.MersenneTwister;
import io.myelin.core.engine.Simulator;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.monitor.SpikeMonitor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine adapter's ACs against an independent count: every spike in the spike record times the fan-out the
 * test itself drew (explicit random connectivity), per projection, summed into the post population.
 */
class EngineActivityTest {
    private record Proj(String pre, String post, int preSize, int[] pre_, int[] post_) {
        long[] fanOut() {
            long[] f = new long[preSize];
            for (int p : pre_) {
                f[p]++;
            }
            return f;
        }
    }

    @Test
    void acsEqualRecordedSpikesTimesFanOutOnRandomNetworks() {
        for (long seed = 1; seed <= 4; seed++) {
            checkRandomNetwork(seed);
        }
    }

    private void checkRandomNetwork(long seed) {
        MersenneTwister rng = new MersenneTwister((int) seed);
        LifParameters lif = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-70).vThresholdMv(-55)
                .refractoryMs(1).tauExcMs(2).build();
        Map<String, Integer> sizes = new HashMap<>();
        sizes.put("poisson", 30 + (int) (rng.raw() * 30));
        sizes.put("times", 20);
        sizes.put("a", 50 + (int) (rng.raw() * 100));
        sizes.put("b", 30 + (int) (rng.raw() * 80));
        sizes.put("c", 10 + (int) (rng.raw() * 40));
        // a spike-times source with several spikes of the same neuron in one step (dataset counts as events)
        int n = 600;
        int[] tn = new int[n];
        double[] tt = new double[n];
        for (int k = 0; k < n; k++) {
            tn[k] = (int) (rng.raw() * 20);
            tt[k] = Math.floor(rng.raw() * 1500) * 0.1 + 0.03;
        }
        tn[1] = tn[0];
        tt[1] = tt[0];
        String[][] pairs = {{"poisson", "a"}, {"times", "a"}, {"a", "b"}, {"b", "a"}, {"a", "c"}, {"b", "c"}, {"c", "c"}};
        NetworkSpec.Builder nb = NetworkSpec.builder().dtMs(0.1).seed(seed)
                .poissonSource("poisson", sizes.get("poisson"), 60)
                .spikeTimesSource("times", 20, tn, tt)
                .population("a", sizes.get("a"), lif, Distribution.uniform(-70, -55))
                .population("b", sizes.get("b"), lif, Distribution.uniform(-70, -55))
                .population("c", sizes.get("c"), lif, Distribution.uniform(-70, -55));
        Proj[] projs = new Proj[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            int preSize = sizes.get(pairs[i][0]);
            int postSize = sizes.get(pairs[i][1]);
            int m = (int) (preSize * postSize * (0.05 + 0.15 * rng.raw()));
            int[] pre = new int[m];
            int[] post = new int[m];
            float[] w = new float[m];
            for (int k = 0; k < m; k++) {
                pre[k] = (int) (rng.raw() * preSize);
                post[k] = (int) (rng.raw() * postSize);
                w[k] = (float) (i == 3 ? -1.5 : 4 + 6 * rng.raw());
            }
            projs[i] = new Proj(pairs[i][0], pairs[i][1], preSize, pre, post);
            ProjectionSpec.Builder pb = ProjectionSpec.from(pairs[i][0]).to(pairs[i][1]).explicit(pre, post, w, null)
                    .delayMs(Distribution.uniform(0.1, 2.5));
            nb.projection(i == 3 ? pb.inhibitory() : pb);
        }
        NetworkSpec spec = nb.build();
        try (Simulator sim = Simulator.create(spec)) {
            Map<String, SpikeMonitor> mon = new HashMap<>();
            for (String g : sizes.keySet()) {
                mon.put(g, sim.recordSpikes(g));
            }
            EngineActivity activity = EngineActivity.attach(sim, 700, 1_000_000);
            activity.runSteps(500);
            activity.runSteps(1000); // crosses the end of the raster window: recording stops at step 700
            sim.run(5);              // counts go on without the adapter
            List<LayerActivity> layers = activity.layers();
            Map<String, Long> expectedAcs = new HashMap<>();
            for (Proj p : projs) {
                long[] fan = p.fanOut();
                long e = 0;
                for (int local : mon.get(p.pre()).neurons()) {
                    e += fan[local];
                }
                expectedAcs.merge(p.post(), e, Long::sum);
            }
            assertTrue(mon.get("a").count() > 20, "seed " + seed + ": network a is active");
            for (LayerActivity l : layers) {
                assertEquals(mon.get(l.name()).count(), l.spikes(), "seed " + seed + " spikes of " + l.name());
                assertEquals(expectedAcs.getOrDefault(l.name(), 0L), l.acs(), "seed " + seed + " ACs into " + l.name());
                assertEquals(0, l.macs());
                assertEquals(1550, l.timeSteps());
            }
            // the raster holds exactly the monitor's spikes of the first 700 steps
            for (SpikeRaster r : activity.rasters()) {
                SpikeMonitor m = mon.get(r.layer());
                long[] st = m.steps();
                int[] nn = m.neurons();
                int k = 0;
                while (k < st.length && st[k] < 700) {
                    k++;
                }
                int[] es = new int[k];
                int[] en = new int[k];
                for (int i = 0; i < k; i++) {
                    es[i] = (int) st[i];
                    en[i] = nn[i];
                }
                assertArrayEquals(es, r.step(), "raster steps of " + r.layer());
                assertArrayEquals(en, r.neuron(), "raster neurons of " + r.layer());
                assertEquals(700, r.timeSteps());
            }
        }
    }

    @Test
    void eventDrivenCountsSplitTheirExactUpdateTotalOverPopulations() {
        LifParameters lif = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-70).vThresholdMv(-55).build();
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.1).seed(3).poissonSource("in", 4, 10)
                .population("a", 3, lif).population("b", 7, lif)
                .projection(ProjectionSpec.from("in").to("a").allToAll().weight(1).delayMs(1.0))
                .projection(ProjectionSpec.from("a").to("b").allToAll().weight(1).delayMs(1.0)).build();
        io.myelin.core.engine.CompiledNetwork net = io.myelin.core.engine.CompiledNetwork.compile(spec);
        // an event-driven run: 1001 membrane updates in 100 steps, not 100 x 10
        io.myelin.core.monitor.OperationCounts oc = new io.myelin.core.monitor.OperationCounts(100, 1001,
                Map.of("in", 20L, "a", 5L, "b", 2L), Map.of("in->a", 60L, "a->b", 35L));
        List<LayerActivity> l = EngineActivity.layers(net, oc);
        assertEquals(List.of("in", "a", "b"), l.stream().map(LayerActivity::name).toList());
        assertEquals(300, l.get(1).neuronUpdates()); // 1001 x 3/10 = 300.3
        assertEquals(701, l.get(2).neuronUpdates()); // 700.7, gets the remainder
        assertEquals(60, l.get(1).acs());
        assertEquals(35, l.get(2).acs());
        assertEquals(21 * 100, l.get(2).annMacs());
    }

    @Test
    void anEventDrivenRunChargesEachPopulationItsOwnMembraneUpdates() {
        // "quiet" gets no input, no bias and starts at V = 0, a fixed point below threshold: the event engine updates
        // each of its neurons once (the initial state is unknown to it) and never again
        io.myelin.core.model.DiscreteLifParameters lif = io.myelin.core.model.DiscreteLifParameters.spiking(2.0);
        NetworkSpec spec = NetworkSpec.builder().dtMs(1.0).seed(2).poissonSource("in", 20, 200)
                .population(new io.myelin.core.model.PopulationSpec("busy", 12, lif, Distribution.uniform(0, 0.5), null))
                .population(new io.myelin.core.model.PopulationSpec("quiet", 9, lif, Distribution.constant(0), null))
                .projection(ProjectionSpec.from("in").to("busy").allToAll().weight(0.4).delayMs(1.0)).build();
        try (io.myelin.core.engine.Engine engine = io.myelin.core.engine.Engines.create(spec, "event")) {
            SpikeMonitor in = engine.recordSpikes("in");
            EngineActivity activity = EngineActivity.attach(engine, 50, 1000);
            activity.runSteps(80);
            List<LayerActivity> l = activity.layers();
            assertEquals(List.of("in", "busy", "quiet"), l.stream().map(LayerActivity::name).toList());
            assertEquals(9, l.get(2).neuronUpdates());
            assertEquals(((io.myelin.core.engine.EventDrivenSimulator) engine).statistics().membraneUpdates(),
                    l.get(1).neuronUpdates() + l.get(2).neuronUpdates());
            assertEquals(in.count() * 12L, l.get(1).acs(), "every input spike reaches all 12 busy neurons");
            assertEquals(80, l.get(1).timeSteps());
            assertEquals(50, activity.rasters().get(0).timeSteps());
        }
    }

    @Test
    void modelSizeOfASmallNetworkByHand() {
        LifParameters lif = LifParameters.builder().tauMs(10).vRestMv(-65).vResetMv(-70).vThresholdMv(-55).build();
        NetworkSpec spec = NetworkSpec.builder().dtMs(0.1).seed(3)
                .poissonSource("in", 4, 10)
                .population("h", 3, lif)
                .projection(ProjectionSpec.from("in").to("h").allToAll().weight(1).delayMs(1.0))
                // delays 0.1 .. 0.4 ms = 1..4 steps: 4 values, 2 bits each
                .projection(ProjectionSpec.from("h").to("h").explicit(new int[]{0, 1, 2}, new int[]{1, 2, 0},
                        new float[]{1, 1, 1}, new float[]{0.1f, 0.4f, 0.2f}))
                .build();
        ModelSize s = EngineActivity.modelSize(io.myelin.core.engine.CompiledNetwork.compile(spec));
        // weights 12 + 3 at 32 bits; in->h one shared delay of 10 steps (ceil(log2 11) = 4 bits); h->h 3 x 2 bits;
        // h: threshold 32 + 6 other LIF parameters x 32
        long expected = 15 * 32 + 4 + 3 * 2 + 32 + 6 * 32;
        assertEquals(expected, s.totalBits());
        assertEquals((15 + 1 + 3 + 1 + 6) * 32L, s.float32Bits());
    }
}
