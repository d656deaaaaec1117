package io.myelin.examples.cli;

import io.myelin.core.InvalidInputException;
import io.myelin.core.engine.event.BinaryHeapEventQueue;
import io.myelin.core.engine.event.CalendarEventQueue;
import io.myelin.core.engine.event.EventQueue;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.SourceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code myelin bench event}: the exact event-driven engine (heap and calendar queues) against the clock-driven
 * engine on the same spec, and the two queues alone under the classic "hold" workload. One JSON line per run.
 */
@Command(name = "event", mixinStandardHelpOptions = true,
        description = "Event-driven vs clock-driven engine: wall time and events/s (one JSON line per run).")
public final class BenchEventCommand implements Callable<Integer> {
    @Mixin
    SeedOption seedOption;

    @Option(names = "--network", defaultValue = "cuba",
            description = "cuba (delta-synapse CUBA), cuba-delays (same, delays U(0.1,5) ms), sparse (SHD-like "
                    + "700-256-256) or queue (queues alone). Default: ${DEFAULT-VALUE}.")
    String network;

    @Option(names = "--n", defaultValue = "4000", description = "CUBA size, or events pending for --network queue. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--duration-ms", defaultValue = "1000", description = "Biological time per run (ms). Default: ${DEFAULT-VALUE}.")
    double durationMs;

    @Option(names = "--dt", split = ",", defaultValue = "0.1",
            description = "Clock-engine time step(s) in ms, comma separated (sparse network). Default: ${DEFAULT-VALUE}.")
    double[] dts;

    @Option(names = "--shd", description = "SHD/SSC HDF5 file: drive the sparse network with a real sample instead of the synthetic one.")
    java.nio.file.Path shd;

    @Option(names = "--sample", defaultValue = "0", description = "Sample index in --shd. Default: ${DEFAULT-VALUE}.")
    int sample;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed runs per engine (best is reported). Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Override
    public Integer call() {
        if (repeats < 1 || !(durationMs > 0)) {
            throw new InvalidInputException("--repeats must be >= 1 and --duration-ms > 0");
        }
        switch (network) {
            case "cuba", "cuba-delays" -> {
                NetworkSpec spec = BenchNetworks.deltaCuba(n, seedOption.seed, network.equals("cuba-delays"));
                compare(spec, network + " n=" + n, new double[]{spec.dtMs()});
            }
            case "sparse" -> {
                SourceSpec.SpikeTimes input;
                String label;
                if (shd != null) {
                    var ds = io.myelin.core.data.Hdf5SpikeDataset.open(shd);
                    if (sample < 0 || sample >= ds.size()) {
                        throw new InvalidInputException("--sample " + sample + " is outside 0.." + (ds.size() - 1) + " of " + shd);
                    }
                    input = io.myelin.core.data.DatasetSpikeSource.of(ds, sample, "input");
                    label = "sparse 700-256-256, " + shd.getFileName() + " sample " + sample;
                } else {
                    input = BenchNetworks.shdLikeSample(seedOption.seed, durationMs);
                    label = "sparse 700-256-256, synthetic sample";
                }
                System.err.println(label + ": " + input.neurons().length + " spikes on 700 channels");
                compare(BenchNetworks.sparseInput(input, seedOption.seed, dts[0]), label, dts);
            }
            case "queue" -> benchQueues();
            default -> throw new InvalidInputException("--network must be cuba, cuba-delays, sparse or queue, got '" + network + "'");
        }
        return 0;
    }

    private void compare(NetworkSpec spec, String label, double[] clockDts) {
        for (String queue : new String[]{"heap", "calendar"}) {
            report(label, best(spec, "event", queue));
        }
        for (double dt : clockDts) {
            NetworkSpec s = dt == spec.dtMs() ? spec
                    : new NetworkSpec(dt, spec.seed(), spec.populations(), spec.sources(), spec.projections()).validate();
            report(label, best(s, "clock", "heap"));
        }
    }

    private SimulationRun best(NetworkSpec spec, String engine, String queue) {
        SimulationRun.run(spec, engine, BackendChoice.java(), queue, Math.min(durationMs, 200), false); // JIT warm-up
        SimulationRun best = null;
        for (int r = 0; r < repeats; r++) {
            SimulationRun run = SimulationRun.run(spec, engine, BackendChoice.java(), queue, durationMs, false);
            if (best == null || run.runSeconds() < best.runSeconds()) {
                best = run;
            }
        }
        return best;
    }

    private void report(String label, SimulationRun run) {
        System.out.println(String.format(Locale.ROOT,
                "{\"bench\":\"event\",\"network\":\"%s\",\"engine\":\"%s\",\"detail\":\"%s\",\"durationMs\":%.1f,"
                        + "\"runSeconds\":%.4f,\"compileSeconds\":%.3f,\"spikes\":%d,\"synapticEvents\":%d,\"queueEvents\":%d,"
                        + "\"neuronUpdates\":%d,\"eventsPerSecond\":%.4g}",
                label, run.engine(), run.engineDetail(), durationMs, run.runSeconds(), run.compileSeconds(),
                run.counts().totalSpikes(), run.counts().totalSynapticEvents(), run.queueEvents(),
                run.counts().neuronUpdates(), run.eventsPerSecond()));
    }

    /**
     * The hold model: {@code n} events pending; each operation pops the earliest and pushes one at that time plus a
     * delay drawn from U(1, 25) ms. The calendar's buckets are sized to hold about two events each.
     */
    private void benchQueues() {
        double meanDelay = 13;
        for (int size : new int[]{n / 10, n, n * 10}) {
            if (size < 1) {
                continue;
            }
            double width = 2 * meanDelay / size;
            for (int variant = 0; variant < 2; variant++) {
                double bestNs = Double.MAX_VALUE;
                String name = null;
                for (int r = 0; r < repeats + 1; r++) {
                    EventQueue q = variant == 0 ? new BinaryHeapEventQueue(size) : new CalendarEventQueue(width, 25);
                    name = q.name();
                    double ns = hold(q, size, 2_000_000);
                    if (r > 0) {
                        bestNs = Math.min(bestNs, ns);
                    }
                }
                System.out.println(String.format(Locale.ROOT,
                        "{\"bench\":\"event-queue\",\"queue\":\"%s\",\"pending\":%d,\"nsPerHold\":%.1f}", name, size, bestNs));
            }
        }
    }

    private static double hold(EventQueue q, int size, int ops) {
        SplittableRandom rng = new SplittableRandom(7);
        for (int k = 0; k < size; k++) {
            q.push(1 + 24 * rng.nextDouble(), k);
        }
        long t0 = System.nanoTime();
        long sink = 0;
        for (int k = 0; k < ops; k++) {
            q.pop();
            sink += q.poppedPayload();
            q.push(q.poppedTime() + 1 + 24 * rng.nextDouble(), k);
        }
        long t1 = System.nanoTime();
        if (sink == 42) {
            System.err.print("");
        }
        return (t1 - t0) / (double) ops;
    }
}
