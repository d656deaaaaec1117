package io.myelin.examples.cli;

import io.myelin.core.model.CubaNetwork;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.LifParameters;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.model.SourceSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Networks for the event-driven benchmarks. */
final class BenchNetworks {
    private BenchNetworks() {
    }

    /**
     * CUBA (Vogels–Abbott, {@link CubaNetwork}) with delta synapses. An exponential current of amplitude w and time
     * constant tau_s injects the same charge as a delta jump of {@code w·tau_s/tau_m}, so the weights are rescaled by
     * that factor to keep the mean drive (and the asynchronous irregular regime): 1.62 mV &rarr; 0.405 mV excitatory,
     * -9 mV &rarr; -4.5 mV inhibitory. {@code uniformDelays} replaces the one-step delay by U(0.1, 5) ms.
     */
    static NetworkSpec deltaCuba(int n, long seed, boolean uniformDelays) {
        LifParameters exp = CubaNetwork.neuron();
        LifParameters delta = new LifParameters(exp.tauMs(), exp.vRestMv(), exp.vResetMv(), exp.vThresholdMv(),
                exp.refractoryMs(), 0, 0);
        NetworkSpec base = CubaNetwork.spec(n, seed, delta);
        List<ProjectionSpec> projections = new ArrayList<>();
        for (ProjectionSpec p : base.projections()) {
            boolean exc = p.pre().equals("exc");
            double w = exc ? CubaNetwork.W_EXC_MV * exp.tauExcMs() / exp.tauMs() : CubaNetwork.W_INH_MV * exp.tauInhMs() / exp.tauMs();
            Distribution delay = uniformDelays ? Distribution.uniform(0.1, 5) : p.delayMs();
            projections.add(new ProjectionSpec(p.name(), p.pre(), p.post(), p.connectivity(), Distribution.constant(w),
                    delay, p.receptor()));
        }
        return new NetworkSpec(base.dtMs(), base.seed(), base.populations(), base.sources(), projections).validate();
    }

    /**
     * A synthetic spoken-digit-like sample: 700 cochlear channels over {@code durationMs}, three formant-like bands
     * sweeping across channels (inhomogeneous Poisson, 60 Hz peak, Gaussian profile of 15 channels) between 5% and
     * 85% of the duration, plus 0.3 Hz background — about 10 spikes per channel, like an SHD sample.
     */
    static SourceSpec.SpikeTimes shdLikeSample(long seed, double durationMs) {
        SplittableRandom rng = new SplittableRandom(seed);
        int channels = 700;
        double dtGrid = 0.5; // thinning grid (ms)
        double[] start = new double[3], end = new double[3];
        for (int f = 0; f < 3; f++) {
            start[f] = 80 + 180 * f + rng.nextDouble() * 60;
            end[f] = start[f] + (rng.nextDouble() - 0.5) * 200;
        }
        List<double[]> spikes = new ArrayList<>();
        for (double t = 0; t < durationMs; t += dtGrid) {
            double phase = t / durationMs;
            boolean voiced = phase > 0.05 && phase < 0.85;
            for (int c = 0; c < channels; c++) {
                double rate = 0.3;
                if (voiced) {
                    for (int f = 0; f < 3; f++) {
                        double centre = start[f] + (end[f] - start[f]) * (phase - 0.05) / 0.8;
                        double z = (c - centre) / 15.0;
                        rate += 60 * Math.exp(-0.5 * z * z);
                    }
                }
                if (rng.nextDouble() < rate * dtGrid / 1000) {
                    spikes.add(new double[]{c, t + rng.nextDouble() * dtGrid});
                }
            }
        }
        int[] neurons = new int[spikes.size()];
        double[] times = new double[spikes.size()];
        for (int k = 0; k < neurons.length; k++) {
            neurons[k] = (int) spikes.get(k)[0];
            times[k] = spikes.get(k)[1];
        }
        return new SourceSpec.SpikeTimes("input", channels, neurons, times);
    }

    /**
     * 700 input channels &rarr; 256 &rarr; 256 delta-synapse LIF neurons, all-to-all, Gaussian weights and real-valued
     * delays uniform in [1, 25] ms (a DCLS-style delay network). {@code dtMs} only matters to the clock engine.
     */
    static NetworkSpec sparseInput(SourceSpec.SpikeTimes sample, long seed, double dtMs) {
        LifParameters lif = LifParameters.builder().tauMs(20).vRestMv(-65).vResetMv(-65).vThresholdMv(-55)
                .refractoryMs(1).build();
        return NetworkSpec.builder().dtMs(dtMs).seed(seed)
                .population("h1", 256, lif, Distribution.constant(-65))
                .population("h2", 256, lif, Distribution.constant(-65))
                .source(sample)
                .projection(ProjectionSpec.from("input").to("h1").allToAll().weight(Distribution.normal(0.02, 0.5))
                        .delayMs(Distribution.uniform(1, 25)))
                .projection(ProjectionSpec.from("h1").to("h2").allToAll().weight(Distribution.normal(0.0, 1.0))
                        .delayMs(Distribution.uniform(1, 25)))
                .build();
    }

}
