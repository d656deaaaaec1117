package io.myelin.core.backend;

import io.myelin.core.engine.CompiledNetwork;
import io.myelin.core.monitor.StateSource;

/**
 * The per-step work of the clock-driven engine on some device. A backend owns the network state (membranes,
 * synaptic currents, refractory counters, the delay ring buffer) for one {@link CompiledNetwork}; the
 * {@link io.myelin.core.engine.Simulator} drives it:
 * <ol>
 *   <li>{@link #deliverAndUpdate(long)}: every neuron reads its ring-buffer slot for this step, integrates, applies
 *       threshold, reset and refractoriness, and the spiking neurons are collected in ascending index order;</li>
 *   <li>{@link #propagate(long, int[], int)}: those spikes, followed by this step's source spikes, scatter their
 *       synapses' fixed-point weights into the slots of step {@code t + delay}.</li>
 * </ol>
 * Backends must agree with {@link JavaBackend}, the reference: same spike trains for the same network.
 */
public interface Backend extends StateSource, AutoCloseable {
    /** Short name, as accepted by {@link Backends#select(String)}. */
    String name();

    /** The device in words, e.g. "Java, 1 thread" or "OpenCL GPU NVIDIA H100". */
    String device();

    /** Allocates state for {@code net} and sets it to the initial condition (step 0). */
    void load(CompiledNetwork net);

    /** Back to the initial condition: initial membranes, empty ring buffer, zero counters. */
    void reset();

    /** Delivers the input due at {@code step}, updates every neuron, collects spikes; returns the neuron spike count. */
    int deliverAndUpdate(long step);

    /**
     * Scatters the synapses of this step's neuron spikes and of {@code sourceSpikes[0..sourceCount)} (global source
     * indices, duplicates meaning several spikes) into the delay ring buffer.
     */
    void propagate(long step, int[] sourceSpikes, int sourceCount);

    /**
     * {@link #propagate} of {@code step}, then as much of {@link #deliverAndUpdate}{@code (step + 1)} as the backend
     * can do in the same pass (the Java backend's threads go on from scattering into their own neurons to updating
     * them, without waiting for each other). The caller must call {@code deliverAndUpdate(step + 1)} next and read no
     * state before it; the spikes of {@code step} stay readable. The default only propagates.
     */
    default void propagateAndUpdateNext(long step, int[] sourceSpikes, int sourceCount) {
        propagate(step, sourceSpikes, sourceCount);
    }

    /** Number of spikes (neurons, then sources) of the last completed step. */
    int spikeCount();

    /** Copies the last step's spikes (global indices: neurons ascending, then source spikes) into {@code dst}. */
    void copySpikes(int[] dst);

    /** Spikes emitted so far per global index (neurons and sources), the basis of exact operation counts. */
    long[] spikeCountsPerIndex();

    @Override
    void close();
}
