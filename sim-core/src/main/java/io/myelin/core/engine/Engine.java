package io.myelin.core.engine;

import io.myelin.core.monitor.OperationCounts;
import io.myelin.core.monitor.RateMonitor;
import io.myelin.core.monitor.SpikeListener;
import io.myelin.core.monitor.SpikeMonitor;
import io.myelin.core.monitor.StateMonitor;

import java.util.Map;

/**
 * One compiled network running on one engine (as in Brian2: one network description, many devices). The clock-driven
 * {@link Simulator} and the exact {@link EventDrivenSimulator} both implement it, take the same monitors and count
 * the same operations, so code that runs a network never needs to know which engine it holds; {@link Engines}
 * creates one by name.
 *
 * <p>Time advances in whole steps of {@code dt} ({@link #runSteps(long)}, {@link #step()}) or by a duration in ms
 * ({@link #run(double)}). Running in pieces gives exactly the run in one piece, and monitors hold everything up to
 * the last completed step, so an inference loop can run one step, read its monitors, and stop early: the
 * {@link #operationCounts()} then cover only the steps actually run.
 *
 * <pre>{@code
 * try (Engine engine = Engines.create(spec, "event")) {
 *     SpikeMonitor spikes = engine.recordSpikes("exc");
 *     engine.run(1000.0);                       // ms
 *     System.out.println(spikes.count() + " spikes, " + engine.operationCounts().totalSynapticEvents() + " events");
 * }
 * }</pre>
 */
public interface Engine extends AutoCloseable {

    /** The engine's name as {@link Engines#create} takes it: "clock" or "event". */
    String name();

    /** What runs the network, for logs and summaries (the backend's device, or the queue and time model). */
    String description();

    /** The network being simulated. */
    CompiledNetwork network();

    /** Records every spike of a population or source. */
    default SpikeMonitor recordSpikes(String group) {
        return recordSpikes(group, null);
    }

    /** Records the spikes of some neurons (local indices) of a population or source; null for all. */
    SpikeMonitor recordSpikes(String group, int[] subset);

    /** Records the population rate of a population or source per step of {@code dt}. */
    RateMonitor recordRate(String group);

    /**
     * Records V and synaptic currents of some neurons (local indices) of a population every {@code everySteps}
     * steps, sampled after the step's update (the state at {@code (step + 1) * dt}).
     */
    StateMonitor recordState(String population, int[] neurons, int everySteps);

    /** Adds a listener called with the spikes of every completed step (global indices). */
    void addSpikeListener(SpikeListener listener);

    /** Removes a listener added before. */
    void removeSpikeListener(SpikeListener listener);

    /** Advances by {@code durationMs}. The clock engine rounds it to whole steps; so does the event engine's discrete mode. */
    void run(double durationMs);

    /** Advances by {@code steps} time steps of {@code dt}. */
    void runSteps(long steps);

    /** Advances by one time step. */
    default void step() {
        runSteps(1);
    }

    /** Whole steps simulated so far. */
    long currentStep();

    /** Biological time simulated so far (ms). */
    double timeMs();

    /** Back to the initial state at time 0 (monitors keep what they recorded; sources replay). */
    void reset();

    /**
     * Back to the initial state at time 0 with new spikes for some spike-times sources (by name, same sizes): the run
     * that follows is exactly that of the network compiled with those spikes ({@link CompiledNetwork#withSpikeTimes}),
     * without compiling it again, so that many inputs can go through one network. Monitors keep what they recorded.
     *
     * @throws io.myelin.core.InvalidInputException if a source is unknown, not a spike-times source, of another size
     *                                              or its spikes are invalid
     */
    void reset(java.util.List<io.myelin.core.model.SourceSpec.SpikeTimes> sources);

    /**
     * {@link #reset(java.util.List)} with spikes prepared once for many runs ({@link #prepare}): the same run, without
     * checking the spikes and putting them into steps again.
     *
     * @throws io.myelin.core.InvalidInputException if spikes were prepared for another step (dt) or name no spike-times
     *                                              source of their size
     */
    void resetPrepared(java.util.List<PreparedSpikes> sources);

    /**
     * Spikes for a spike-times source of this engine's network, checked and put on its step grid once
     * ({@link CompiledNetwork#prepare}), for {@link #resetPrepared} here and in any engine of a network with the same
     * step and sources.
     *
     * @throws io.myelin.core.InvalidInputException as {@link #reset(java.util.List)} would
     */
    default PreparedSpikes prepare(io.myelin.core.model.SourceSpec.SpikeTimes spikes) {
        return network().prepare(spikes);
    }

    /** Exact operation counts of everything simulated since the start or the last reset. */
    OperationCounts operationCounts();

    /**
     * Engine-specific work counters beyond {@link #operationCounts()}, by name (the event engine's queue traffic,
     * e.g. {@code queue_pops}); empty where the engine keeps none.
     */
    Map<String, Long> counters();

    /** Releases the engine's resources (device memory of a backend). */
    @Override
    void close();
}
