package io.myelin.core.engine;

import io.myelin.core.InvalidInputException;
import io.myelin.core.backend.Backends;
import io.myelin.core.model.NetworkSpec;

import java.util.List;

/**
 * Creates an {@link Engine} by name, so that one network description runs on either engine and nothing else needs to
 * know which one it got:
 * <ul>
 * <li>{@code "clock"} — {@link Simulator}: fixed dt, event-driven propagation, any neuron model, on a backend;</li>
 * <li>{@code "event"} — {@link EventDrivenSimulator}: exact event-driven, for delta-synapse continuous LIF or
 *     discrete-time LIF networks (anything else is rejected with a message naming the population).</li>
 * </ul>
 * A feed-forward network of discrete-time LIF populations runs {@link ExecutionStrategy#LAYERED layered} on either
 * engine by default ({@link EngineOptions#execution()}), with the same results as the engine's own step loop.
 */
public final class Engines {
    public static final String CLOCK = "clock";
    public static final String EVENT = "event";

    private Engines() {
    }

    /** The engine names {@link #create} accepts. */
    public static List<String> names() {
        return List.of(CLOCK, EVENT);
    }

    /** Returns {@code name} if it names an engine; otherwise one clear error listing the choices. */
    public static String checkName(String name) {
        if (!names().contains(name)) {
            throw new InvalidInputException("unknown engine '" + name + "'; choose " + String.join(" or ", names()));
        }
        return name;
    }

    /**
     * The engine that runs {@code spec} best: the exact event-driven engine when it can simulate every population
     * exactly (delta-synapse continuous LIF, or discrete-time LIF), else the clock-driven one, which runs any spec.
     */
    public static String choose(NetworkSpec spec) {
        return whyNotEvent(spec) == null ? EVENT : CLOCK;
    }

    /** Why the event-driven engine cannot run {@code spec} exactly, or null when it can. */
    public static String whyNotEvent(NetworkSpec spec) {
        try {
            EventDrivenSimulator.checkSupported(spec);
            return null;
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    /** {@code spec} on engine {@code name} with the {@link EngineOptions#defaults() default options}. */
    public static Engine create(NetworkSpec spec, String name) {
        return create(spec, name, EngineOptions.defaults());
    }

    /**
     * Compiles {@code spec} and returns it on engine {@code name}; the caller owns (and closes) the engine.
     *
     * @throws InvalidInputException for an unknown engine name, a backend that is unknown or unavailable, or a network
     *                               the event engine cannot simulate exactly
     */
    public static Engine create(NetworkSpec spec, String name, EngineOptions options) {
        if (checkName(name).equals(EVENT)) {
            return new EventDrivenSimulator(CompiledNetwork.compile(EventDrivenSimulator.checkSupported(spec)),
                    options.queue(), options.execution());
        }
        CompiledNetwork net = CompiledNetwork.compile(spec);
        return new Simulator(net, Backends.select(options.backend(), options.backendOptions()), options.execution());
    }

    /** A run duration, checked: a finite number of ms &ge; 0. */
    static double checkDurationMs(double durationMs) {
        if (!(durationMs >= 0) || Double.isInfinite(durationMs)) {
            throw new InvalidInputException("run duration must be a finite number of ms >= 0, got " + durationMs);
        }
        return durationMs;
    }
}
