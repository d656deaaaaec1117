package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.myelin.core.engine.Simulator;
import io.myelin.core.json.Json;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.io.Npy;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.run.Integration;
import io.myelin.nir.run.NirActivity;
import io.myelin.nir.run.NirRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code myelin nir bench}: the NIR runner against Myelin's clock-driven engine on the same networks: the braille
 * RNN case, and a ~100k-neuron convolutional SNN (the NIR graph vs the same network built with the Java API,
 * convolution taps as explicit synapses). One JSON line per network; best of {@code --repeat} timed runs after one
 * warm-up.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the NIR runner vs the engine: braille_rnn_zero and a ~100k-neuron conv SNN (JSON lines).")
public final class NirBenchCommand implements Callable<Integer> {
    @Option(names = "--case", defaultValue = "test-data/nir/braille_rnn_zero", description = "braille case (default ${DEFAULT-VALUE})")
    Path braille;

    @Option(names = "--steps", defaultValue = "100", description = "steps of the conv SNN (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--repeat", defaultValue = "3", description = "timed runs, best kept (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--threads", defaultValue = "1", description = "NIR runner threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--model", description = "also time a trained delay-SNN run exported to NIR against the clock engine")
    Path model;

    @Option(names = "--data", description = "with --model: SHD-format test file")
    Path data;

    @Option(names = "--samples", defaultValue = "50", description = "with --model: samples (default ${DEFAULT-VALUE})")
    int samples;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        ObjectWriter json = Json.compact();
        o.println(json.writeValueAsString(braille()));
        o.flush();
        o.println(json.writeValueAsString(conv()));
        o.flush();
        if (model != null) {
            if (data == null) {
                throw new io.myelin.core.InvalidInputException("--model needs --data");
            }
            o.println(json.writeValueAsString(exported()));
            o.flush();
        }
        return 0;
    }

    private Map<String, Object> braille() throws Exception {
        NirGraph g = NirGraph.read(braille.resolve("graph.nir"));
        NpyArray x = Npy.read(braille.resolve("input.npy"));
        int runs = 200;
        double nir = Double.MAX_VALUE, engine = Double.MAX_VALUE;
        try (NirRunner r = NirRunner.compile(g, 1e-4, Integration.EULER, 1)) {
            for (int k = 0; k <= repeat; k++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    r.run(x, java.util.List.of());
                }
                double s = (System.nanoTime() - t0) / 1e9 / runs;
                nir = k == 0 ? nir : Math.min(nir, s);
            }
        }
        NetworkSpec es = NirBenchNetworks.brailleSpec(g, x);
        for (int k = 0; k <= repeat; k++) {
            Simulator[] sims = new Simulator[runs];
            for (int i = 0; i < runs; i++) {
                sims[i] = Simulator.create(es);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                sims[i].runSteps(x.rows());
            }
            double s = (System.nanoTime() - t0) / 1e9 / runs;
            for (Simulator sim : sims) {
                sim.close();
            }
            engine = k == 0 ? engine : Math.min(engine, s);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", "braille_rnn_zero");
        m.put("neurons", 45);
        m.put("steps", x.rows());
        m.put("nir_runner_ms_per_run", nir * 1e3);
        m.put("engine_ms_per_run", engine * 1e3);
        m.put("engine_note", "same sizes and weights with Myelin's continuous CUBA LIF (not CubaLIF's Euler semantics); "
                + "simulators built before the timed loop");
        return m;
    }

    /** The exported delay SNN on the NIR runner vs the same model exported to the clock-driven engine. */
    private Map<String, Object> exported() {
        io.myelin.models.delay.DelaySnn m = io.myelin.models.train.RunStore.of(model)
                .loadModel(io.myelin.models.delay.DelaySnn.class);
        io.myelin.models.data.BinnedSet set = io.myelin.models.data.BinnedSet.forModel(m.config().data(), m.inputs(),
                data, samples);
        io.myelin.models.train.Evaluation.Result eval = io.myelin.models.train.Evaluation.run(m, set, 32);
        NirGraph g = io.myelin.nir.export.DelaySnnNirExport.export(m);
        int extra = io.myelin.nir.export.DelaySnnNirExport.extraSteps(g);
        double nir = Double.MAX_VALUE;
        int agree = 0;
        long steps = 0;
        try (NirRunner r = NirRunner.compile(g, m.config().data().frameMs() / 1000, Integration.EULER, threads)) {
            int channels = r.inputShape()[0];
            for (int k = 0; k <= repeat; k++) {
                long t0 = System.nanoTime();
                agree = 0;
                steps = 0;
                for (int i = 0; i < set.size(); i++) {
                    NpyArray x = io.myelin.nir.export.DelaySnnNirExport.input(set.source(), i, m.config().data(), extra,
                            channels);
                    io.myelin.nir.run.NirTrace t = r.run(x, java.util.List.of());
                    int p = io.myelin.nir.export.DelaySnnNirExport.argmax(
                            io.myelin.nir.export.DelaySnnNirExport.logits(t.output(), m.classes()));
                    agree += p == eval.predictions()[i] ? 1 : 0;
                    steps += t.steps();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                nir = k == 0 ? nir : Math.min(nir, s);
            }
        }
        double engine = Double.MAX_VALUE;
        int engineAgree = 0;
        for (int k = 0; k <= repeat; k++) {
            io.myelin.models.delay.EngineAgreement.Result a = io.myelin.models.delay.EngineAgreement.check(m, set,
                    eval.predictions());
            engine = k == 0 ? engine : Math.min(engine, a.seconds());
            engineAgree = a.agreeing();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("network", "delay SNN " + model.getFileName() + " exported to NIR (" + g.nodes().size() + " nodes)");
        out.put("samples", set.size());
        out.put("steps", steps);
        out.put("nir_runner_s", nir);
        out.put("nir_agrees_with_eval", agree);
        out.put("clock_engine_s", engine);
        out.put("engine_agrees_with_eval", engineAgree);
        return out;
    }

    private Map<String, Object> conv() {
        NirBenchNetworks.Weights w = NirBenchNetworks.Weights.draw(7);
        NirGraph g = NirBenchNetworks.convGraph(w);
        NpyArray x = NirBenchNetworks.randomSpikes(steps, NirBenchNetworks.C * NirBenchNetworks.H * NirBenchNetworks.W,
                0.05, 11);
        double nir = Double.MAX_VALUE, engine = Double.MAX_VALUE;
        long nirSpikes1 = 0, nirSpikes2 = 0, ops = 0;
        try (NirRunner r = NirRunner.compile(g, NirBenchNetworks.DT, Integration.EULER, threads)) {
            for (int k = 0; k <= repeat; k++) {
                long t0 = System.nanoTime();
                r.run(x, java.util.List.of());
                double s = (System.nanoTime() - t0) / 1e9;
                nir = k == 0 ? nir : Math.min(nir, s);
            }
            for (NirActivity.Node n : r.activity().nodes()) {
                if (n.key().equals("lif1")) {
                    nirSpikes1 = n.spikes();
                }
                if (n.key().equals("lif2")) {
                    nirSpikes2 = n.spikes();
                }
                ops += n.acs() + n.macs();
            }
        }
        long t0 = System.nanoTime();
        NetworkSpec es = NirBenchNetworks.convSpec(w, x);
        double build = (System.nanoTime() - t0) / 1e9;
        long engSpikes1 = 0, engSpikes2 = 0;
        long synapses = 0;
        for (int k = 0; k <= repeat; k++) {
            try (Simulator sim = Simulator.create(es)) {
                SpikeMonitor m1 = sim.recordSpikes("lif1"), m2 = sim.recordSpikes("lif2");
                long t1 = System.nanoTime();
                sim.runSteps(steps + 3);
                double s = (System.nanoTime() - t1) / 1e9;
                engine = k == 0 ? engine : Math.min(engine, s);
                engSpikes1 = java.util.Arrays.stream(m1.steps()).filter(st -> st - 1 < steps).count();
                engSpikes2 = java.util.Arrays.stream(m2.steps()).filter(st -> st - 2 < steps).count();
                synapses = sim.network().synapseCount();
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", "conv SNN 2x128x128 -> conv3x3 -> LIF 4x128x128 -> sumpool2 -> conv3x3 -> LIF 8x64x64 -> "
                + "linear -> LI 10");
        m.put("neurons", 65536 + 32768 + 10);
        m.put("engine_synapses", synapses);
        m.put("steps", steps);
        m.put("nir_runner_s", nir);
        m.put("nir_runner_threads", threads);
        m.put("engine_s", engine);
        m.put("engine_build_spec_s", build);
        m.put("nir_spikes", new long[] {nirSpikes1, nirSpikes2});
        m.put("engine_spikes", new long[] {engSpikes1, engSpikes2});
        m.put("nir_synaptic_ops", ops);
        return m;
    }
}
