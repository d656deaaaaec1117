package io.myelin.core.engine;

/**
 * How an engine advances a network through time.
 * <ul>
 * <li>{@link #STEPWISE}: the engine's own loop, step by step (the clock engine's backend, the event engine's queue);
 *     any network.</li>
 * <li>{@link #LAYERED}: a feed-forward network of discrete-time LIF populations runs population by population
 *     over chunks of steps ({@link LayeredExecution}): each population's input over the chunk comes from its
 *     presynaptic populations' spikes, already computed, as vector sums over time; then its neurons run through
 *     the chunk. The same spikes, membranes and operation counts as {@link #STEPWISE}, bit for bit.</li>
 * <li>{@link #AUTO}: {@link #LAYERED} where the network qualifies ({@link LayeredExecution#whyNot}), else
 *     {@link #STEPWISE}.</li>
 * </ul>
 */
public enum ExecutionStrategy {
    AUTO, STEPWISE, LAYERED;

    /** The strategy called {@code name} ("auto", "stepwise", "layered"). */
    public static ExecutionStrategy of(String name) {
        for (ExecutionStrategy s : values()) {
            if (s.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
                return s;
            }
        }
        throw new io.myelin.core.InvalidInputException("execution strategy must be 'auto', 'stepwise' or 'layered', got '"
                + name + "'");
    }
}
