package io.myelin.core.engine;

import io.myelin.core.backend.BackendOptions;

/**
 * How {@link Engines#create} sets up an engine; each engine reads the settings that concern it and ignores the rest.
 *
 * @param backend        the clock engine's backend: "java", "opencl" or "auto" (see {@code Backends.select})
 * @param backendOptions the backend's threads and device
 * @param queue          the event engine's queue
 */
public record EngineOptions(String backend, BackendOptions backendOptions, EventDrivenSimulator.QueueKind queue) {
    public EngineOptions {
        if (backend == null || backendOptions == null || queue == null) {
            throw new io.myelin.core.InvalidInputException("engine options need a backend, backend options and a queue");
        }
    }

    /** The single-threaded Java backend and the binary-heap queue: the references. */
    public static EngineOptions defaults() {
        return new EngineOptions("java", BackendOptions.defaults(), EventDrivenSimulator.QueueKind.HEAP);
    }
}
