package io.myelin.models.delay;

import io.myelin.core.data.BinnedSample;
import io.myelin.core.energy.EngineActivity;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.engine.Engine;
import io.myelin.core.engine.Engines;
import io.myelin.core.inference.PolicyRun;
import io.myelin.core.inference.StoppingPolicy;
import io.myelin.core.monitor.StateMonitor;
import io.myelin.models.data.BinnedSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The exported delay SNN ({@link EngineExport}) in an engine under a stopping policy: each sample's network is
 * stepped one engine step at a time; from engine step L on (L synaptic layers: model readout step t is engine step
 * t + L) the readout's potentials after the step are offered to the policy, and the engine stops as soon as it
 * fires. The engine's own counters then cover only the steps run, so spikes, synaptic events and membrane updates
 * of the steps not run are neither simulated nor counted.
 */
public final class EngineEarlyExit {
    private EngineEarlyExit() {
    }

    /**
     * @param engine         the engine's name
     * @param exitSteps      readout steps each sample ran
     * @param predictions    prediction at exit
     * @param layers         the engine's activity up to each exit, summed over samples (sources, then populations)
     * @param engineSteps    engine steps run, summed
     * @param seconds        wall time of the whole pass (network construction and compilation included)
     * @param runSeconds     wall time of the stepping loops alone
     */
    public record Result(String engine, int[] exitSteps, int[] predictions, List<LayerActivity> layers,
                         long engineSteps, double seconds, double runSeconds) {
    }

    /** Runs every sample of {@code data} through the exported network on {@code engine} under {@code policy}. */
    public static Result run(DelaySnn model, BinnedSet data, StoppingPolicy policy, String engine) {
        return run(model, data, policy, engine, data.size());
    }

    /** As {@link #run(DelaySnn, BinnedSet, StoppingPolicy, String)} on the first {@code samples} samples only. */
    public static Result run(DelaySnn model, BinnedSet data, StoppingPolicy policy, String engine, int samples) {
        Engines.checkName(engine);
        long t0 = System.nanoTime();
        EngineExport export = new EngineExport(model);
        double frameMs = model.config().data().frameMs();
        int n = Math.min(samples, data.size()), classes = model.classes(), shift = model.synapses().size();
        int[] all = new int[classes];
        for (int c = 0; c < classes; c++) {
            all[c] = c;
        }
        int[] exit = new int[n], pred = new int[n];
        float[] v = new float[classes];
        List<LayerActivity> sum = null;
        long engineSteps = 0, runNanos = 0;
        for (int i = 0; i < n; i++) {
            BinnedSample s = data.sample(i);
            int frames = Math.max(1, s.frames());
            int valid = model.outputSteps(frames);
            PolicyRun run = policy.start(classes);
            try (Engine sim = Engines.create(export.specFor(EngineExport.inputOf(s, data.channels(), frameMs), frames),
                    engine)) {
                StateMonitor readout = sim.recordState(EngineExport.READOUT, all, 1);
                long r0 = System.nanoTime();
                for (int k = 0; k < valid + shift; k++) {
                    sim.step();
                    if (k >= shift) {
                        readout.lastV(v);
                        if (run.offer(v, 0)) {
                            break;
                        }
                    }
                }
                runNanos += System.nanoTime() - r0;
                engineSteps += sim.currentStep();
                sum = add(sum, EngineActivity.layers(sim.network(), sim.operationCounts()));
            }
            exit[i] = run.steps();
            pred[i] = run.prediction();
        }
        return new Result(engine, exit, pred, sum == null ? List.of() : withSamples(sum, n), engineSteps,
                (System.nanoTime() - t0) / 1e9, runNanos / 1e9);
    }

    /** Layer-by-layer sums of one more sample's counts. */
    private static List<LayerActivity> add(List<LayerActivity> sum, List<LayerActivity> one) {
        if (sum == null) {
            return one;
        }
        List<LayerActivity> out = new ArrayList<>(sum.size());
        for (int k = 0; k < sum.size(); k++) {
            LayerActivity a = sum.get(k), b = one.get(k);
            out.add(new LayerActivity(a.name(), a.kind(), a.neurons(), a.timeSteps() + b.timeSteps(), 1,
                    a.spikes() + b.spikes(), a.acs() + b.acs(), a.macs() + b.macs(),
                    a.neuronUpdates() + b.neuronUpdates(), a.synapses(), a.annMacs() + b.annMacs(), a.weightBits(),
                    a.inputBits()));
        }
        return out;
    }

    /** The sums as counts over {@code n} samples (time steps: the mean per sample). */
    private static List<LayerActivity> withSamples(List<LayerActivity> sum, int n) {
        List<LayerActivity> out = new ArrayList<>(sum.size());
        for (LayerActivity a : sum) {
            out.add(new LayerActivity(a.name(), a.kind(), a.neurons(), Math.round((double) a.timeSteps() / n), n,
                    a.spikes(), a.acs(), a.macs(), a.neuronUpdates(), a.synapses(), a.annMacs(), a.weightBits(),
                    a.inputBits()));
        }
        return out;
    }
}
