package io.myelin.examples.cli;

import io.myelin.core.backend.Backend;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.engine.Simulator;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.spec.EngineNetwork;
import io.myelin.nir.spec.NirToNetworkSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code myelin nir run --engine clock}: a NIR graph mapped onto Myelin's network description (docs/nir.md, "Which
 * graphs map") and run by the clock-driven engine on the chosen backend, recorded as the runner records it: every
 * population's membrane and the Output, each shifted back by its population's depth.
 */
final class NirEngineRun {
    private NirEngineRun() {
    }

    /** The arrays of {@code nir run}'s .npz ({@code output} first, then membranes by node key), and the backend used. */
    record Result(Map<String, NpyArray> arrays, String backend) {
    }

    static Result run(NirGraph g, double dt, NpyArray input, BackendChoice backend) {
        EngineNetwork en = NirToNetworkSpec.map(g, dt);
        int steps = input.rows();
        CompiledNetwork net = CompiledNetwork.compile(en.specFor(input));
        Backend b = backend.select();
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (Simulator sim = new Simulator(net, b)) {
            Map<String, StateMonitor> states = new LinkedHashMap<>();
            for (String pop : en.shifts().keySet()) {
                PopulationSpec p = en.spec().population(pop);
                int[] all = java.util.stream.IntStream.range(0, p.size()).toArray();
                states.put(pop, sim.recordState(pop, all, 1));
            }
            boolean spiking = !(g.check().graph().nodes().get(en.output()) instanceof io.myelin.nir.graph.LeakyIntegrator);
            SpikeMonitor spikes = spiking ? sim.recordSpikes(en.output()) : null;
            sim.runSteps(en.engineSteps(steps));
            Map<String, NpyArray> membranes = new LinkedHashMap<>();
            for (Map.Entry<String, StateMonitor> e : states.entrySet()) {
                int shift = en.shifts().get(e.getKey());
                int n = en.spec().population(e.getKey()).size();
                double[] v = new double[steps * n];
                for (int k = 0; k < n; k++) {
                    float[] trace = e.getValue().v(k);
                    for (int t = 0; t < steps; t++) {
                        v[t * n + k] = trace[t + shift];
                    }
                }
                membranes.put(e.getKey(), new NpyArray(new int[] {steps, n}, v, false));
            }
            int n = en.spec().population(en.output()).size();
            double[] o;
            if (spiking) {
                o = new double[steps * n];
                long[] st = spikes.steps();
                int[] who = spikes.neurons();
                int shift = en.shifts().get(en.output());
                for (int i = 0; i < st.length; i++) {
                    long t = st[i] - shift;
                    if (t >= 0 && t < steps) {
                        o[(int) t * n + who[i]] = 1;
                    }
                }
            } else {
                o = membranes.get(en.output()).data();
            }
            out.put("output", new NpyArray(new int[] {steps, n}, o, false));
            out.putAll(membranes);
        }
        return new Result(out, b.name());
    }
}
