package io.myelin.core.engine;

import io.myelin.core.MemoryBudget;
import io.myelin.core.model.Connectivity;
import io.myelin.core.model.Distribution;
import io.myelin.core.model.NetworkSpec;
import io.myelin.core.model.PopulationSpec;
import io.myelin.core.model.ProjectionSpec;
import io.myelin.core.model.SourceSpec;

import java.util.HashMap;
import java.util.Map;

/**
 * The heap a network will take on an engine, estimated from its spec before anything is built, so that a spec too
 * large for the machine is refused in one line rather than after minutes of compiling. The estimate follows the flat
 * layouts of {@link CompiledNetwork} and the Java backend:
 * <ul>
 *   <li>per synapse 29 bytes held (target 4, receptor 1, weight 4, fixed-point weight 4, delay in steps 4, delay in
 *   ms 8, the backend's input index 4) plus about 19 bytes of builder arrays while compiling: 48 bytes;</li>
 *   <li>per neuron or source 64 bytes (membrane, currents, parameters' indices, bias, initial potential, buffers);</li>
 *   <li>the delay ring: 2 receptors x 4 bytes x neurons per slot, one slot per step of the longest delay.</li>
 * </ul>
 * Expected synapse counts: all-to-all {@code pre x post}, fixed probability {@code p x pre x post}, fixed in-degree
 * {@code k x post}, one-to-one {@code post}, explicit lists their length. {@code NetworkMemoryTest} checks the estimate
 * against the heap a compiled network really takes.
 */
public final class NetworkMemory {
    static final long BYTES_PER_SYNAPSE = 48;
    static final long BYTES_PER_NEURON = 64;

    private NetworkMemory() {
    }

    /** The expected synapses of {@code spec}. */
    public static double expectedSynapses(NetworkSpec spec) {
        Map<String, Integer> sizes = sizes(spec);
        double total = 0;
        for (ProjectionSpec p : spec.projections()) {
            double pre = sizes.getOrDefault(p.pre(), 0), post = sizes.getOrDefault(p.post(), 0);
            Connectivity c = p.connectivity();
            if (c instanceof Connectivity.AllToAll) {
                total += pre * post;
            } else if (c instanceof Connectivity.FixedProbability f) {
                total += f.p() * pre * post;
            } else if (c instanceof Connectivity.FixedInDegree f) {
                total += (double) f.k() * post;
            } else if (c instanceof Connectivity.OneToOne) {
                total += post;
            } else if (c instanceof Connectivity.Explicit e) {
                total += e.pre().length;
            }
        }
        return total;
    }

    /** Estimated heap of {@code spec} compiled and on the Java backend, bytes. */
    public static long estimateBytes(NetworkSpec spec) {
        Map<String, Integer> sizes = sizes(spec);
        double neurons = 0;
        for (int s : sizes.values()) {
            neurons += s;
        }
        double maxDelayMs = spec.dtMs();
        for (ProjectionSpec p : spec.projections()) {
            if (p.delayMs() != null) {
                maxDelayMs = Math.max(maxDelayMs, upper(p.delayMs()));
            }
            if (p.connectivity() instanceof Connectivity.Explicit e && e.delaysMs() != null) {
                for (float d : e.delaysMs()) {
                    maxDelayMs = Math.max(maxDelayMs, d);
                }
            }
        }
        double slots = Math.ceil(maxDelayMs / spec.dtMs()) + 1;
        double bytes = expectedSynapses(spec) * BYTES_PER_SYNAPSE + neurons * BYTES_PER_NEURON + slots * neurons * 8;
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    /**
     * Refuses a spec whose estimate exceeds the {@link MemoryBudget}, before it is compiled.
     *
     * @param what names the spec ("network spec F")
     */
    public static void check(NetworkSpec spec, String what) {
        long bytes = estimateBytes(spec);
        MemoryBudget.check(bytes, what + " (" + Math.round(expectedSynapses(spec)) + " synapses expected, "
                + sizes(spec).values().stream().mapToLong(Integer::longValue).sum() + " neurons and sources)");
    }

    private static double upper(Distribution d) {
        if (d instanceof Distribution.Normal n) {
            return n.mean() + 5 * Math.abs(n.sd());
        }
        double u = d.upperBound();
        return Double.isFinite(u) ? u : 0;
    }

    private static Map<String, Integer> sizes(NetworkSpec spec) {
        Map<String, Integer> sizes = new HashMap<>();
        for (PopulationSpec p : spec.populations()) {
            sizes.put(p.name(), p.size());
        }
        for (SourceSpec s : spec.sources()) {
            sizes.put(s.name(), s.size());
        }
        return sizes;
    }
}
