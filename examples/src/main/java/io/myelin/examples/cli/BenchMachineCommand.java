package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;
import io.myelin.examples.machine.ScalingCeiling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code myelin bench machine}: the machine's ceiling on thread scaling, a register-bound and a memory-bound load
 * ({@link ScalingCeiling}), to read the thread-scaling figures of {@code bench train} and {@code bench cuba} against.
 * One JSON line.
 */
@Command(name = "machine", mixinStandardHelpOptions = true,
        description = "The machine's own thread scaling: a register-bound and a memory-bound load on 1 and N threads"
                + " (one JSON line). Workloads cannot scale better than the register-bound load in the same minutes.")
public final class BenchMachineCommand implements Callable<Integer> {
    /** Iterations of the register-bound load per thread at --work 1 (about 0.2 s per core). */
    private static final long REGISTER_ITERATIONS = 150_000_000L;
    /** Floats per thread of the memory-bound load (64 MiB, past a server's last-level cache share). */
    private static final int STREAM_FLOATS = 16 << 20;

    @Option(names = "--threads", description = "Threads of the parallel runs. Default: the available cores.")
    Integer threads;

    @Option(names = "--rounds", defaultValue = "5",
            description = "Rounds, each one thread then all threads. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--work", defaultValue = "1",
            description = "Scales the work per measurement (1: about 0.2 s per load and thread count). Default: ${DEFAULT-VALUE}.")
    double work;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int cores = Runtime.getRuntime().availableProcessors();
        int n = threads == null ? cores : threads;
        if (n < 1 || rounds < 1 || !(work > 0) || work > 1000) {
            throw new InvalidInputException("--threads and --rounds must be >= 1 and --work in (0, 1000], got "
                    + n + ", " + rounds + ", " + work);
        }
        ThreadCount.warnAboveCores(n, spec.commandLine().getErr());
        // the buffers share the heap: at most a third of it, however many threads
        long heapFloats = Runtime.getRuntime().maxMemory() / Float.BYTES / 3 / n;
        int floats = (int) Math.max(1 << 16, Math.min(STREAM_FLOATS, heapFloats));
        int passes = (int) Math.max(1, Math.round(60 * work * STREAM_FLOATS / (double) floats));
        ScalingCeiling.Result register = ScalingCeiling.registerBound(n, rounds,
                Math.max(1000, Math.round(REGISTER_ITERATIONS * work)));
        ScalingCeiling.Result memory = ScalingCeiling.memoryBound(n, rounds, floats, passes);
        ObjectNode o = Json.object();
        o.put("bench", "machine");
        o.put("threads", n);
        o.put("cores", cores);
        put(o, "register", register);
        put(o, "memory", memory);
        o.put("stream_mib_per_thread", floats * (double) Float.BYTES / (1 << 20));
        spec.commandLine().getOut().println(o);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static void put(ObjectNode o, String key, ScalingCeiling.Result r) {
        ObjectNode n = o.putObject(key);
        n.put("load", r.load());
        array(n.putArray("one_thread_s"), r.oneThreadS(), 1e6);
        array(n.putArray("all_threads_s"), r.allThreadsS(), 1e6);
        double[] s = r.scaling();
        array(n.putArray("scaling"), s, 1e4);
        n.put("scaling_min", java.util.Arrays.stream(s).min().orElse(Double.NaN));
        n.put("scaling_median", median(s));
    }

    private static void array(ArrayNode a, double[] v, double resolution) {
        for (double x : v) {
            a.add(Math.round(x * resolution) / resolution);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
