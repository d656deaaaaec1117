package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.backend.Backend;
import io.myelin.core.backend.BackendOptions;
import io.myelin.core.backend.Backends;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.EngineActivity;
import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.engine.Simulator;
import io.myelin.core.json.Json;
import io.myelin.core.model.CubaNetwork;
import io.myelin.core.monitor.OperationCounts;
import io.myelin.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code myelin bench cuba}: the Vogels–Abbott CUBA network as in Brian2's example (see {@link CubaNetwork}),
 * timed like {@code shared/bench/brian2_cuba.py}: build time apart, wall time of the simulation loop only.
 */
@Command(name = "cuba", mixinStandardHelpOptions = true,
        description = "Simulate the CUBA benchmark network and print one JSON line with timings.")
public final class BenchCubaCommand implements Callable<Integer> {
    /** Least wall time of warm-up runs (ns). */
    private static final long WARMUP_WALL_NS = 500_000_000L;

    @Mixin
    BackendChoice backendChoice;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--neurons", defaultValue = "4000", description = "network size N (default ${DEFAULT-VALUE})")
    int neurons;

    @Option(names = "--duration", defaultValue = "1.0", description = "biological time in seconds (default ${DEFAULT-VALUE})")
    double durationS;

    @Option(names = "--warmup", defaultValue = "1.0",
            description = "seconds of biological time simulated (and discarded) before timing, repeated until at least "
                    + "half a second of wall time has passed, so that the JIT has compiled the loop, as Brian2's runtime "
                    + "mode warms up (default ${DEFAULT-VALUE}; 0: none)")
    double warmupS;

    @Option(names = "--repeats", defaultValue = "3",
            description = "timed runs of --duration each, from the initial state; wall_s is their median, so that one run "
                    + "slowed by the machine or the JIT does not decide the figure (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--json", description = "print only the JSON line (default prints it too)")
    boolean json;

    @Option(names = "--verify", description = "after timing, run the same network again on the chosen backend and on the "
            + "Java reference (with --threads) and report whether every step's spikes and the final membranes are identical")
    boolean verify;

    @Option(names = "--report", description = "also record the spike raster of the first second during the timed run and "
            + "write report.json/report.html into this directory (report_s: time to build and write it)")
    java.nio.file.Path report;

    @Option(names = "--report-raster-ms", defaultValue = "1000",
            description = "with --report: ms of spikes recorded for the raster, 0 for counts only (default ${DEFAULT-VALUE})")
    double reportRasterMs;

    @Override
    public Integer call() throws Exception {
        if (neurons < 10) {
            throw new InvalidInputException("--neurons must be >= 10, got " + neurons);
        }
        if (!(durationS > 0) || !(warmupS >= 0)) {
            throw new InvalidInputException("--duration must be > 0 and --warmup >= 0");
        }
        if (repeats < 1) {
            throw new InvalidInputException("--repeats must be >= 1, got " + repeats);
        }
        long t0 = System.nanoTime();
        io.myelin.core.model.NetworkSpec cuba = CubaNetwork.spec(neurons, seedOption.seed);
        io.myelin.core.engine.NetworkMemory.check(cuba, "CUBA with " + neurons + " neurons");
        CompiledNetwork net = CompiledNetwork.compile(cuba);
        Backend b = backendChoice.select();
        double buildS = (System.nanoTime() - t0) / 1e9;
        long warmSteps = Math.round(warmupS * 1000 / net.dtMs);
        long steps = Math.round(durationS * 1000 / net.dtMs);
        try (Simulator sim = new Simulator(net, b)) {
            if (warmSteps > 0) {
                // Warm the JIT on throwaway runs of the same network, then start the timed run from the initial state.
                // A second of a small network takes milliseconds, less than C2 needs to compile the step.
                long until = System.nanoTime() + WARMUP_WALL_NS;
                do {
                    sim.runSteps(warmSteps);
                    sim.reset();
                } while (System.nanoTime() < until);
            }
            // The runs before the last are timed only; the last one is also recorded (--report) and counted.
            double[] runs = new double[repeats];
            for (int r = 0; r < repeats - 1; r++) {
                long t1 = System.nanoTime();
                sim.runSteps(steps);
                runs[r] = (System.nanoTime() - t1) / 1e9;
                sim.reset();
            }
            EngineActivity activity = report == null ? null
                    : EngineActivity.attach(sim, Math.round(reportRasterMs / net.dtMs), ReportCommand.MAX_RASTER_SPIKES);
            long cpu0 = processCpuNanos();
            long t1 = System.nanoTime();
            if (activity != null) {
                activity.runSteps(steps);
            } else {
                sim.runSteps(steps);
            }
            runs[repeats - 1] = (System.nanoTime() - t1) / 1e9;
            long cpu1 = processCpuNanos();
            double[] sorted = runs.clone();
            java.util.Arrays.sort(sorted);
            double wallS = repeats % 2 == 1 ? sorted[repeats / 2] : (sorted[repeats / 2 - 1] + sorted[repeats / 2]) / 2;
            OperationCounts oc = sim.operationCounts();
            double reportS = 0;
            if (activity != null) {
                long t2 = System.nanoTime();
                EnergyReport r = EnergyReport.build(EnergyReport.Source.now("engine", "bench cuba N=" + neurons,
                                durationS + " s on " + b.name() + " backend"), EnergyModel.default45nm(), net.dtMs,
                        activity.layers(), EngineActivity.modelSize(net), null, null, activity.rasters());
                java.nio.file.Files.createDirectories(report);
                r.write(report.resolve("report.json"));
                HtmlReport.write(r, report.resolve("report.html"));
                reportS = (System.nanoTime() - t2) / 1e9;
            }
            ObjectNode out = Json.object();
            out.put("bench", "cuba");
            out.put("backend", b.name());
            out.put("device", b.device());
            out.put("threads", backendChoice.threads);
            out.put("neurons", neurons);
            out.put("synapses", net.synapseCount());
            out.put("duration_s", durationS);
            out.put("spikes", oc.totalSpikes());
            out.put("rate_hz", oc.totalSpikes() / (double) neurons / durationS);
            out.put("synaptic_events", oc.totalSynapticEvents());
            out.put("build_s", round(buildS));
            out.put("wall_s", round(wallS));
            out.put("wall_per_bio_s", round(wallS / durationS));
            com.fasterxml.jackson.databind.node.ArrayNode each = out.putArray("wall_runs_s");
            for (double w : runs) {
                each.add(round(w));
            }
            out.put("events_per_s", Math.round(oc.totalSynapticEvents() / wallS));
            if (cpu0 >= 0 && cpu1 >= 0) {
                // CPU seconds of the whole process over the last timed run: on a busy machine wall time counts the time
                // other programs held the cores, CPU time does not (it does count the threads' spinning).
                out.put("cpu_s", round((cpu1 - cpu0) / 1e9));
            }
            out.put("seed", seedOption.seed);
            if (activity != null) {
                out.put("report_s", round(reportS));
            }
            if (verify) {
                sim.reset();
                SpikeTrace device = SpikeTrace.record(sim, steps);
                try (Simulator ref = new Simulator(net, Backends.select("java", new BackendOptions(backendChoice.threads, null)))) {
                    SpikeTrace java = SpikeTrace.record(ref, steps);
                    int step = device.firstDifference(java);
                    out.put("verify_identical_spikes", step < 0);
                    out.put("verify_first_different_step", step);
                    out.put("verify_reference_spikes", java.total());
                    out.put("verify_membranes_differing", device.membranesDiffering(java));
                }
            }
            System.out.println(out);
        }
        return 0;
    }

    /** Per step: the number of spikes and a hash of their indices; at the end: every membrane potential. */
    private record SpikeTrace(int[] counts, long[] hashes, float[] v) {
        static SpikeTrace record(Simulator sim, long steps) {
            int[] counts = new int[(int) steps];
            long[] hashes = new long[(int) steps];
            long start = sim.currentStep();
            sim.addSpikeListener((step, spikes, n) -> {
                long h = 1;
                for (int k = 0; k < n; k++) {
                    h = h * 1_000_003 + spikes[k];
                }
                counts[(int) (step - start)] = n;
                hashes[(int) (step - start)] = h;
            });
            sim.runSteps(steps);
            int n = sim.network().neuronCount;
            int[] all = new int[n];
            java.util.Arrays.setAll(all, i -> i);
            float[] v = new float[n];
            sim.backend().readState(all, v, null, null);
            return new SpikeTrace(counts, hashes, v);
        }

        int firstDifference(SpikeTrace o) {
            for (int t = 0; t < counts.length; t++) {
                if (counts[t] != o.counts[t] || hashes[t] != o.hashes[t]) {
                    return t;
                }
            }
            return -1;
        }

        long total() {
            long s = 0;
            for (int c : counts) {
                s += c;
            }
            return s;
        }

        int membranesDiffering(SpikeTrace o) {
            int d = 0;
            for (int i = 0; i < v.length; i++) {
                d += Float.floatToRawIntBits(v[i]) != Float.floatToRawIntBits(o.v[i]) ? 1 : 0;
            }
            return d;
        }
    }

    /** CPU time of this JVM (all threads, ns), or -1 where the platform does not say. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
