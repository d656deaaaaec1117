package io.myelin.core.engine;

import io.myelin.core.backend.BackendOptions;

/**
 * How {@link Engines#create} sets up an engine; each engine reads the settings that concern it and ignores the rest.
 *
 * @param backend        the clock engine's backend: "java", "opencl" or "auto" (see {@code Backends.select})
 * @param backendOptions the backend's threads and device
 * @param queue          the event engine's queue
 * @param execution      how either engine advances time ({@link ExecutionStrategy}; the clock engine takes
 *                       {@link ExecutionStrategy#LAYERED} on the Java backend only)
 */
public record EngineOptions(String backend, BackendOptions backendOptions, EventDrivenSimulator.QueueKind queue,
                            ExecutionStrategy execution) {
    public EngineOptions {
        if (backend == null || backendOptions == null || queue == null || execution == null) {
            throw new io.myelin.core.InvalidInputException("engine options need a backend, backend options, a queue and"
                    + " an execution strategy");
        }
    }

    /** With the {@link ExecutionStrategy#AUTO automatic} execution strategy. */
    public EngineOptions(String backend, BackendOptions backendOptions, EventDrivenSimulator.QueueKind queue) {
        this(backend, backendOptions, queue, ExecutionStrategy.AUTO);
    }

    public EngineOptions withExecution(ExecutionStrategy e) {
        return new EngineOptions(backend, backendOptions, queue, e);
    }

    /** The single-threaded Java backend and the binary-heap queue: the references. */
    public static EngineOptions defaults() {
        return new EngineOptions("java", BackendOptions.defaults(), EventDrivenSimulator.QueueKind.HEAP);
    }
}
